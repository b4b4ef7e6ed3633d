import ArgumentParser
import DiariumConfig
import DiariumCore
import DiariumStore
import DiariumWeb
import Foundation
import Logging
import ServiceLifecycle

/// `diarium serve`: the records officer's web page alone, without polling (for a
/// reading copy of the registry, or when the poller runs as another unit).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the records officer's web page (journal, review queue, items, public journal).",
        discussion: """
            Listens on [web] listen and port of the configuration (default 127.0.0.1:8080). Log in with a user \
            added by `diarium user add`. Stops cleanly on SIGTERM or SIGINT.
            """)

    @OptionGroup var options: RegistryOptions
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel: Logger.Level = .notice

    func run() async throws {
        bootstrapLogging(level: logLevel)
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let logger = Logger(label: "diarium.web")
            let server = webServer(configuration, registry: registry, settings: configuration.web ?? WebSettings(), logger: logger)
            let group = ServiceGroup(services: [server.application()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}

/// The web page over `registry`, for `serve` and for `run` when `[web]` is configured.
func webServer(_ configuration: DiariumConfiguration, registry: Registry, settings: WebSettings, logger: Logger) -> WebServer {
    var app = WebApp(registry: registry, agencyName: configuration.agencyName, timeZone: configuration.timeZone, settings: settings,
                     logger: logger)
    app.profile = configuration.profile
    app.language = configuration.language
    return WebServer(app: app, settings: settings, logger: logger)
}
