import ArgumentParser
import DiariumStore
import Foundation

/// Creates a registry, or upgrades an older one, without starting the daemon: read
/// commands never do either, so an auditor's copy is never changed by looking at it.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the registry, or upgrade one written by an older Diarium (read commands never do).")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .create)
            printText("registry \(registry.path) is ready; chain head \(try registry.head()?.description ?? "none yet")")
        }
    }
}
