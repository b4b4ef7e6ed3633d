import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import DiariumRules
import DiariumStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `diarium run` as a service: the scheduler, systemd's notify protocol, the
/// watchdog, SIGHUP reload and the metrics, under swift-service-lifecycle. Every wait in
/// here ends on graceful shutdown, so SIGTERM stops the daemon in well under a second
/// plus the time of a commit already under way.
public final class DaemonService: Service, Sendable {
    /// How the daemon rebuilds its pipeline on reload: the configuration file and rule files
    /// are read again, the registry and HTTP client stay.
    public struct Loader: Sendable {
        public var configuration: @Sendable () throws -> DiariumConfiguration
        public var rulebook: @Sendable (DiariumConfiguration) throws -> Rulebook
        public var archiver: @Sendable (DiariumConfiguration, Rulebook) -> Archiver

        public init(configuration: @escaping @Sendable () throws -> DiariumConfiguration,
                    rulebook: @escaping @Sendable (DiariumConfiguration) throws -> Rulebook,
                    archiver: @escaping @Sendable (DiariumConfiguration, Rulebook) -> Archiver) {
            self.configuration = configuration
            self.rulebook = rulebook
            self.archiver = archiver
        }
    }

    let loader: Loader
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics
    let redactor: SecretRedactor
    let logger: Logger
    /// The process's log level and format, which a reload's `[log]` may change.
    let logControl: LogControl?
    let scheduler: AccountScheduler
    let board: StatusBoard
    let registry: Registry
    private let current: Mutex<DiariumConfiguration>

    /// - Parameter archiver: built from the configuration already loaded and validated;
    ///   the registry it holds is open and migrated (so READY=1 is true when sent).
    public init(archiver: Archiver, rulebook: Rulebook, loader: Loader, notifier: SystemdNotifier, metrics: DaemonMetrics,
                redactor: SecretRedactor, logger: Logger, logControl: LogControl? = nil, probeInterval: Double = 30) {
        self.loader = loader
        self.logControl = logControl
        self.notifier = notifier
        self.metrics = metrics
        self.redactor = redactor
        self.logger = logger
        self.registry = archiver.registry
        let configuration = archiver.configuration
        current = Mutex(configuration)
        let states = (try? archiver.registry.accounts()) ?? []
        var lastAttempts: [String: Date] = [:]
        var lastSuccess: [String: Date] = [:]
        for state in states {
            let success = state.lastSuccessAt.flatMap(Timestamp.parse)
            let failure = state.lastErrorAt.flatMap(Timestamp.parse)
            if let success { lastSuccess[state.key] = success }
            if let latest = [success, failure].compactMap({ $0 }).max() { lastAttempts[state.key] = latest }
        }
        metrics.seedLastSuccess(lastSuccess)
        metrics.setRegistryWritable(true)
        let board = StatusBoard(timeZone: configuration.timeZone)
        self.board = board
        let log = logger
        scheduler = AccountScheduler(archiver: archiver, intervals: configuration.daemon.accountIntervals, lastAttempts: lastAttempts,
                                     probeInterval: probeInterval) { event in
            DaemonService.handle(event, metrics: metrics, board: board, notifier: notifier, logger: log)
        }
        log.info("rules loaded", metadata: ["profile": "\(rulebook.profileLabel)", "accounts": "\(configuration.accounts.count)"])
    }

