import ArgumentParser
import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDaemon
import DiariumHTTP
import DiariumRules
import Foundation
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: poll every account on its own interval, capture, decide and store.",
        discussion: """
            Stops cleanly on SIGTERM or SIGINT; SIGHUP reloads the configuration and the rules. \
            Under systemd (Type=notify) it reports READY=1 once the registry is open and migrated, \
            WATCHDOG=1 and STATUS= lines. With --once, runs one cycle over every account and exits: \
            0 when every account was polled, 4 when at least one failed (the others are still polled), \
            2 for a configuration mistake.
            """)

    @OptionGroup var options: RegistryOptions
    @Flag(help: "Run one cycle and exit.") var once = false
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical). Default: [log] level, else info.")
    var logLevel: Logger.Level?
    @Option(help: "Log format: journald (<N> priority prefixes), json, or text. Default: [log] format, else journald under systemd, else text.")
    var logFormat: LogFormat?

    func run() async throws {
        let redactor = SecretRedactor()
        try await reportingErrors {
            let options = self.options
            // Read before logging starts, so that [log] can choose the level and format
            // (a mistake in the file is printed on stderr either way). A reload applies a
            // changed [log]; what the command line gave stays.
            let configuration = try options.loadConfiguration()
            let logControl = LogControl(level: logLevel ?? configuration.log.level.flatMap(Logger.Level.init(rawValue:)) ?? .info,
                                        format: logFormat ?? configuration.log.format.flatMap(LogFormat.init(rawValue:)) ?? LogFormat.automatic(),
                                        levelPinned: logLevel != nil, formatPinned: logFormat != nil)
            bootstrapLogging(logControl, redactor: redactor)
            redactor.loadSecrets(fromFiles: configuration.accounts.compactMap(\.credentials))
            guard !configuration.accounts.isEmpty else {
                throw ConfigurationError("\(configuration.file ?? "The configuration") names no [[account]] to poll.")
            }
            let registry = try options.openRegistry(configuration, access: .create)
            let rulebook = try loadRulebook(profile: configuration.profile, overrides: configuration.rules, language: configuration.language)
            let logger = Logger(label: "diarium")
            let metrics = DaemonMetrics()
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(configuration, onEvent: { metrics.record($0) }),
                                        logger: Logger(label: "diarium.http"))
            let makeArchiver: @Sendable (DiariumConfiguration, Rulebook) -> Archiver = { configuration, rulebook in
                // A reload brings its accounts' origins, allow_addresses and budgets to the client.
                client.reconfigure { $0.apply(configuration) }
                return Archiver(configuration: configuration, registry: registry, rulebook: rulebook, client: client, logger: logger)
            }
            let archiver = makeArchiver(configuration, rulebook)
            if once {
                let report = await archiver.runCycle()
                print(CycleSummary.line(report))
                // Every account was still tried; the status tells a script or a sysadmin
                // checking a new configuration whether any of them failed.
                if !report.failedAccounts.isEmpty { throw ExitCode(CycleSummary.someAccountsFailed) }
                return
            }
            let loader = DaemonService.Loader(
                configuration: { try options.loadConfiguration() },
                rulebook: { try loadRulebook(profile: $0.profile, overrides: $0.rules, language: $0.language) },
                archiver: makeArchiver)
            let service = DaemonService(archiver: archiver, rulebook: rulebook, loader: loader, notifier: .fromEnvironment(),
                                        metrics: metrics, redactor: redactor, logger: logger, logControl: logControl,
                                        probeInterval: min(30, Double(configuration.pollIntervalSeconds)))
            var metricsServer: MetricsServer?
            if let port = configuration.daemon.metricsPort {
                let accounts = configuration.accounts.map(\.key)
                metricsServer = try MetricsServer(port: port) { metrics.render(accounts: accounts) }
                logger.notice("metrics at http://127.0.0.1:\(metricsServer!.port)/metrics")
            }
            defer { metricsServer?.stop() }
            var services: [any Service] = [service]
            if let tsa = configuration.tsaURL {
                services.append(ChainStamper(registry: registry, client: client, authority: tsa))
            }
            // With [web] configured, the officer's page runs in the same group: one SIGTERM stops both.
            if let web = configuration.web {
                services.append(webServer(configuration, registry: registry, settings: web, logger: Logger(label: "diarium.web")).application())
            }
            let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

enum CycleSummary {
    /// `run --once`'s exit status when at least one account failed.
    static let someAccountsFailed: Int32 = 4

    static func line(_ report: CycleReport) -> String {
        let t = report.total
        let seconds = report.finishedAt.timeIntervalSince(report.startedAt)
        var line = "polled \(report.outcomes.count) accounts in \(String(format: "%.2f", seconds)) s: \(t.newItems) new items, \(t.newVersions) new versions, \(t.journalEntries) journal entries, \(t.deletions) deletions, \(t.quarantined) quarantined"
        if !report.failedAccounts.isEmpty {
            line += "; failed: " + report.failedAccounts.joined(separator: ", ")
        }
        return line
    }
}
