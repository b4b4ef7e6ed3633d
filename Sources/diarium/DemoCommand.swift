import ArgumentParser
import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDemo
import DiariumHTTP
import DiariumOutputs
import DiariumReplay
import DiariumStore
import Foundation
import Logging

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve sample accounts on 127.0.0.1 and run the whole pipeline against them, then print the day's journal.",
        discussion: """
            Starts local sample feeds (Mastodon, RSS, Atom, JSON Feed), polls them twice (the second poll finds \
            a new reply and an edited post), and prints the journal of the sample day \(DemoScenario.sampleDay). \
            Nothing leaves this machine. Use --db to keep the registry and explore it afterwards with \
            journal, search and show.
            """)

    @Option(help: ArgumentHelp("Registry file to keep (default: a new temporary file).", valueName: "file")) var db: String?
    @Option(help: "Rulebook profile: no or se.") var profile: String = "no"
    @Flag(help: "Also print the public journal.") var `public` = false
    @Option(help: "Language of the journal and reasons: nb, nn, sv or en (default: nb for no, sv for se).") var language: String?
    @Option(help: "Log level.") var logLevel: Logger.Level = .warning

    func run() async throws {
        bootstrapLogging(level: logLevel)
        try await reportingErrors {
            guard ["no", "se"].contains(profile) else { throw UsageError("--profile must be no or se, not \(profile).") }
            let server = try DemoScenario.startServer()
            defer { server.stop() }
            let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("diarium-demo-\(UUID().uuidString).sqlite").path
            let configuration = try DiariumConfiguration.parse(
                Self.configurationText(server: server, registryPath: path, profile: profile), file: "the demo's configuration")
            let language = try chosenLanguage(self.language, configuration)
            let registry = try Registry(path: path, timeZone: configuration.timeZone)
            let archiver = Archiver(configuration: configuration, registry: registry,
                                    rulebook: try loadRulebook(profile: profile, overrides: nil, language: language.rawValue),
                                    client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration), logger: Logger(label: "diarium.http")),
                                    logger: Logger(label: "diarium"))

            printText("Sample feeds on \(server.baseURL); registry \(path); profile \(profile)")
            printText("First poll:  " + CycleSummary.line(await archiver.runCycle()))
            server.setStage(1)
            printText("Second poll: " + CycleSummary.line(await archiver.runCycle()) + "\n")

            let records = try registry.journal(day: DemoScenario.sampleDay)
            warnDamaged(records.flatMap(\.damaged))
            printText(try JournalRenderer(agencyName: configuration.agencyName, day: DemoScenario.sampleDay, isPublic: false, language: language, timeZone: configuration.timeZone).render(records, as: .text))
            if self.public {
                printText(try JournalRenderer(agencyName: configuration.agencyName, day: DemoScenario.sampleDay, isPublic: true, language: language, timeZone: configuration.timeZone).render(records, as: .text))
            }
            printText("Explore: diarium journal --db \(path) --date \(DemoScenario.sampleDay) [--public] [--format csv|json|html]")
            printText("         diarium search --db \(path) \"bostøtte\"   ·   diarium show --db \(path) --versions ITEM-ID")
        }
    }

    /// The demo's configuration, written as a file would be and read by the same parser,
    /// and the client is built from it as `run` builds its own: no path of the demo skips
    /// the address policy. The sample server listens on 127.0.0.1, an internal address; the
    /// accounts' own URLs there are trusted as configured origins, and `[poll]
    /// allow_addresses` lists the server as a whole, as an agency would list an internal
    /// media host its accounts link to.
    static func configurationText(server: ReplayServer, registryPath: String, profile: String) -> String {
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = [
            "[registry]", "path = \(quoted(registryPath))",
            "[agency]", "name = \"Etaten (demo)\"", "profile = \(quoted(profile))", "timezone = \"UTC\"",
            "[poll]", "rescan = \"3650d\"", "allow_addresses = [\"127.0.0.1:\(server.port)\"]",
        ]
        for account in DemoScenario.accounts(baseURL: server.baseURL) {
            lines += ["[[account]]", "key = \(quoted(account.key))", "platform = \(quoted(account.platform))"]
            if let baseURL = account.baseURL { lines.append("base_url = \(quoted(baseURL))") }
            if let handle = account.handle { lines.append("handle = \(quoted(handle))") }
            if let url = account.url { lines.append("url = \(quoted(url))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
