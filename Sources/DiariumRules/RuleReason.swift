import DiariumCore

/// A rule's or screening's `reason`, the sentence a records officer reads, in the
/// languages the rule file gives it: `reason = "…"` (one text for every language) or
/// `reason = { nb = "…", nn = "…", sv = "…", en = "…" }`.
///
/// The rulebook picks one language when it decides (``Rulebook/language``), and the
/// decision stores that text: a decision is a record of what the officer was shown, so
/// it must not change wording when the agency later changes its language.
struct RuleReason: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The languages a reason table may hold, as `[agency] language` names them.
    static let languages = Language.allCases.map(\.rawValue)

    /// Text by language code; a plain string is stored under `""` (any language).
    var texts: [String: String]

    init(texts: [String: String]) { self.texts = texts }
    init(stringLiteral value: String) { texts = ["": value] }

    /// The text in `language`; else the plain string; else English (the rule:
    /// a missing translation falls back to English); else the first language given.
    func text(in language: String) -> String {
        texts[language] ?? texts[""] ?? texts["en"]
            ?? Self.languages.lazy.compactMap { texts[$0] }.first ?? ""
    }
}

extension TableReader {
    /// `reason`: a non-empty string, or a table of non-empty strings keyed by language.
    func reason(_ name: String) throws -> RuleReason {
        guard let node = table[name] else { throw RulebookError.missing(file, key(name)) }
        switch node {
        case .string:
            return RuleReason(texts: ["": try requiredString(name)])
        case .table(let inner):
            let languages = TableReader(file: file, path: key(name), table: inner)
            try languages.checkKeys(RuleReason.languages)
            var texts: [String: String] = [:]
            for language in inner.keys { texts[language] = try languages.requiredString(language) }
            guard !texts.isEmpty else {
                throw RulebookError.badValue(file, key(name), "must give the reason in at least one language (nb, nn, sv or en)")
            }
            return RuleReason(texts: texts)
        default:
            throw RulebookError.badValue(file, key(name), "must be a string or a table of languages ({ nb = \"…\", en = \"…\" }), not \(node.typeName)")
        }
    }
}
