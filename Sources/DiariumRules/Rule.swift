import DiariumCore

/// Who wrote an item, as rule files say it: `agency` (the archived account itself,
/// `author.agency == true`) or `public` (anyone else).
enum Origin: String, Sendable, CaseIterable {
    case agency, `public`
}

/// What a rule may require of the item being answered (`inReplyTo`).
enum AnswerCondition: String, Sendable, CaseIterable {
    /// The answered item is journaled.
    case journaled
    /// The answered item is access-restricted.
    case restricted
}

/// The facts one item is judged on, computed once and shared by every rule.
struct Facts {
    let item: Item
    let found: DetectorSet
    let answering: AnsweredItem?
}

/// The conditions of a rule or screening; all given conditions must hold, and a
/// condition left out of the file does not constrain.
struct Condition: Sendable, Equatable {
    var from: Origin?
    var kinds: Set<ItemKind>?
    /// `private = true`: a direct or private message (`Item.isPrivateMessage`).
    var isPrivate: Bool?
    var answers: AnswerCondition?
    /// At least one of these detectors fires.
    var any = DetectorSet()
    /// All of these detectors fire.
    var all = DetectorSet()
    /// None of these detectors fires.
    var none = DetectorSet()

    func matches(_ facts: Facts) -> Bool {
        if let from, (from == .agency) != facts.item.author.agency { return false }
        if let kinds, !kinds.contains(facts.item.kind) { return false }
        if let isPrivate, isPrivate != facts.item.isPrivateMessage { return false }
        if let answers {
            guard let answered = facts.answering else { return false }
            switch answers {
            case .journaled: if !answered.journal { return false }
            case .restricted: if !answered.access.restricted { return false }
            }
        }
        if !any.isEmpty, facts.found.isDisjoint(with: any) { return false }
        if !facts.found.isSuperset(of: all) { return false }
        if !facts.found.isDisjoint(with: none) { return false }
        return true
    }
}

/// A deciding rule: the first one whose condition matches sets journal, type and retention.
struct Rule: Sendable, Equatable {
    var id: String
    var condition: Condition
    var journal: Bool
    var type: JournalType
    var retention: Retention
    var reason: RuleReason
    /// K: how long after the item's creation it may be disposed (`keep = "5y"`).
    var keep: RetentionPeriod? = nil
    /// G: when the item is listed for an officer's retention review (`review = "10y"`).
    var review: RetentionPeriod? = nil
    /// The legal basis of disposal (`retention_basis`), required with `keep`: nothing is
    /// disposed without one (arkivlova § 9; in Sweden a gallringsbeslut or RA-FS).
    var retentionBasis: String? = nil
}

/// Where a screening's legal basis comes from.
enum Basis: Sendable, Equatable {
    case none
    case text(String)
    /// `basis = "answered"`: the basis of the item being answered (an answer to a
    /// restricted letter is restricted on the same ground).
    case answered

    func resolve(_ answering: AnsweredItem?) -> String? {
        switch self {
        case .none: nil
        case .text(let text): text
        case .answered: answering?.access.basis
        }
    }
}

/// A screening rule: every matching one adds its restriction and screen codes.
struct Screening: Sendable, Equatable {
    var id: String
    var condition: Condition
    var restricted: Bool
    var basis: Basis
    var screen: [String]
    var reason: RuleReason

    /// Noark 5 skjermingMetadata (M502) codes a screening may name.
    static let knownCodes = ["KID", "TKL", "TM1", "TMO", "NPS", "TR1", "TRO", "NA", "NM", "TD", "MT", "M"]
    /// The order codes appear in a decision: names first, as the example in DESIGN.md
    /// shows (`["NA", "TRO"]`), then title codes, then the rest.
    static let codeOrder = ["NA", "NM", "NPS", "TRO", "TR1", "TMO", "TM1", "TKL", "KID", "TD", "MT", "M"]
}
