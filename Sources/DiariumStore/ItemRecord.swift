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

    public init(item: Item, decision: Decision?, versions: Int, journalNumber: String?, status: JournalStatus?, journalDate: String?,
                caseNumber: String?, answeredAuthor: Author?, day: String, firstCapturedAt: Date?) {
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
    }
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
    public var item: Item
    public var contentHash: String
    public var capture: CaptureInfo
    public var decision: Decision?
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
}
