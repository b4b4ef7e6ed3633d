import ArgumentParser
import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import Foundation
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: poll every account, capture, decide and store, every [poll] interval.",
        discussion: "Stops cleanly on SIGTERM or SIGINT. With --once, runs one cycle and exits.")

    @OptionGroup var options: RegistryOptions
    @Flag(help: "Run one cycle and exit.") var once = false
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel: Logger.Level = .info

    func run() async throws {
        bootstrapLogging(level: logLevel)
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            guard !configuration.accounts.isEmpty else {
                throw ConfigurationError("\(configuration.file ?? "The configuration") names no [[account]] to poll.")
            }
            let registry = try options.openRegistry(configuration)
            let rulebook = try loadRulebook(profile: configuration.profile, overrides: configuration.rules)
            let logger = Logger(label: "diarium")
            let archiver = Archiver(configuration: configuration, registry: registry, rulebook: rulebook,
                                    client: CurlHTTPClient(logger: Logger(label: "diarium.http")), logger: logger)
            if once {
                let report = await archiver.runCycle()
                print(CycleSummary.line(report))
                return
            }
            var services: [any Service] = [PollingService(archiver: archiver, intervalSeconds: configuration.pollIntervalSeconds, logger: logger)]
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

/// Runs a cycle every interval (with up to 10 % jitter, so many daemons do not poll in
/// step) until graceful shutdown; the wait ends at once on SIGTERM.
struct PollingService: Service {
    let archiver: Archiver
    let intervalSeconds: Int
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let report = await archiver.runCycle()
            logger.info("\(CycleSummary.line(report))")
            let jitter = Double.random(in: 0...(Double(intervalSeconds) * 0.1))
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(Double(intervalSeconds) + jitter))
            }
        }
    }
}
