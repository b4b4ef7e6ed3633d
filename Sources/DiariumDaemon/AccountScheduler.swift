import DiariumArchiver
import DiariumCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What the scheduler reports as it goes; the daemon turns these into log lines,
/// metrics and systemd STATUS= lines.
public enum SchedulerEvent: Sendable {
    /// One poll finished. `skippedSlots` counts the poll slots it overran.
    case polled(AccountOutcome, platform: String, duration: Duration, skippedSlots: Int, nextPoll: Date)
    /// The registry refused a write; polling is paused until a probe poll succeeds.
    case registryPaused(message: String)
    case registryResumed
}

/// Per-account scheduling: each account has its own interval (with jitter, so many
/// accounts on one host do not poll in step), at most one poll of an account runs at a
/// time, and a slow or failing account never delays the others, because every poll is
/// its own child task and the loop only waits for the next due time. A poll that runs
/// past its next slot does not stack a second poll: the missed slots are skipped and
/// reported. When the registry cannot be written (full disk, read-only file) all
/// polling pauses, and one account at a time probes every `probeInterval` until a
/// write succeeds again.
public final class AccountScheduler: Sendable {
    struct Slot {
        var account: AccountConfig
        var interval: Double
        var due: Date
        var running = false
    }

    struct State {
        var archiver: Archiver
        var slots: [String: Slot] = [:]
        var paused = false
        var nextProbe = Date.distantPast
    }

    private let state: Mutex<State>
    private let doorbell = Doorbell()
    private let onEvent: @Sendable (SchedulerEvent) -> Void
    /// Fraction of the interval added at random to each next due time.
    let jitter: Double
    let probeInterval: Double

    /// - Parameters:
    ///   - lastAttempts: when each account was last polled (from the registry), so a
    ///     restart does not poll everything at once: an account is due one interval after
    ///     its last attempt, or within the first few seconds when that has passed.
    public init(archiver: Archiver, intervals: [String: Int] = [:], lastAttempts: [String: Date] = [:], jitter: Double = 0.1,
                probeInterval: Double = 30, onEvent: @escaping @Sendable (SchedulerEvent) -> Void = { _ in }) {
        self.jitter = max(0, jitter)
        self.probeInterval = probeInterval
        self.onEvent = onEvent
        var initial = State(archiver: archiver)
        let now = Date()
        for account in archiver.configuration.accounts {
            let interval = Double(intervals[account.key] ?? archiver.configuration.pollIntervalSeconds)
            let spread = min(interval * self.jitter, 5)
            var due = now.addingTimeInterval(Double.random(in: 0...max(spread, 0.000_1)))
            if let last = lastAttempts[account.key], last.addingTimeInterval(interval) > due { due = last.addingTimeInterval(interval) }
            initial.slots[account.key] = Slot(account: account, interval: interval, due: due)
        }
        state = Mutex(initial)
    }

    /// What a reload changed, in words for the log.
    public struct Changes: Sendable, Equatable {
        public var added: [String] = []
        public var removed: [String] = []
        public var changed: [String] = []
        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    /// Swaps in a new archiver (new configuration and rulebook). Polls already running
    /// finish with the old one; a removed account is dropped once its poll ends; an
    /// added account is due at once; a changed interval applies from now.
    @discardableResult
    public func apply(archiver: Archiver, intervals: [String: Int] = [:]) -> Changes {
        let changes = state.withLock { state -> Changes in
            var changes = Changes()
            let now = Date()
            var slots: [String: Slot] = [:]
            for account in archiver.configuration.accounts {
                let interval = Double(intervals[account.key] ?? archiver.configuration.pollIntervalSeconds)
                if var slot = state.slots[account.key] {
                    if slot.account != account || slot.interval != interval { changes.changed.append(account.key) }
                    if slot.interval != interval { slot.due = min(slot.due, now.addingTimeInterval(interval)) }
                    slot.account = account
                    slot.interval = interval
                    slots[account.key] = slot
                } else {
                    changes.added.append(account.key)
                    slots[account.key] = Slot(account: account, interval: interval, due: now)
                }
            }
            changes.removed = state.slots.keys.filter { slots[$0] == nil }.sorted()
            changes.added.sort()
            changes.changed.sort()
            state.slots = slots
            state.archiver = archiver
            return changes
        }
        doorbell.ring()
        return changes
    }

