import ArgumentParser
import DiariumArchiver
import DiariumCore
import DiariumDaemon
import DiariumHTTP
import DiariumStore
import Foundation

/// The time-stamps of the change log's head: ask for one now, or write the kept answers
/// out for `openssl ts -verify`.
struct TimestampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timestamp",
        abstract: "RFC 3161 time-stamps of the change log's head ([integrity] tsa_url).",
        subcommands: [TimestampNow.self, TimestampExport.self])
}

struct TimestampNow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "now",
        abstract: "Send the current head to the configured time-stamping authority and keep its answer (the daemon does this daily).")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            guard let authority = configuration.tsaURL else {
                throw UsageError("No time-stamping authority is configured: set [integrity] tsa_url.")
            }
            let registry = try options.openRegistry(configuration, access: .write)
            let client = CurlHTTPClient(configuration: HTTPClientConfiguration(configuration))
            guard let head = try await ChainStamper(registry: registry, client: client, authority: authority).stamp() else {
                throw UsageError("The change log is empty: there is no head to time-stamp yet.")
            }
            printText("time-stamped head \(head) by \(authority)")
        }
    }
}

struct TimestampExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every kept answer as HEADID-HASH.tsr into a folder.",
        discussion: "Check one with: openssl ts -verify -digest HASH -in HEADID-HASH.tsr -CAfile the-authority's-CA.pem")

    @OptionGroup var options: RegistryOptions
    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let stamps = try registry.timestamps()
            for stamp in stamps {
                let file = folder.appendingPathComponent("\(stamp.head.id)-\(stamp.head.hash).tsr")
                try stamp.answer.write(to: file)
                printText("\(file.path)  head \(stamp.head)  stamped \(stamp.stampedAt) by \(stamp.authority)")
            }
            if stamps.isEmpty { printText("no time-stamps kept yet") }
        }
    }
}
