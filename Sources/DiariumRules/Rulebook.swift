import DiariumCore
import Foundation

/// A jurisdiction profile ready to decide items: the ordered deciding rules, the
/// screening rules and the compiled detectors, loaded from the rule files in
/// `config/rules/` (the source of truth) plus an agency's local overrides.
///
/// Deciding is pure and allocation-light: one scan of the text runs every detector,
/// then the rules are tested in order. A Rulebook is an immutable value, safe to share
/// between tasks.
public struct Rulebook: Sendable {
    public let profileID: String
    public let version: String
    /// The profile's human name, e.g. "Norway: arkivlova, arkivforskrifta, offentleglova".
    public let name: String
    /// The legal sources the profile cites, for people.
    public let sources: [String]
    public var profileLabel: String { "\(profileID)@\(version)" }
    /// The language the decisions' reasons are written in (`nb`, `nn`, `sv`, `en`):
    /// the agency's `[agency] language`, else the profile's own (``defaultLanguage(forProfile:)``).
    /// A decision stores the reason in this language only, so the record keeps the
    /// words the officer was shown; JSON's `reason` stays one string.
    public let language: String

    let rules: [Rule]
    let screenings: [Screening]
    let words: WordLists
    let matcher: WordMatcher

    /// The ids of the deciding rules, in the order they are tried.
    public var ruleIDs: [String] { rules.map(\.id) }
    /// The ids of the screening rules, in file order.
    public var screeningIDs: [String] { screenings.map(\.id) }

    init(profileID: String, version: String, name: String, sources: [String],
         rules: [Rule], screenings: [Screening], words: WordLists, language: String) {
        self.language = language
        self.profileID = profileID
        self.version = version
        self.name = name
        self.sources = sources
        self.rules = rules
        self.screenings = screenings
        self.words = words
        self.matcher = WordMatcher(words)
    }

    /// The language a profile's jurisdiction writes in when the agency names none:
    /// Swedish for `se`, Norwegian Bokmål otherwise (as `Language.default(forProfile:)`).
    public static func defaultLanguage(forProfile profile: String) -> String {
        Language.default(forProfile: profile).rawValue
    }

    /// The same rulebook giving its reasons in `language` (`nb`, `nn`, `sv` or `en`).
    public func speaking(_ language: String) -> Rulebook {
        Rulebook(profileID: profileID, version: version, name: name, sources: sources,
                 rules: rules, screenings: screenings, words: words, language: language)
    }

    /// Which detectors fire on `text`.
    public func detect(_ text: String) -> Set<Detector> {
        matcher.detect(text).detectors
    }

    /// Decides one item. `answering` describes the item it replies to, when known
    /// (see `Classifier`); without it, agency replies count as "any other reply".
    public func decide(_ item: Item, answering: AnsweredItem?) -> Decision {
        let facts = Facts(item: item, found: matcher.detect(item.text), answering: answering)
        let rule = rules.first { $0.condition.matches(facts) } ?? fallback(for: item)

        var firedIDs = [rule.id]
        var reasons = ["\(rule.id): \(rule.reason.text(in: language))"]
        var restricted = false
        var bases: [String] = []
        var codes: [String] = []
        for screening in screenings where screening.condition.matches(facts) {
            firedIDs.append(screening.id)
            reasons.append("\(screening.id): \(screening.reason.text(in: language))")
            for code in screening.screen where !codes.contains(code) { codes.append(code) }
            guard screening.restricted else { continue }
            restricted = true
            if let basis = screening.basis.resolve(answering), !bases.contains(basis) { bases.append(basis) }
        }
        var decision = Decision(
            id: item.id, account: item.account, journal: rule.journal, type: rule.type,
            status: rule.journal ? .M : nil,
            access: Access(
                restricted: restricted, basis: bases.isEmpty ? nil : bases.joined(separator: "; "),
                screen: Self.ordered(codes)),
            retention: rule.retention, rules: firedIDs, reason: reasons.joined(separator: " "),
            profile: profileLabel)
        if let period = rule.keep ?? rule.review {
            decision.retentionPeriod = period.description
            // Counted from the creation day; an item without one gets its end when a
            // disposal plan counts from the day it was first captured.
            decision.retentionEnds = item.createdAt.flatMap { period.end(from: Timestamp.day($0)) }
        }
        decision.retentionBasis = rule.retentionBasis
        return decision
    }

    /// Screen codes in the stable order of `Screening.codeOrder`.
    static func ordered(_ codes: [String]) -> [String] {
        guard codes.count > 1 else { return codes }
        return codes.sorted {
            (Screening.codeOrder.firstIndex(of: $0) ?? .max) < (Screening.codeOrder.firstIndex(of: $1) ?? .max)
        }
    }

    /// Used only when local overrides left no rule for an item (the default files end
    /// with catch-all rules for both the agency and the public): keep the item, do not
    /// journal it, decide retention later, and say so.
    private func fallback(for item: Item) -> Rule {
        Rule(
            id: "\(profileID.uppercased())-fallback", condition: Condition(), journal: false,
            type: item.author.agency ? .U : .I, retention: .G,
            reason: RuleReason(texts: [
                "nb": "Ingen regel i regelverket passet for dette elementet, så det er arkivert, men ikke journalført, og arkivaren avgjør bevaringen.",
                "nn": "Ingen regel i regelverket passa for dette elementet, så det er arkivert, men ikkje journalført, og arkivaren avgjer bevaringa.",
                "sv": "Ingen regel i regelverket passade för posten, så den är bevarad men inte diarieförd, och registratorn avgör gallringen.",
                "en": "No rule of the rulebook matched this item, so it is kept but not journaled and its retention is left to the records officer.",
            ]))
    }
}
