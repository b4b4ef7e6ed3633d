import ArgumentParser
import DiariumAccess
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

extension AccessFormat: ExpressibleByArgument {}

/// `diarium innsyn`: answers an access request (innsynskrav / begäran om allmän handling)
/// with the public version of the items asked for, and records the answer as the officer's
/// action in the change log.
struct InnsynCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "innsyn",
        abstract: "Answer an access request: the requested items, screened as the public journal screens them, as PDF, HTML or CSV.",
        discussion: """
            Name the items with --item ID (repeatable), --case NUMBER (repeatable, e.g. 2026/000001: every item of \
            that case file) or --query Q (a search, as `diarium search` reads it; --from and --to limit it to journal \
            days). The answer has a header with the agency, the date and the request's reference, then each item with \
            its thread, its author as published, its time, every version's text and its attachments. Names, texts and \
            national identity numbers the public journal screens are left out, each named with its legal basis. The \
            answer is written in [agency] language (default: nb for profile no, sv for se). --out must name a new file. \
            The answer is recorded in the change log with who, when, the reference, and each item released or withheld; \
            `diarium show ID` lists the requests an item was released under. Exit status 2 for a mistake in the arguments.
            """)

    @OptionGroup var options: RegistryOptions
    @Option(help: ArgumentHelp("The request's reference (case number or the requester's reference).", valueName: "ref")) var request: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Items to release: the platform's id, or ACCOUNT:ID.", valueName: "id")) var item: [String] = []
    @Option(name: .customLong("case"), parsing: .upToNextOption, help: ArgumentHelp("Case files to release, e.g. 2026/000001.", valueName: "number")) var caseNumbers: [String] = []
    @Option(help: ArgumentHelp("A search whose hits are released.", valueName: "query")) var query: String?
    @Option(help: ArgumentHelp("With --query: first journal day, YYYY-MM-DD.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("With --query: last journal day, YYYY-MM-DD.", valueName: "date")) var to: String?
    @Option(help: ArgumentHelp("The answer's file; it must not exist.", valueName: "file")) var out: String?
    @Option(help: "pdf (default), html or csv.") var format: AccessFormat = .pdf

    /// A mistake in the arguments: one sentence and exit status 2, like a configuration mistake.
    struct ArgumentMistake: Error { var message: String }

    func validated() throws(ArgumentMistake) -> (reference: String, out: String) {
        guard let request, !request.trimmingCharacters(in: .whitespaces).isEmpty, !request.contains(where: \.isNewline) else {
            throw ArgumentMistake(message: "innsyn needs the request's reference: --request REF.")
        }
        guard let out, !out.isEmpty else { throw ArgumentMistake(message: "innsyn needs the file to write: --out FILE.") }
        let chosen = [!item.isEmpty, !caseNumbers.isEmpty, query != nil].filter { $0 }.count
        guard chosen == 1 else {
            throw ArgumentMistake(message: "Name what to release with exactly one of --item ID…, --case NUMBER… or --query Q.")
        }
        if (from != nil || to != nil) && query == nil {
            throw ArgumentMistake(message: "--from and --to limit a --query; with --item or --case they have no meaning.")
        }
        for day in [from, to].compactMap({ $0 }) where day.count != 10 || Timestamp.parseRFC3339(day) == nil {
            throw ArgumentMistake(message: "--from and --to must be days written YYYY-MM-DD, not \(day).")
        }
        return (request.trimmingCharacters(in: .whitespaces), out)
    }

    func run() async throws {
        let checked: (reference: String, out: String)
        do {
            checked = try validated()
        } catch {
            printError("diarium: \(error.message)")
            throw ExitCode(2)
        }
        try await reportingErrors {
            let file = try AnswerFile(checked.out)
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let known = try registry.knownAccountKeys().union(configuration.accounts.map(\.key))
            let selection: AccessSelection
            if !item.isEmpty {
                selection = .items(item.map { ItemReference(parsing: $0, knownAccounts: known) })
            } else if !caseNumbers.isEmpty {
                selection = .cases(caseNumbers)
            } else {
                selection = .query(query ?? "", from: from, to: to)
            }
            let builder = AccessAnswerBuilder(
                registry: registry, agencyName: configuration.agencyName, profile: configuration.profile,
                language: Language.chosen(configuration.language, profile: configuration.profile), timeZone: configuration.timeZone)
            let prepared = try PreparedAnswer(try builder.build(reference: checked.reference, selection: selection), format: format)
            try file.write(prepared.document)
            let head: ChainHead?
            do {
                head = try prepared.record(in: registry, actor: officerName())
            } catch {
                // An answer is never handed over without its entry in the change log.
                file.remove()
                throw error
            }
            printText("wrote the answer to request \(checked.reference) to \(file.target.path) (\(format.rawValue), \(prepared.answer.language.rawValue)): \(prepared.answer.items.count) item\(prepared.answer.items.count == 1 ? "" : "s"), \(prepared.summary); recorded in change-log entry \(head?.description ?? "-")")
        }
    }
}
