import DiariumCore
import DiariumHTTP
import Foundation

/// What one poll of one account produced. Every item comes with the capture (raw
/// response) that produced it; nothing is stored yet.
public struct Harvest: Sendable {
    /// Captures in the order they were fetched, each with the items it yielded.
    public var observations: [Observation]
    /// Payloads that could not be read: kept and logged, never fatal.
    public var quarantined: [Quarantined]
    /// Items a direct lookup confirmed gone (an Atom tombstone, a 404 on lookup).
    public var deletions: [Deletion]
    /// Where the next poll starts; stored in the same transaction as the items.
    public var checkpoint: Checkpoint
    /// Changes to the account itself (renamed, suspended, deleted, protected).
    public var accountEvents: [AccountEvent] = []
    /// Failures that left no response to keep (a transport error after the first
    /// request, a page cap reached): one sentence each, for the log and `status`.
    public var problems: [String]
    /// The poll is not finished: this harvest is one chunk of a long back-fill, and the
    /// archiver commits it and harvests again from its checkpoint, so a large account is
    /// archived chunk by chunk, never held whole in memory, and a stop resumes where it was.
    public var continues = false

    public init(observations: [Observation] = [], quarantined: [Quarantined] = [], deletions: [Deletion] = [], checkpoint: Checkpoint, problems: [String] = [], accountEvents: [AccountEvent] = []) {
        self.accountEvents = accountEvents
        self.observations = observations
        self.quarantined = quarantined
        self.deletions = deletions
        self.checkpoint = checkpoint
        self.problems = problems
    }

    public var itemCount: Int { observations.reduce(0) { $0 + $1.items.count } }
}

/// One response and the normalised items (or item versions) read from it.
public struct Observation: Sendable {
    public var capture: Capture
    public var items: [Item]

    public init(capture: Capture, items: [Item]) {
        self.capture = capture
        self.items = items
    }
}

/// A confirmed deletion: when it was found gone, and the evidence (the response that said so).
public struct Deletion: Sendable {
    public var itemID: String
    public var detectedAt: Date
    public var how: String
    public var evidence: Capture

    public init(itemID: String, detectedAt: Date, how: String, evidence: Capture) {
        self.itemID = itemID
        self.detectedAt = detectedAt
        self.how = how
        self.evidence = evidence
    }
}

/// A change to the archived account itself, recorded in the registry and logged as a
/// warning: a renamed handle (followed by the stable id), or an account that is
/// suspended, deleted or protected (retried with backoff).
public struct AccountEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case renamed, suspended, deleted, protected, restored
    }

    public var kind: Kind
    /// One sentence for the log and the registry, e.g. "handle changed from @a to @b".
    public var detail: String
    public var detectedAt: Date
    /// The response that showed it, kept as evidence.
    public var evidence: Capture?

    public init(kind: Kind, detail: String, detectedAt: Date, evidence: Capture? = nil) {
        self.kind = kind
        self.detail = detail
        self.detectedAt = detectedAt
        self.evidence = evidence
    }
}

/// What the registry already knows about an account, handed down by the archiver so a
/// connector can re-check recent threads without reading the registry itself.
public struct KnownItems: Sendable {
    /// Ids of the account's own posts inside the rescan window, newest first: their
    /// threads are fetched again for new replies and edits.
    public var recentThreadRoots: [String]
    /// The latest `editedAt` the registry holds per item id, so a connector fetches an
    /// edit history only when the platform reports a newer edit.
    public var lastEdited: [String: Date]
    /// Every item of the account inside the rescan window that is not yet marked
    /// deleted (posts, replies, comments, messages), newest first: re-checked in batches
    /// by direct lookup, the only evidence that makes a deletion.
    public var recentItemIDs: [String]

    /// Every id the registry knows inside the rescan window, items and thread roots: what
    /// a run checks an id it meets against before treating it as new.
    public var recentIDs: Set<String> { Set(recentItemIDs).union(recentThreadRoots) }

    public init(recentThreadRoots: [String] = [], lastEdited: [String: Date] = [:], recentItemIDs: [String] = []) {
        self.recentThreadRoots = recentThreadRoots
        self.lastEdited = lastEdited
        self.recentItemIDs = recentItemIDs
    }
}

/// A platform connector: knows one wire format and nothing about law or storage.
public protocol Connector: Sendable {
    var platform: Platform { get }
    /// Polls the account from `checkpoint` on. Throws only when nothing at all could be
    /// harvested (the account cannot be resolved, the first request failed); a bad page
    /// later on ends up in `quarantined` and the harvest returns what it has.
    func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest
}