    /// The next due time of every account (for `STATUS=` and tests).
    public var nextPolls: [String: Date] { state.withLock { $0.slots.mapValues(\.due) } }
    public var isPaused: Bool { state.withLock { $0.paused } }

    /// Runs until graceful shutdown or cancellation. On shutdown no new poll starts and
    /// the running ones are cancelled: their HTTP requests end at once, and a commit
    /// already under way is one synchronous SQLite transaction that completes or rolls
    /// back, so nothing half-written is ever left.
    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let (start, wake) = nextBatch(now: Date())
                    for (account, archiver) in start {
                        group.addTask { await self.pollOne(account, archiver: archiver) }
                    }
                    await doorbell.wait(timeout: .milliseconds(Int64(max(1, min(wake, 3600)) * 1000)))
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.doorbell.ring()
        }
    }

    /// Marks the due accounts running and says how long to sleep until the next one.
    private func nextBatch(now: Date) -> (start: [(AccountConfig, Archiver)], wakeInSeconds: Double) {
        state.withLock { state in
            var start: [(AccountConfig, Archiver)] = []
            if state.paused {
                // One probe at a time: the account that has waited longest.
                let anyRunning = state.slots.values.contains { $0.running }
                if !anyRunning, now >= state.nextProbe, let key = state.slots.values.min(by: { $0.due < $1.due })?.account.key {
                    state.slots[key]!.running = true
                    state.nextProbe = now.addingTimeInterval(probeInterval)
                    start.append((state.slots[key]!.account, state.archiver))
                }
                return (start, max(0.05, state.nextProbe.timeIntervalSince(now)))
            }
            var earliest = Date.distantFuture
            for key in state.slots.keys.sorted() {
                let slot = state.slots[key]!
                guard !slot.running else { continue }
                if slot.due <= now {
                    state.slots[key]!.running = true
                    start.append((slot.account, state.archiver))
                } else {
                    earliest = min(earliest, slot.due)
                }
            }
            return (start, max(0.001, earliest.timeIntervalSince(now)))
        }
    }

    private func pollOne(_ account: AccountConfig, archiver: Archiver) async {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await archiver.poll(account)
        let duration = clock.now - started
        let unwritable = outcome.errorKind == .registryUnwritable
        let (skipped, next, pauseChange) = state.withLock { state -> (Int, Date, Bool?) in
            let now = Date()
            var pauseChange: Bool?
            if unwritable, !state.paused {
                state.paused = true
                state.nextProbe = now.addingTimeInterval(probeInterval)
                pauseChange = true
            } else if state.paused, outcome.error == nil, !outcome.skipped {
                state.paused = false
                pauseChange = false
            }
            guard var slot = state.slots[account.key] else { return (0, now, pauseChange) }
            slot.running = false
            var skipped = 0
            var next = slot.due.addingTimeInterval(slot.interval * (1 + Double.random(in: 0...jitter)))
            if unwritable {
                next = slot.due // keep its place in the queue for when writing works again
            } else {
                while next <= now {
                    next = next.addingTimeInterval(slot.interval)
                    skipped += 1
                }
            }
            slot.due = next
            state.slots[account.key] = slot
            return (skipped, next, pauseChange)
        }
        if outcome.errorKind != .cancelled {
            onEvent(.polled(outcome, platform: account.platform.rawValue, duration: duration, skippedSlots: skipped, nextPoll: next))
        }
        if pauseChange == true { onEvent(.registryPaused(message: outcome.error ?? "the registry cannot be written")) }
        if pauseChange == false { onEvent(.registryResumed) }
        doorbell.ring()
    }
}
