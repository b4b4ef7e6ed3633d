/// Journal post type (Noark 5 journalposttype): incoming, outgoing, internal with or
/// without follow-up.
public enum JournalType: String, Codable, Sendable, CaseIterable, Hashable {
    case I, U, N, X
}

/// Journal status (Noark 5 journalstatus): M awaits the records officer, J is journaled,
/// U (utgår) is a proposal the officer rejected — its number stays taken, never reused.
public enum JournalStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case M, J, U
}

/// Retention (Noark 5 kassasjonsvedtak): B keep, K dispose, G decide later.
public enum Retention: String, Codable, Sendable, CaseIterable, Hashable {
    case B, K, G
}

/// Access restriction (skjerming / sekretess) of one item, with what the public
/// journal must screen: NA sender's name, NM recipient's name, TRO title words, …
public struct Access: Codable, Sendable, Hashable {
    public var restricted: Bool
    public var basis: String?
    public var screen: [String]

    public init(restricted: Bool, basis: String? = nil, screen: [String] = []) {
        self.restricted = restricted
        self.basis = basis
        self.screen = screen
    }

    public static let open = Access(restricted: false)

    enum CodingKeys: String, CodingKey { case restricted, basis, screen }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        restricted = try c.decodeIfPresent(Bool.self, forKey: .restricted) ?? false
        basis = try c.decodeIfPresent(String.self, forKey: .basis)
        screen = try c.decodeIfPresent([String].self, forKey: .screen) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(restricted, forKey: .restricted)
        try c.encode(basis, forKey: .basis)
        try c.encode(screen, forKey: .screen)
    }

    /// Whether the public journal must leave out the correspondent's name.
    public var screensName: Bool { screen.contains("NA") || screen.contains("NM") }
    /// Whether the public journal must replace screened title words.
    public var screensTitle: Bool { screen.contains("TRO") || screen.contains("TR1") }
}

/// The rulebook's proposal for one item version. The keys of DESIGN.md are the
/// contract; `account` and `profile` extend it (every object describing an item names
/// its account, and every decision names its profile and version).
public struct Decision: Codable, Sendable, Hashable {
    public var id: String
    public var account: String
    public var journal: Bool
    public var type: JournalType
    /// M for a journaled item awaiting the officer; null when the item is not journaled.
    public var status: JournalStatus?
    public var access: Access
    public var retention: Retention
    /// The ids of every rule that fired, the deciding rule first.
    public var rules: [String]
    /// One sentence per rule, readable by a records officer.
    public var reason: String
    /// Profile id and version, e.g. `no@2026.1`.
    public var profile: String
    /// The rule's period (`keep` for K, `review` for G), e.g. `5y`; nil when the rule
    /// sets none (B, or a G whose sources give no period). Absent from the JSON when nil,
    /// so decisions made before periods existed read and print as they did.
    public var retentionPeriod: String?
    /// The day the period ends (`YYYY-MM-DD`, counted from the item's creation day): for
    /// K the day it may be disposed, for G the day it is listed for review.
    public var retentionEnds: String?
    /// The legal basis of disposal (Noark 5 kassasjonshjemmel, M453; a gallringsbeslut
    /// or RA-FS reference in Sweden), required with `keep`.
    public var retentionBasis: String?

    public init(
        id: String, account: String, journal: Bool, type: JournalType, status: JournalStatus?,
        access: Access, retention: Retention, rules: [String], reason: String, profile: String
    ) {
        self.id = id
        self.account = account
        self.journal = journal
        self.type = type
        self.status = status
        self.access = access
        self.retention = retention
        self.rules = rules
        self.reason = reason
        self.profile = profile
    }

    enum CodingKeys: String, CodingKey {
        case id, account, journal, type, status, access, retention, rules, reason, profile
        case retentionPeriod, retentionEnds, retentionBasis
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        account = try c.decodeIfPresent(String.self, forKey: .account) ?? ""
        journal = try c.decode(Bool.self, forKey: .journal)
        type = try c.decode(JournalType.self, forKey: .type)
        status = try c.decodeIfPresent(JournalStatus.self, forKey: .status)
        access = try c.decodeIfPresent(Access.self, forKey: .access) ?? .open
        retention = try c.decode(Retention.self, forKey: .retention)
        rules = try c.decodeIfPresent([String].self, forKey: .rules) ?? []
        reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
        profile = try c.decodeIfPresent(String.self, forKey: .profile) ?? ""
        retentionPeriod = try c.decodeIfPresent(String.self, forKey: .retentionPeriod)
        retentionEnds = try c.decodeIfPresent(String.self, forKey: .retentionEnds)
        retentionBasis = try c.decodeIfPresent(String.self, forKey: .retentionBasis)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(account, forKey: .account)
        try c.encode(journal, forKey: .journal)
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
        try c.encode(access, forKey: .access)
        try c.encode(retention, forKey: .retention)
        try c.encode(rules, forKey: .rules)
        try c.encode(reason, forKey: .reason)
        try c.encode(profile, forKey: .profile)
        try c.encodeIfPresent(retentionPeriod, forKey: .retentionPeriod)
        try c.encodeIfPresent(retentionEnds, forKey: .retentionEnds)
        try c.encodeIfPresent(retentionBasis, forKey: .retentionBasis)
    }
}

/// What the rulebook needs to know about the item an item answers: agency answers
/// are journaled when they answer a journaled item, and inherit its restriction.
public struct AnsweredItem: Sendable, Hashable {
    public var journal: Bool
    public var access: Access

    public init(journal: Bool, access: Access) {
        self.journal = journal
        self.access = access
    }
}
