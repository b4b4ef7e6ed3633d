import ArgumentParser
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

extension SearchOrder: ExpressibleByArgument {}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over every version ever captured, including edited and deleted items.",
        discussion: """
            \(SearchQuery.syntax) The text, the author's name and handle of every version are searched; \
            an empty query lists everything the filters allow. A query may start with -word (diarium search \
            -søknad bostøtte); -- before the query is accepted too. The Unix user running the command is trusted: \
            restricted items are shown in full.
            """)

    @OptionGroup var options: RegistryOptions
    /// The query's words as typed, in any number of arguments: `search -bostøtte søknad`
    /// leaves a word out without quoting or `--` (the argument parser took `-bostøtte`
    /// for an unknown option). Every argument no option claims lands here, so a
    /// misspelt `--option` is refused in `filter()` rather than searched for.
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("What to find (may be empty; several words may be given unquoted, and -word leaves a word out).", valueName: "query"))
    var words: [String] = []

    /// The words before a `--` (where a misspelt option may hide) and after it (all query).
    var split: (before: ArraySlice<String>, after: ArraySlice<String>) {
        guard let terminator = words.firstIndex(of: "--") else { return (words[...], []) }
        return (words[..<terminator], words[(terminator + 1)...])
    }

    var query: String { (split.before + split.after).joined(separator: " ") }
    @Option(help: ArgumentHelp("First journal day, YYYY-MM-DD.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last journal day, YYYY-MM-DD.", valueName: "date")) var to: String?
    @Option(help: "Only this platform (mastodon, bluesky, x, facebook, flickr, youtube, feed).") var platform: String?
    @Option(help: "Only this account key.") var account: String?
    @Option(help: "Only this kind (post, reply, comment, message, share).") var kind: String?
    @Option(help: "yes: only journaled items; no: only items not journaled.") var journaled: String?
    @Option(help: "Only this journal status (M, J, U).") var status: String?
    @Option(help: "yes or no.") var restricted: String?
    @Option(help: "yes: only items with more than one version.") var edited: String?
    @Option(help: "yes: only items marked deleted on the platform.") var deleted: String?
    @Option(help: "newest (default) or relevance.") var sort: SearchOrder = .newest
    @Option(help: "text or json (JSON lines).") var format: OutputFormat = .text
    @Option(help: "At most this many items (at least 1; default 100).") var limit: Int = 100

    func yesNo(_ value: String?, _ name: String) throws -> Bool? {
        guard let value else { return nil }
        switch value.lowercased() {
        case "yes", "y", "true": return true
        case "no", "n", "false": return false
        default: throw UsageError("--\(name) must be yes or no, not \(value).")
        }
    }

    func filter() throws -> SearchFilter {
        if let unknown = split.before.first(where: { $0.hasPrefix("--") }) {
            throw OptionValueError("Unknown option \(unknown.split(separator: "=", maxSplits: 1).first.map(String.init) ?? unknown); see diarium search --help (a word to leave out is written -word).")
        }
        var f = SearchFilter()
        f.from = try from.map { try validDay($0, option: "--from") }
        f.to = try to.map { try validDay($0, option: "--to") }
        if let first = f.from, let last = f.to, first > last {
            throw OptionValueError("--from \(first) is after --to \(last): no day lies between them.")
        }
        if let platform {
            guard let p = Platform(rawValue: platform) else { throw UsageError("--platform must be one of \(Platform.allCases.map(\.rawValue).joined(separator: ", ")), not \(platform).") }
            f.platform = p
        }
        f.account = account
        if let kind {
            guard let k = ItemKind(rawValue: kind) else { throw UsageError("--kind must be one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")), not \(kind).") }
            f.kind = k
        }
        if let status {
            guard let s = JournalStatus(rawValue: status.uppercased()) else { throw UsageError("--status must be M, J or U, not \(status).") }
            f.status = s
        }
        f.journaled = try yesNo(journaled, "journaled")
        f.restricted = try yesNo(restricted, "restricted")
        f.edited = try yesNo(edited, "edited")
        f.deleted = try yesNo(deleted, "deleted")
        f.order = sort
        // 0 used to be read as 1 (the registry's floor); a limit that lists nothing is
        // no use, and a negative one means nothing, so both are refused.
        guard limit >= 1 else { throw OptionValueError("--limit must be at least 1 (the most items to list), not \(limit).") }
        f.limit = limit
        return f
    }

    func run() async throws {
        try await reportingErrors {
            guard format == .text || format == .json else { throw UsageError("search prints --format text or json.") }
            let filter = try filter()
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let records = try registry.search(query, filter: filter)
            warnDamaged(records.flatMap(\.damaged))
            for record in records {
                if format == .json {
                    printJSON(try JSONLines.encode(RecordJSON(record)))
                } else {
                    let item = record.item
                    let flags = [record.journalNumber.map { "journal \($0) \(record.status?.rawValue ?? "")" }, record.versions > 1 ? "\(record.versions) versions" : nil,
                                 item.deletedAt != nil ? "deleted" : nil, (record.decision?.access.restricted ?? false) ? "restricted" : nil]
                        .compactMap { $0 }.joined(separator: ", ")
                    let first = item.text.split(separator: "\n").first.map(String.init) ?? ""
                    printText("\(item.account):\(item.id)  \(item.createdAt.map(Timestamp.format) ?? "-")  \(item.platform.rawValue) \(item.kind.rawValue) by \(TerminalText.line(item.author.displayName))\(flags.isEmpty ? "" : "  [\(flags)]")")
                    printText("    \(TerminalText.line(first.count > 140 ? String(first.prefix(139)) + "…" : first))")
                }
            }
            if format == .text { printText("\(records.count) item\(records.count == 1 ? "" : "s")") }
        }
    }
}
