import ArgumentParser
import DiariumConfig
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

extension OutputFormat: ExpressibleByArgument {}

struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print one day's journal: every journal entry with the reason, and what was captured but not journaled.",
        discussion: """
            --public prints the journal as it may be published: journal entries only, screened names left out, \
            titles of restricted items replaced, and national identity numbers masked.
            """)

    @OptionGroup var options: RegistryOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: yesterday in the agency's time zone).", valueName: "date")) var date: String?
    @Flag(help: "Screen what the decisions screen, for publication.") var `public` = false
    @Option(help: "text, csv, json (JSON lines) or html.") var format: OutputFormat = .text
    @Option(help: "Language of the words and dates: nb, nn, sv or en (default: [agency] language, else nb for no, sv for se).")
    var language: String?

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let day = try date.map { try validDay($0, option: "--date") } ?? Timestamp.day(Date().addingTimeInterval(-86400), in: configuration.timeZone)
            let registry = try options.openRegistry(configuration, access: .read)
            let (records, head) = try registry.withHead { try registry.journal(day: day) }
            let renderer = JournalRenderer(agencyName: configuration.agencyName, day: day, isPublic: self.public, head: head,
                                           language: try chosenLanguage(language, configuration), timeZone: configuration.timeZone)
            warnDamaged(records.flatMap(\.damaged))
            // Printed as rendered: the renderer has already made each format safe for a
            // terminal (text cleaned, CSV cells cleaned, JSON escaped, HTML escaped), and
            // cleaning again would turn CSV's CRLF line ends into pictures.
            print(try renderer.render(records, as: format), terminator: "")
        }
    }
}

/// The day given to `option` (`--date`, `--from`, `--to`), checked: the error names the
/// option that was given, so `search --from 2026-13-45` does not blame a `--date` that
/// the command has not got.
func validDay(_ text: String, option: String) throws -> String {
    guard text.count == 10, Timestamp.parseRFC3339(text) != nil else {
        throw OptionValueError("\(option) must be a real day written YYYY-MM-DD, not \(text).")
    }
    return text
}

/// The language a command writes in: `--language` when given, else the agency's
/// `[agency] language`, else its profile's own (nb for `no`, sv for `se`).
func chosenLanguage(_ option: String?, _ configuration: DiariumConfiguration) throws -> Language {
    if let option {
        guard let language = Language(rawValue: option) else {
            throw OptionValueError("--language must be nb, nn, sv or en, not \(option).")
        }
        return language
    }
    return Language.chosen(configuration.language, profile: configuration.profile)
}
