import ArgumentParser
import Foundation

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every capture hash and walk the change-log chain; exit 1 at the first mismatch.")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let report = try options.openRegistry(configuration).verify()
            if let problem = report.problem {
                printError("diarium: verify failed: \(problem)")
                throw ExitCode(1)
            }
            print("verified \(report.blobsChecked) captured bodies and \(report.changeLogEntries) change-log entries: no mismatch")
        }
    }
}
