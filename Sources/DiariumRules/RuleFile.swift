import DiariumCore
import Foundation

/// One rule file, decoded and checked but not yet merged: a profile's defaults
/// (`config/rules/no.toml`) or an agency's local overrides (`<rules dir>/no.toml`).
/// Both use the same format; only `[profile]` differs (see `ProfileHeader`).
struct RuleFile {
    enum Role { case defaults, overrides }

    var profile: ProfileHeader
    var rules: [Entry<Rule>]
    var screenings: [Entry<Screening>]
    var wordEdits: [WordEdit]

    /// A `[[rule]]` or `[[screening]]` as written: `before` places it, `disabled`
    /// removes the entry of that id, otherwise `value` adds or replaces.
    struct Entry<Value> {
        var id: String
        var key: String
        var before: String?
        var value: Value?
    }

    static let topKeys = ["profile", "rule", "screening", "words"]
    static let conditionKeys = ["from", "kinds", "private", "answers", "any", "all", "none"]
    static let ruleKeys = ["id", "before", "disabled", "journal", "type", "retention", "keep", "review", "retention_basis", "reason"] + conditionKeys
    static let screeningKeys = ["id", "before", "disabled", "restricted", "basis", "screen", "reason"] + conditionKeys

    static func read(_ url: URL, role: Role) throws -> RuleFile {
        let file = url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RulebookError("\(file): cannot be read (\(error.localizedDescription)).")
        }
        let top = TableReader(file: file, path: "", table: try TOMLNode.parse(text, file: file))
        try top.checkKeys(topKeys)
        let profile = try ProfileHeader.read(top.subtable("profile"), file: file, role: role)
        let rules = try top.tables("rule").map(readRule)
        let screenings = try top.tables("screening").map(readScreening)
        try checkUnique(rules.map { ($0.id, $0.key) }, file: file)
        try checkUnique(screenings.map { ($0.id, $0.key) }, file: file)
        var edits: [WordEdit] = []
        if let words = try top.subtable("words") {
            try words.checkKeys(Detector.allCases.filter(\.usesWords).map(\.rawValue))
            for name in words.table.keys.sorted() {
                edits.append(try WordEdit.read(words.subtable(name)!, detector: Detector.named(name)!))
            }
        }
        if role == .defaults, rules.isEmpty {
            throw RulebookError("\(file): key 'rule' is required: a profile needs at least one [[rule]].")
        }
        return RuleFile(profile: profile, rules: rules, screenings: screenings, wordEdits: edits)
    }

    private static func checkUnique(_ ids: [(String, String)], file: String) throws {
        var seen = Set<String>()
        for (id, key) in ids where !seen.insert(id).inserted {
            throw RulebookError.badValue(file, "\(key).id", "repeats the id \"\(id)\" used earlier in the same file")
        }
    }

    private static func readID(_ t: TableReader) throws -> String {
        let id = try t.requiredString("id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw RulebookError.badValue(t.file, t.key("id"), "\"\(id)\" may hold only letters, digits, - _ and .")
        }
        return id
    }

    private static func readRule(_ t: TableReader) throws -> Entry<Rule> {
        try t.checkKeys(ruleKeys)
        let id = try readID(t)
        let before = try t.string("before")
        if try t.bool("disabled") == true {
            return Entry(id: id, key: t.path, before: before, value: nil)
        }
        guard let journal = try t.bool("journal") else { throw RulebookError.missing(t.file, t.key("journal")) }
        let type = try enumValue(t, "type", JournalType.self)
        let retention = try enumValue(t, "retention", Retention.self)
        var rule = Rule(
            id: id, condition: try readCondition(t), journal: journal, type: type, retention: retention,
            reason: try t.reason("reason"))
        rule.keep = try period(t, "keep")
        rule.review = try period(t, "review")
        rule.retentionBasis = try t.string("retention_basis")
        if rule.keep != nil && retention != .K {
            throw RulebookError.badValue(t.file, t.key("keep"), "is a disposal period, which only a rule with retention = \"K\" may have")
        }
        if rule.review != nil && retention != .G {
            throw RulebookError.badValue(t.file, t.key("review"), "is a review period, which only a rule with retention = \"G\" may have")
        }
        if rule.keep != nil && (rule.retentionBasis ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw RulebookError.badValue(t.file, t.key("keep"), "needs retention_basis, the legal basis of disposal (kassasjonshjemmel or gallringsbeslut): nothing is disposed without one")
        }
        return Entry(id: id, key: t.path, before: before, value: rule)
    }

    /// `keep = "5y"` or `review = "10y"`: a count and y (years), m (months) or d (days).
    private static func period(_ t: TableReader, _ key: String) throws -> RetentionPeriod? {
        guard let text = try t.string(key) else { return nil }
        guard let period = RetentionPeriod(text) else {
            throw RulebookError.badValue(t.file, t.key(key), "is \"\(text)\" but must be a number and y, m or d (\"5y\", \"18m\", \"30d\")")
        }
        return period
    }

    private static func readScreening(_ t: TableReader) throws -> Entry<Screening> {
        try t.checkKeys(screeningKeys)
        let id = try readID(t)
        let before = try t.string("before")
        if try t.bool("disabled") == true {
            return Entry(id: id, key: t.path, before: before, value: nil)
        }
        guard let restricted = try t.bool("restricted") else { throw RulebookError.missing(t.file, t.key("restricted")) }
        var basis = Basis.none
        switch try t.string("basis") {
        case nil:
            if restricted { throw RulebookError.missing(t.file, t.key("basis")) }
        case "answered": basis = .answered
        case let text?: basis = .text(text)
        }
        let screen = try t.strings("screen") ?? []
        for code in screen where !Screening.knownCodes.contains(code) {
            throw RulebookError.badValue(
                t.file, t.key("screen"),
                "has \"\(code)\", which is not a Noark 5 skjermingMetadata code (\(Screening.knownCodes.joined(separator: ", ")))")
        }
        let screening = Screening(
            id: id, condition: try readCondition(t), restricted: restricted, basis: basis, screen: screen,
            reason: try t.reason("reason"))
        return Entry(id: id, key: t.path, before: before, value: screening)
    }

    private static func readCondition(_ t: TableReader) throws -> Condition {
        var c = Condition()
        if t.table["from"] != nil { c.from = try enumValue(t, "from", Origin.self) }
        if let kinds = try t.strings("kinds") {
            c.kinds = Set(try kinds.map { name in
                guard let kind = ItemKind(rawValue: name) else {
                    throw RulebookError.badValue(
                        t.file, t.key("kinds"),
                        "has \"\(name)\", which is not one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            })
        }
        c.isPrivate = try t.bool("private")
        if t.table["answers"] != nil { c.answers = try enumValue(t, "answers", AnswerCondition.self) }
        c.any = try detectors(t, "any")
        c.all = try detectors(t, "all")
        c.none = try detectors(t, "none")
        return c
    }

    private static func detectors(_ t: TableReader, _ key: String) throws -> DetectorSet {
        DetectorSet(try (t.strings(key) ?? []).map { name in
            guard let d = Detector.named(name) else {
                throw RulebookError.badValue(
                    t.file, t.key(key), "has \"\(name)\", which is not a detector (\(Detector.names.joined(separator: ", ")))")
            }
            return d
        })
    }

    private static func enumValue<E: RawRepresentable & CaseIterable>(
        _ t: TableReader, _ key: String, _ type: E.Type
    ) throws -> E where E.RawValue == String {
        let raw = try t.requiredString(key)
        guard let value = E(rawValue: raw) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw RulebookError.badValue(t.file, t.key(key), "is \"\(raw)\" but must be one of \(allowed)")
        }
        return value
    }
}

/// `[profile]`. In a defaults file: `id`, `version`, `name`, optional `sources` (legal
/// sources, for people) and `words` (shared word-list files, relative to the rule
/// file). In an overrides file: optional `id` (must match) and `local`, a label that
/// is appended to the version (`no@2026.1+etaten-3`) so that every decision shows
/// that local rules took part.
struct ProfileHeader {
    var id: String?
    var version: String?
    var name: String?
    var sources: [String] = []
    var words: [String] = []
    var local: String?

    static func read(_ t: TableReader?, file: String, role: RuleFile.Role) throws -> ProfileHeader {
        switch role {
        case .defaults:
            guard let t else { throw RulebookError.missing(file, "profile") }
            try t.checkKeys(["id", "version", "name", "sources", "words"])
            return ProfileHeader(
                id: try t.requiredString("id"), version: try t.requiredString("version"),
                name: try t.requiredString("name"), sources: try t.strings("sources") ?? [],
                words: try t.strings("words") ?? [])
        case .overrides:
            guard let t else { return ProfileHeader() }
            try t.checkKeys(["id", "local"])
            return ProfileHeader(id: try t.string("id"), local: try t.string("local"))
        }
    }
}

/// `[words.<detector>]` in a rule file: `add`, `replace` or `remove` patterns per
/// language (`add = {nb = ["tips*"]}`), and for `spam` the link threshold `min_links`.
struct WordEdit {
    var detector: Detector
    var replace: [String: [String]] = [:]
    var add: [String: [String]] = [:]
    var remove: [String: [String]] = [:]
    var minLinks: Int?

    static func read(_ t: TableReader, detector: Detector) throws -> WordEdit {
        try t.checkKeys(detector == .spam ? ["add", "replace", "remove", "min_links"] : ["add", "replace", "remove"])
        var edit = WordEdit(detector: detector)
        for op in ["replace", "add", "remove"] {
            guard let table = try t.subtable(op) else { continue }
            let lists = try WordFile.readLanguages(table)
            switch op {
            case "replace": edit.replace = lists
            case "add": edit.add = lists
            default: edit.remove = lists
            }
        }
        edit.minLinks = try WordFile.readMinLinks(t)
        return edit
    }

    func apply(to lists: inout WordLists) {
        for (language, patterns) in replace { lists.replace(detector, language, with: patterns) }
        for (language, patterns) in add.sorted(by: { $0.key < $1.key }) { lists.add(detector, language, patterns) }
        for (language, patterns) in remove { lists.remove(detector, language, patterns) }
        if let minLinks { lists.minLinks = minLinks }
    }
}

/// A shared word-list file (`config/rules/words.toml`): one table per detector, one
/// list per language (`[request] nb = ["søknad*", "søke om"]`), `min_links` for spam.
enum WordFile {
    static func read(_ url: URL, into lists: inout WordLists) throws {
        let file = url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RulebookError("\(file): cannot be read (\(error.localizedDescription)).")
        }
        let top = TableReader(file: file, path: "", table: try TOMLNode.parse(text, file: file))
        try top.checkKeys(Detector.allCases.filter(\.usesWords).map(\.rawValue))
        for name in top.table.keys.sorted() {
            let detector = Detector.named(name)!
            let t = try top.subtable(name)!
            let allowed = WordLists.languages + (detector == .spam ? ["min_links"] : [])
            try t.checkKeys(allowed)
            let languages = TableReader(file: t.file, path: t.path, table: t.table.filter { $0.key != "min_links" })
            for (language, patterns) in try readLanguages(languages) {
                lists.replace(detector, language, with: patterns)
            }
            if let minLinks = try readMinLinks(t) { lists.minLinks = minLinks }
        }
    }

    /// `{nb = [...], sv = [...]}`: known language keys, each a list of valid patterns.
    static func readLanguages(_ t: TableReader) throws -> [String: [String]] {
        try t.checkKeys(WordLists.languages)
        var out: [String: [String]] = [:]
        for language in t.table.keys {
            let patterns = try t.strings(language) ?? []
            for p in patterns {
                if case .failure(let problem) = WordPattern.compile(p) {
                    throw RulebookError.badValue(t.file, t.key(language), "has a bad word: \(problem.text)")
                }
            }
            out[language] = patterns
        }
        return out
    }

    static func readMinLinks(_ t: TableReader) throws -> Int? {
        guard let n = try t.int("min_links") else { return nil }
        guard n >= 1 else { throw RulebookError.badValue(t.file, t.key("min_links"), "must be at least 1") }
        return n
    }
}
