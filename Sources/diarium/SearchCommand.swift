import ArgumentParser
import DiariumCore
import DiariumOutputs
import Foundation

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over every version ever captured, including edited and deleted items.",
        discussion: "Words are all required; a trailing * matches any ending. An empty query lists everything, newest first.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "Words to find (may be empty).") var query: String = ""
    @Option(help: "text or json (JSON lines).") var format: OutputFormat = .text
    @Option(help: "At most this many items.") var limit: Int = 100

    func run() async throws {
        try await reportingErrors {
            guard format == .text || format == .json else { throw UsageError("search prints --format text or json.") }
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration)
            let records = try registry.search(query, limit: limit)
            for record in records {
                if format == .json {
                    print(try JSONLines.encode(RecordJSON(record)))
                } else {
                    let item = record.item
                    let flags = [record.journalNumber.map { "journal \($0)" }, record.versions > 1 ? "\(record.versions) versions" : nil,
                                 item.deletedAt != nil ? "deleted" : nil].compactMap { $0 }.joined(separator: ", ")
                    let first = item.text.split(separator: "\n").first.map(String.init) ?? ""
                    print("\(item.account):\(item.id)  \(item.createdAt.map(Timestamp.format) ?? "-")  \(item.kind.rawValue) by \(item.author.displayName)\(flags.isEmpty ? "" : "  [\(flags)]")")
                    print("    \(first.count > 140 ? String(first.prefix(139)) + "…" : first)")
                }
            }
            if format == .text { print("\(records.count) item\(records.count == 1 ? "" : "s")") }
        }
    }
}
