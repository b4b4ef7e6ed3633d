import DiariumCore
import Foundation

/// An item as the registry holds it now: its latest version, the decision on it, its
/// journal entry if any, and how many versions were captured.
public struct ItemRecord: Sendable, Hashable {
    public var item: Item
    public var decision: Decision?
    public var versions: Int
    public var journalNumber: String?
    public var status: JournalStatus?
    public var journalDate: String?
    public var caseNumber: String?
    /// For a reply: the author of the item it answers (the journal's recipient).
    public var answeredAuthor: Author?
    /// The agency-local day the item belongs to in the daily journal.
    public var day: String
    public var firstCapturedAt: Date?
    /// What the registry holds for this item but could not be read back (empty for a sound
    /// row). The record then shows what could be read: the item's facts from its columns
    /// where the version's JSON failed, no decision where the decision's JSON failed.
    public var damaged: [DamagedRecord]

    public init(item: Item, decision: Decision?, versions: Int, journalNumber: String?, status: JournalStatus?, journalDate: String?,
                caseNumber: String?, answeredAuthor: Author?, day: String, firstCapturedAt: Date?, damaged: [DamagedRecord] = []) {
        self.item = item
        self.decision = decision
        self.versions = versions
        self.journalNumber = journalNumber
        self.status = status
        self.journalDate = journalDate
        self.caseNumber = caseNumber
        self.answeredAuthor = answeredAuthor
        self.day = day
        self.firstCapturedAt = firstCapturedAt
        self.damaged = damaged
    }

    /// The access restriction every output screens by: the decision's, or everything
    /// screened (name, recipient, title) when the stored decision could not be read, so
    /// a damaged row never shows in a public journal what its decision might screen.
    public var access: Access {
        if let decision { return decision.access }
        return damaged.contains { $0.part == .decision } ? .unreadable : .open
    }
}

extension Access {
    /// What a record whose decision cannot be read is treated as: restricted, every name
    /// and the title screened, until an officer decides again.
    public static let unreadable = Access(restricted: true, basis: "the stored decision could not be read; screened until an officer decides",
                                          screen: ["NA", "NM", "TRO"])
}

/// A value the registry holds that could not be read back: a version's item JSON or a
/// decision's JSON that is malformed, has a wrong type or an unknown value, or a date
/// that does not parse. Every read goes on without it and reports it, so one bad row
/// never hides the others; `diarium verify` tells whether the row was altered.
public struct DamagedRecord: Sendable, Hashable, CustomStringConvertible {
    public enum Part: String, Sendable, Hashable {
        /// The item version's JSON.
        case item
        /// The decision's JSON.
        case decision
    }

    public var account: String
    /// The platform's id of the item.
    public var id: String
    /// The version the JSON belongs to (for a record's decision: the latest decision,
    /// made on the item's current version).
    public var version: Int
    public var part: Part
    /// What could not be read, and what is shown instead.
    public var problem: String

    public init(account: String, id: String, version: Int, part: Part, problem: String) {
        self.account = account
        self.id = id
        self.version = version
        self.part = part
        self.problem = problem
    }

    /// `ACCOUNT:ID`.
    public var reference: String { "\(account):\(id)" }

    /// `version 2: the stored item could not be read: …`, for a page about the item.
    public var summary: String {
        "version \(version): the stored \(part == .item ? "item" : "decision") could not be read: \(problem)"
    }

    /// `etaten:123 version 2: the stored item could not be read: …`.
    public var description: String { "\(reference) \(summary)" }
}

/// What a capture was: enough to prove where and when bytes came from.
public struct CaptureInfo: Sendable, Hashable {
    public var id: Int64
    public var method: String
    public var url: String
    public var status: Int
    public var headers: [HTTPHeader]
    public var sha256: String
    public var size: Int
    public var capturedAt: Date?
    /// The redirects followed before `url` answered, in order (see `Capture.redirects`).
    public var redirects: [RedirectHop] = []

    /// The URL that was asked for, before any redirect.
    public var requestedURL: String { redirects.first?.url ?? url }
}

/// One version of an item with its provenance and the decision made on it.
public struct VersionDetail: Sendable, Hashable {
    public var number: Int
    /// The version's item; where its JSON could not be read, the item's facts from its
    /// columns (no text, no author), and `damaged` says so.
    public var item: Item
    public var contentHash: String
    public var capture: CaptureInfo
    public var decision: Decision?
    /// This version's item or decision JSON that could not be read.
    public var damaged: [DamagedRecord] = []
}

/// One change-log entry.
public struct ChangeLogEntry: Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var subject: String
    public var details: String
    public var previousHash: String
    public var hash: String
}

/// Everything `show` prints about one item.
public struct ItemDetail: Sendable {
    public var record: ItemRecord
    public var versions: [VersionDetail]
    public var deletedHow: String?
    public var deletionCapture: CaptureInfo?
    public var history: [ChangeLogEntry]

    /// Every version's item or decision JSON that could not be read, oldest first.
    public var damaged: [DamagedRecord] { versions.flatMap(\.damaged) }
}

/// What the connectors may want to re-check: recent threads and known edit times.
public struct RecentActivity: Sendable {
    public var threadRoots: [String]
    public var lastEdited: [String: Date]
    /// Every item in the window not yet marked deleted, newest first.
    public var itemIDs: [String]
}

/// Per-account state for status lines.
public struct AccountState: Sendable, Hashable {
    public var key: String
    public var platform: String
    public var checkpoint: Checkpoint
    public var lastSuccessAt: String?
    public var lastErrorAt: String?
    public var lastError: String?
    /// The account's latest quarantined payload: when, and what was wrong with it. A poll
    /// that quarantines still counts as a success (the account answered), so without
    /// this `status` would call an account whose feed is unreadable "ok".
    public var lastQuarantineAt: String? = nil
    public var lastQuarantineProblem: String? = nil
}
