import DiariumConfig
import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumRules
import DiariumStore
import Foundation
import Logging

/// What one account's poll came to, for logs, status lines and tests.
public struct AccountOutcome: Sendable {
    public var account: String
    public var summary: CommitSummary
    public var error: String?
    /// What kind of failure `error` was, for metrics and for pausing on a full disk.
    public var errorKind: PollErrorKind? = nil
    /// New items by kind (post, reply, comment, message, share), for metrics.
    public var newItemsByKind: [String: Int] = [:]
    /// Rules named by the decisions of new items and new versions, for metrics.
    public var decisionsByRule: [String: Int] = [:]
    /// True when the account was not polled at all (backoff, shutdown).
    public var skipped = false
}

/// What one cycle over every account came to.
public struct CycleReport: Sendable {
    public var outcomes: [AccountOutcome]
    public var startedAt: Date
    public var finishedAt: Date

    public var total: CommitSummary {
        var sum = CommitSummary()
        for o in outcomes { sum += o.summary }
        return sum
    }

    public var failedAccounts: [String] { outcomes.filter { $0.error != nil }.map(\.account) }
}

/// One archiving cycle: for every account, poll its platform, decide each item, and
/// commit items, decisions and the new checkpoint in one transaction. A failing
/// account is logged and recorded; it never stops the others.
public struct Archiver: Sendable {
    public let configuration: DiariumConfiguration
    public let registry: Registry
    public let rulebook: Rulebook
    public let client: any HTTPClient
    public let logger: Logger
    /// How many accounts are polled at once.
    public var concurrency: Int
    /// Which attached media are downloaded, and how many per account per cycle.
    public var media: MediaPolicy

    public init(configuration: DiariumConfiguration, registry: Registry, rulebook: Rulebook, client: any HTTPClient,
                logger: Logger = Logger(label: "diarium.archiver"), concurrency: Int = 16, media: MediaPolicy = MediaPolicy()) {
        self.configuration = configuration
        self.registry = registry
        self.rulebook = rulebook
        self.client = client
        self.logger = logger
        self.concurrency = max(1, concurrency)
        self.media = media
    }