    public func run() async throws {
        // Trap SIGHUP before telling systemd we are ready: its default action is to exit.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let accounts = current.withLock { $0.accounts.count }
        notifier.ready(status: "registry open, \(accounts) accounts scheduled")
        // The chain's head in the journal too: a second record outside the registry of how
        // far it reached (see `ChainWitness`), at every start and stop.
        let head = (try? registry.head())?.description ?? "none"
        logger.notice("started", metadata: ["accounts": "\(accounts)", "watchdog": "\(notifier.watchdogInterval.map { "\($0)" } ?? "off")", "chainHead": "\(head)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if let interval = notifier.watchdogInterval {
                    group.addTask { [notifier] in
                        while !Task.isShuttingDownGracefully && !Task.isCancelled {
                            notifier.watchdog()
                            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                        }
                    }
                }
                group.addTask {
                    for await _ in hangups.cancelOnGracefulShutdown() { self.reload() }
                }
                await scheduler.run()
                group.cancelAll()
            }
        } onGracefulShutdown: { [notifier, logger] in
            notifier.stopping(status: "stopping: finishing open transactions")
            logger.notice("stopping: no new polls; requests in flight are cancelled, commits under way complete")
        }
        logger.notice("stopped", metadata: ["chainHead": "\((try? registry.head())?.description ?? "none")"])
    }

    /// SIGHUP: reads the configuration and the rules again and applies them without a
    /// restart. A broken file leaves the running configuration in place and says why.
    public func reload() {
        notifier.reloading()
        defer { notifier.ready(status: board.line(nextPoll: scheduler.nextPolls.values.min())) }
        do {
            let fresh = try loader.configuration()
            redactor.loadSecrets(fromFiles: fresh.accounts.compactMap(\.credentials))
            let rulebook = try loader.rulebook(fresh)
            let old = current.withLock { $0 }
            // First, so the line that reports the reload is written at the new level.
            let logChanges = logControl?.apply(level: fresh.log.level.flatMap(Logger.Level.init(rawValue:)),
                                               format: fresh.log.format.flatMap(LogFormat.init(rawValue:))) ?? []
            let changes = scheduler.apply(archiver: loader.archiver(fresh, rulebook), intervals: fresh.daemon.accountIntervals)
            current.withLock { $0 = fresh }
            var parts: [String] = []
            if !changes.added.isEmpty { parts.append("added \(changes.added.joined(separator: ", "))") }
            if !changes.removed.isEmpty { parts.append("removed \(changes.removed.joined(separator: ", "))") }
            if !changes.changed.isEmpty { parts.append("changed \(changes.changed.joined(separator: ", "))") }
            if old.profile != fresh.profile { parts.append("profile \(old.profile) → \(fresh.profile)") }
            if old.pollIntervalSeconds != fresh.pollIntervalSeconds { parts.append("interval \(old.pollIntervalSeconds)s → \(fresh.pollIntervalSeconds)s") }
            parts += logChanges
            parts.append("rules \(rulebook.profileLabel) reloaded")
            logger.notice("configuration reloaded: \(parts.joined(separator: "; "))", metadata: ["file": "\(fresh.file ?? "-")"])
            if old.registryPath != fresh.registryPath {
                logger.warning("[registry] path changed to \(fresh.registryPath); the daemon keeps \(old.registryPath) until it is restarted")
            }
            if old.daemon.metricsPort != fresh.daemon.metricsPort {
                logger.warning("[metrics] changed; it takes effect at the next restart")
            }
        } catch {
            let message = (error as? any UserFacingError)?.message ?? "\(error)"
            logger.error("reload failed, the running configuration stays in force: \(message)")
        }
    }

    /// The daemon's reaction to what the scheduler reports.
    static func handle(_ event: SchedulerEvent, metrics: DaemonMetrics, board: StatusBoard, notifier: SystemdNotifier, logger: Logger) {
        switch event {
        case let .polled(outcome, platform, duration, skipped, next):
            metrics.record(outcome, platform: platform, duration: duration)
            if skipped > 0 {
                metrics.recordSkippedSlot(account: outcome.account)
                logger.warning("poll overran its interval (took \(duration)); \(skipped) slot(s) skipped, not stacked; next poll \(Timestamp.format(next))",
                               metadata: ["account": "\(outcome.account)"])
            }
            board.record(outcome)
            notifier.status(board.line(nextPoll: next))
        case .registryPaused(let message):
            metrics.setRegistryWritable(false)
            logger.critical("the registry cannot be written; polling is paused and retried every little while, nothing is lost: \(message)")
            notifier.status("PAUSED: registry not writable (disk full or read-only); \(message)")
        case .registryResumed:
            metrics.setRegistryWritable(true)
            logger.notice("the registry accepts writes again; polling resumed")
        }
    }
}

/// The numbers behind systemd's STATUS= line.
final class StatusBoard: Sendable {
    private struct State {
        var polled = Set<String>()
        var failing = Set<String>()
        var newItems = 0
    }

    private let state = Mutex(State())
    let timeZone: TimeZone

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    func record(_ outcome: AccountOutcome) {
        state.withLock { state in
            state.polled.insert(outcome.account)
            if outcome.error == nil { state.failing.remove(outcome.account) } else if !outcome.skipped { state.failing.insert(outcome.account) }
            state.newItems += outcome.summary.newItems
        }
    }

    /// `polled 120 accounts, 3 new items, 1 failing, next poll 09:15`.
    func line(nextPoll: Date?) -> String {
        let s = state.withLock { $0 }
        var text = "polled \(s.polled.count) accounts, \(s.newItems) new items"
        if !s.failing.isEmpty { text += ", \(s.failing.count) failing" }
        if let nextPoll {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.hour, .minute, .second], from: nextPoll)
            text += String(format: ", next poll %02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        }
        return text
    }
}
