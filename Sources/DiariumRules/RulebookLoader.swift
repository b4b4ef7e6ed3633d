import DiariumCore
import Foundation

extension Rulebook {
    /// Loads `<defaults>/<profile>.toml` and the shared word files it names, then
    /// applies the local overrides in `<overrides>/<profile>.toml` when that file
    /// exists. An override may
    /// - replace a `[[rule]]` or `[[screening]]` with the same `id` (in place, or moved
    ///   with `before = "ID"`), add new ones (placed with `before = "ID"`, else at the
    ///   end) or remove one (`disabled = true`);
    /// - edit word lists: `[words.question] add = {nb = ["mon tro"]}`, `replace = {…}`,
    ///   `remove = {…}`, and `[words.spam] min_links = 5`;
    /// - label itself with `[profile] local = "etaten-3"`, giving `no@2026.1+etaten-3`
    ///   (an unlabelled override gives `+local`), so every decision shows local rules.
    /// Unknown keys or bad values throw a RulebookError naming the file and the key.
    /// `language` is the agency's `[agency] language`; nil gives the profile's own.
    public static func load(profile: String, defaults: URL, overrides: URL? = nil, language: String? = nil) throws -> Rulebook {
        guard !profile.isEmpty, profile.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw RulebookError("The profile name \"\(profile)\" is not valid (use letters, digits, - or _, e.g. \"no\" or \"se\").")
        }
        let defaultsFile = defaults.appendingPathComponent("\(profile).toml")
        guard FileManager.default.fileExists(atPath: defaultsFile.path) else {
            throw RulebookError("\(defaultsFile.path): no rule file for profile '\(profile)' in \(defaults.path).")
        }
        let base = try RuleFile.read(defaultsFile, role: .defaults)
        guard base.profile.id == profile else {
            throw RulebookError.badValue(defaultsFile.path, "profile.id", "is \"\(base.profile.id ?? "")\" but the file is for profile \"\(profile)\"")
        }

        var words = WordLists()
        for relative in base.profile.words {
            let url = URL(fileURLWithPath: relative, relativeTo: defaults).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw RulebookError.badValue(defaultsFile.path, "profile.words", "names \(url.path), which does not exist")
            }
            try WordFile.read(url, into: &words)
        }
        var rules: [Rule] = []
        var screenings: [Screening] = []
        try merge(base.rules, into: &rules, file: defaultsFile.path, kind: "rule")
        try merge(base.screenings, into: &screenings, file: defaultsFile.path, kind: "screening")
        for edit in base.wordEdits { edit.apply(to: &words) }

        var version = base.profile.version ?? ""
        if let overrides {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: overrides.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw RulebookError("\(overrides.path): the local rules directory does not exist.")
            }
            let overrideFile = overrides.appendingPathComponent("\(profile).toml")
            if FileManager.default.fileExists(atPath: overrideFile.path) {
                let local = try RuleFile.read(overrideFile, role: .overrides)
                if let id = local.profile.id, id != profile {
                    throw RulebookError.badValue(overrideFile.path, "profile.id", "is \"\(id)\" but the file is for profile \"\(profile)\"")
                }
                try merge(local.rules, into: &rules, file: overrideFile.path, kind: "rule")
                try merge(local.screenings, into: &screenings, file: overrideFile.path, kind: "screening")
                for edit in local.wordEdits { edit.apply(to: &words) }
                version += "+" + (local.profile.local ?? "local")
            }
        }
        return Rulebook(
            profileID: profile, version: version, name: base.profile.name ?? profile,
            sources: base.profile.sources, rules: rules, screenings: screenings, words: words,
            language: language ?? defaultLanguage(forProfile: profile))
    }

    /// Applies a file's entries in file order: replace by id, place by `before`,
    /// remove when disabled. `before` and `disabled` must name an existing id.
    static func merge<Value>(
        _ entries: [RuleFile.Entry<Value>], into list: inout [Value], file: String, kind: String
    ) throws where Value: Identified {
        for entry in entries {
            let existing = list.firstIndex { $0.id == entry.id }
            guard let value = entry.value else {
                guard let existing else {
                    throw RulebookError.badValue(file, "\(entry.key).disabled", "removes the \(kind) \"\(entry.id)\", which does not exist")
                }
                list.remove(at: existing)
                continue
            }
            if let before = entry.before {
                if let existing { list.remove(at: existing) }
                guard let target = list.firstIndex(where: { $0.id == before }) else {
                    throw RulebookError.badValue(file, "\(entry.key).before", "names the \(kind) \"\(before)\", which does not exist")
                }
                list.insert(value, at: target)
            } else if let existing {
                list[existing] = value
            } else {
                list.append(value)
            }
        }
    }
}

/// Rules and screenings are merged by id.
protocol Identified { var id: String { get } }
extension Rule: Identified {}
extension Screening: Identified {}