    public func runCycle() async -> CycleReport {
        let started = Date()
        var outcomes: [AccountOutcome] = []
        await withTaskGroup(of: AccountOutcome.self) { group in
            var pending = configuration.accounts[...]
            for _ in 0..<min(concurrency, pending.count) {
                let account = pending.removeFirst()
                group.addTask { await poll(account) }
            }
            for await outcome in group {
                outcomes.append(outcome)
                if let account = pending.popFirst(), !Task.isCancelled {
                    group.addTask { await poll(account) }
                }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: configuration.accounts.enumerated().map { ($1.key, $0) })
        outcomes.sort { order[$0.account, default: 0] < order[$1.account, default: 0] }
        return CycleReport(outcomes: outcomes, startedAt: started, finishedAt: Date())
    }

    /// Polls one account; every failure ends here as a logged, recorded outcome.
    public func poll(_ account: AccountConfig) async -> AccountOutcome {
        var log = logger
        log[metadataKey: "account"] = "\(account.key)"
        if let until = try? registry.backoffUntil(account: account.key), until > Date() {
            let message = "Account '\(account.key)' was found unavailable; the next attempt is after \(Timestamp.format(until))."
            log.notice("skipped: \(message)")
            return AccountOutcome(account: account.key, summary: CommitSummary(), error: message, errorKind: .unavailable, skipped: true)
        }
        do {
            var stats = PollStatistics()
            var summary = try await harvestAndCommit(account, logger: log, statistics: &stats)
            summary.mediaStored = await downloadMedia(of: account, logger: log)
            log.info("polled", metadata: [
                "new": "\(summary.newItems)", "versions": "\(summary.newVersions)", "journaled": "\(summary.journalEntries)",
                "deleted": "\(summary.deletions)", "quarantined": "\(summary.quarantined)",
            ])
            return AccountOutcome(account: account.key, summary: summary, error: nil,
                                  newItemsByKind: stats.newItemsByKind, decisionsByRule: stats.decisionsByRule)
        } catch {
            let message = (error as? any UserFacingError)?.message ?? "\(error)"
            let kind = PollErrorKind.classify(error)
            if kind == .cancelled {
                // Shutdown interrupted the requests; nothing was committed, nothing failed.
                log.notice("poll interrupted by shutdown; it resumes from the last checkpoint")
                return AccountOutcome(account: account.key, summary: CommitSummary(), error: message, errorKind: kind, skipped: true)
            }
            log.error("poll failed: \(message)", metadata: ["kind": "\(kind.rawValue)"])
            if kind.exhaustsRequestBudget {
                // Said once per account and cycle, so a sysadmin sees what a dead host costs
                // and which settings bound it.
                log.warning("account \(account.key) exhausted its request budget: no answer after \(configuration.requestAttempts) attempts of up to \(configuration.requestTimeoutSeconds) s each ([poll] attempts, request_timeout); it is tried again next cycle")
            }
            try? registry.recordFailure(account: account.key, platform: account.platform, message: message)
            if case .accountNotFound? = error as? ConnectorError {
                // A handle that no longer exists: recorded as an account event, and
                // retried with a growing backoff rather than every cycle.
                var batch = RegistryBatch(account: account.key, platform: account.platform, checkpoint: nil)
                batch.accountEvents = [AccountEventMark(kind: AccountEvent.Kind.deleted.rawValue, detail: message, detectedAt: Date(), captureIndex: nil, unavailable: true)]
                _ = try? registry.commit(batch)
            }
            return AccountOutcome(account: account.key, summary: CommitSummary(), error: message, errorKind: kind)
        }
    }

    func harvestAndCommit(_ account: AccountConfig, logger log: Logger, statistics: inout PollStatistics) async throws -> CommitSummary {
        guard let connector = makeConnector(for: account.platform, client: client) else {
            throw ArchiverError("Account '\(account.key)': the \(account.platform.rawValue) connector is not available in this version.")
        }
        var total = CommitSummary()
        var chunk = 0
        let checkpoint = try registry.checkpoint(account: account.key)
        let since = Date().addingTimeInterval(-Double(configuration.rescanSeconds))
        let activity = try registry.recentActivity(account: account.key, since: since)
        let known = KnownItems(recentThreadRoots: activity.threadRoots, lastEdited: activity.lastEdited, recentItemIDs: activity.itemIDs)
        var harvest = try await connector.harvest(account: account, checkpoint: checkpoint, known: known)
        // A harvest that `continues` is one chunk of a long back-fill: committed (with the
        // checkpoint that says where the next chunk starts) chunk by chunk, so memory holds
        // at most two chunks and a stop or failure resumes from the last commit. The next
        // chunk is fetched while this one is decided and stored; it needs only this one's
        // checkpoint, and the registry's view of the rescan window does not change with
        // older statuses (later chunks skip the window anyway).
        while true {
            for problem in harvest.quarantined {
                log.warning("quarantined payload: \(problem.problem)", metadata: ["url": "\(problem.capture.url)", "sha256": "\(problem.capture.sha256)"])
            }
            for problem in harvest.problems {
                log.warning("\(problem)")
            }
            for event in harvest.accountEvents {
                log.warning("account \(event.kind.rawValue): \(event.detail)")
            }
            let next: Task<Harvest, any Error>? = harvest.continues && !Task.isCancelled
                ? Task { [checkpoint = harvest.checkpoint] in try await connector.harvest(account: account, checkpoint: checkpoint, known: known) }
                : nil
            do {
                let (batch, prior) = try decideWithPrior(harvest, account: account, logger: log)
                total += try registry.commit(batch)
                statistics.add(PollStatistics(batch: batch, prior: prior))
            } catch {
                next?.cancel()
                throw error
            }
            chunk += 1
            guard let next else { return total }
            log.info("back-fill chunk committed", metadata: ["chunk": "\(chunk)", "new": "\(total.newItems)"])
            harvest = try await withTaskCancellationHandler {
                try await next.value
            } onCancel: {
                next.cancel()
            }
        }
    }

    /// Decides and stores a harvest that is already in hand (what a poll does after its
    /// requests; the benchmark calls it directly on generated pages).
    public func ingest(_ harvest: Harvest, account: AccountConfig) throws -> CommitSummary {
        try registry.commit(try decide(harvest, account: account))
    }

    /// Turns a harvest into a registry batch: every item decided in order.
    func decide(_ harvest: Harvest, account: AccountConfig) throws -> RegistryBatch {
        try decideWithPrior(harvest, account: account).batch
    }

    /// The batch and the registry's prior state of its items (which tells new from known).
    /// Every item's dates are checked here, once for every connector, before the rulebook
    /// and the registry see them (see `checkDates`).
    func decideWithPrior(_ harvest: Harvest, account: AccountConfig, logger: Logger? = nil) throws -> (batch: RegistryBatch, prior: [String: PriorState]) {
        var ids = Set<String>()
        for observation in harvest.observations {
            for item in observation.items {
                ids.insert(item.id)
                if let parent = item.inReplyTo { ids.insert(parent) }
            }
        }
        let prior = try registry.priorStates(account: account.key, ids: Array(ids))
        var stage = DecisionStage(rulebook: rulebook, prior: prior)
        var batch = RegistryBatch(account: account.key, platform: account.platform, checkpoint: harvest.checkpoint)
        let plausible = Item.plausibleDates(around: Date())
        for observation in harvest.observations {
            batch.captures.append(observation.capture)
            let index = batch.captures.count - 1
            for var item in observation.items {
                item.account = account.key
                checkDates(&item, plausible, logger: logger)
                batch.versions.append(DecidedVersion(item: item, decision: stage.decide(item), captureIndex: index))
            }
        }
        for deletion in harvest.deletions {
            batch.captures.append(deletion.evidence)
            batch.deletions.append(DeletionMark(itemID: deletion.itemID, detectedAt: deletion.detectedAt, how: deletion.how, captureIndex: batch.captures.count - 1))
        }
        for problem in harvest.quarantined {
            batch.captures.append(problem.capture)
            batch.quarantined.append(QuarantineMark(problem: problem.problem, captureIndex: batch.captures.count - 1))
        }
        for event in harvest.accountEvents {
            var index: Int?
            if let evidence = event.evidence {
                batch.captures.append(evidence)
                index = batch.captures.count - 1
            }
            let unavailable = [.suspended, .deleted, .protected].contains(event.kind)
            batch.accountEvents.append(AccountEventMark(kind: event.kind.rawValue, detail: event.detail, detectedAt: event.detectedAt, captureIndex: index, unavailable: unavailable))
        }
        return (batch, prior)
    }

    /// A date outside `plausible` (before 1970, after the end of next year) is left out of
    /// the normalised item with a warning naming the account, the item, the field and the
    /// value; the captured bytes keep what the platform sent. A connector already leaves
    /// out a date it cannot parse (a feed says so in `Harvest.problems`).
    func checkDates(_ item: inout Item, _ plausible: Range<Date>, logger: Logger?) {
        let problems = item.clearDates(outside: plausible)
        guard !problems.isEmpty else { return }
        var log = logger ?? self.logger
        if logger == nil { log[metadataKey: "account"] = "\(item.account)" }
        let range = "\(Timestamp.day(plausible.lowerBound)) to \(Timestamp.day(plausible.upperBound.addingTimeInterval(-1)))"
        for problem in problems {
            log.warning("item \(item.id): \(problem.field) \(problem.value) is not a plausible date (outside \(range)); stored without it, the raw capture keeps what the platform sent")
        }
    }
}

public struct ArchiverError: UserFacingError {
    public var message: String
    public init(_ message: String) { self.message = message }
}
