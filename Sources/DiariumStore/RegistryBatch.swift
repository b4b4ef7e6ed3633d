import DiariumCore
import Foundation

/// One item version together with the decision made on it and the capture it came from.
public struct DecidedVersion: Sendable {
    public var item: Item
    public var decision: Decision
    /// Index into `RegistryBatch.captures`.
    public var captureIndex: Int

    public init(item: Item, decision: Decision, captureIndex: Int) {
        self.item = item
        self.decision = decision
        self.captureIndex = captureIndex
    }
}

/// A deletion confirmed by a direct lookup; the capture is the evidence.
public struct DeletionMark: Sendable {
    public var itemID: String
    public var detectedAt: Date
    public var how: String
    public var captureIndex: Int

    public init(itemID: String, detectedAt: Date, how: String, captureIndex: Int) {
        self.itemID = itemID
        self.detectedAt = detectedAt
        self.how = how
        self.captureIndex = captureIndex
    }
}

/// A payload that could not be read, kept for inspection.
public struct QuarantineMark: Sendable {
    public var problem: String
    public var captureIndex: Int

    public init(problem: String, captureIndex: Int) {
        self.problem = problem
        self.captureIndex = captureIndex
    }
}

/// A change to the account itself, with the response that showed it (if any).
public struct AccountEventMark: Sendable {
    public var kind: String
    public var detail: String
    public var detectedAt: Date
    public var captureIndex: Int?
    /// Whether the account cannot be polled now (suspended, deleted, protected): the
    /// registry then sets a growing backoff before the next attempt.
    public var unavailable: Bool

    public init(kind: String, detail: String, detectedAt: Date, captureIndex: Int?, unavailable: Bool) {
        self.kind = kind
        self.detail = detail
        self.detectedAt = detectedAt
        self.captureIndex = captureIndex
        self.unavailable = unavailable
    }
}

/// Everything one poll of one account wants stored. It is written in one
/// transaction together with the account's new checkpoint: either all of it is in
/// the registry after a crash, or none of it and the checkpoint has not moved.
public struct RegistryBatch: Sendable {
    public var account: String
    public var platform: Platform
    /// The new checkpoint; nil leaves the stored one as it is.
    public var checkpoint: Checkpoint?
    public var captures: [Capture]
    public var versions: [DecidedVersion]
    public var deletions: [DeletionMark]
    public var quarantined: [QuarantineMark]
    public var accountEvents: [AccountEventMark] = []
    /// Who the change log names for these writes.
    public var actor: String

    public init(account: String, platform: Platform, checkpoint: Checkpoint?, captures: [Capture] = [], versions: [DecidedVersion] = [], deletions: [DeletionMark] = [], quarantined: [QuarantineMark] = [], actor: String = "diarium") {
        self.account = account
        self.platform = platform
        self.checkpoint = checkpoint
        self.captures = captures
        self.versions = versions
        self.deletions = deletions
        self.quarantined = quarantined
        self.actor = actor
    }
}

/// What a commit changed, for logs, status lines and tests.
public struct CommitSummary: Sendable, Hashable {
    public var newItems = 0
    public var newVersions = 0
    public var unchanged = 0
    public var journalEntries = 0
    public var deletions = 0
    public var quarantined = 0
    public var capturesStored = 0
    public var mediaQueued = 0
    /// Media files downloaded after the commit (filled in by the archiver).
    public var mediaStored = 0
    public var accountEvents = 0

    public init() {}

    public static func += (lhs: inout CommitSummary, rhs: CommitSummary) {
        lhs.newItems += rhs.newItems
        lhs.newVersions += rhs.newVersions
        lhs.unchanged += rhs.unchanged
        lhs.journalEntries += rhs.journalEntries
        lhs.deletions += rhs.deletions
        lhs.quarantined += rhs.quarantined
        lhs.capturesStored += rhs.capturesStored
        lhs.mediaQueued += rhs.mediaQueued
        lhs.mediaStored += rhs.mediaStored
        lhs.accountEvents += rhs.accountEvents
    }
}

/// What the registry already holds about an item, for deciding its next version:
/// whether it is journaled (it then stays journaled) and its current access.
public struct PriorState: Sendable, Hashable {
    public var journalNumber: String?
    public var decision: Decision
    public var editedAt: Date?

    public init(journalNumber: String?, decision: Decision, editedAt: Date?) {
        self.journalNumber = journalNumber
        self.decision = decision
        self.editedAt = editedAt
    }
}
