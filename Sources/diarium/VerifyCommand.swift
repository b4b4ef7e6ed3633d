import ArgumentParser
import DiariumStore
import Foundation

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the registry is what was captured and what the officers did: every body hash, the change-log chain, every sealed row, and the chain's head against the witness and any anchor.",
        discussion: """
            Opens the registry read-only (a read-only copy works). Exit 0 when everything holds; \
            exit 1 with one line per problem, each naming the table, row, item and field that changed; \
            exit 2 when the path leads to no Diarium registry (missing, foreign, older schema). \
            The last line names the chain's head (ID:HASH): note it elsewhere and pass it back with \
            --anchor to prove later that nothing was removed since.
            """)

    @OptionGroup var options: RegistryOptions

    @Option(name: .long, help: ArgumentHelp("A chain head noted elsewhere (ID:HASH); the chain must contain it. Repeatable.", valueName: "id:hash"))
    var anchor: [String] = []

    @Option(name: .long, help: ArgumentHelp("Witness file to check against; overrides [integrity] witness.", valueName: "file"))
    var witness: String?

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let anchors = try anchor.map { text in
                guard let head = ChainHead(anchor: text) else {
                    throw UsageError("--anchor \(text) is not ID:HASH (an entry number, a colon and a 64-digit hex hash).")
                }
                return head
            }
            let registry = try options.openRegistry(configuration, access: .read)
            if registry.readsLastCheckpointOnly {
                printError("diarium: warning: \(registry.path)-wal holds commits this user may not read; verifying the state of the last checkpoint (run as the service's user, or on a copy taken after a checkpoint, to see the newest).")
            }
            let witnessFile = (witness ?? configuration.witnessPath).map { ChainWitness(path: $0) }
            let report = try registry.verify(anchors: anchors, witness: witnessFile)
            for warning in report.warnings { printError("diarium: warning: \(warning)") }
            if !report.problems.isEmpty {
                for problem in report.problems { printError("diarium: verify failed: \(problem)") }
                if report.unlisted > 0 { printError("diarium: verify failed: … and \(report.unlisted) more problems.") }
                throw ExitCode(1)
            }
            var checked = "verified \(report.blobsChecked) captured bodies, \(report.changeLogEntries) change-log entries and \(report.rowsChecked) sealed rows"
            if report.headsChecked > 0 { checked += " against \(report.headsChecked) witnessed or anchored heads" }
            printText(checked + ": no mismatch")
            if report.disposedItems > 0 {
                printText("\(report.disposedItems) disposed item\(report.disposedItems == 1 ? "" : "s") and \(report.disposedBodies) removed captured bod\(report.disposedBodies == 1 ? "y" : "ies"), each vouched for by its disposal entry")
            }
            printText("head \(report.head?.description ?? "none (empty change log)")")
        }
    }
}
