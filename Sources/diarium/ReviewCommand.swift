import ArgumentParser
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// The records officer's queue and actions. Every action is written to the change log
/// with who (the Unix user), when, the old and new values, and why.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The records officer's queue: list proposals, approve them, or override them with a reason.",
        subcommands: [ReviewList.self, ReviewApprove.self, ReviewOverride.self])
}

/// Who acts: the Unix user running the command (`$SUDO_USER` when run through sudo).
func officerName() -> String {
    let env = ProcessInfo.processInfo.environment
    if let user = env["SUDO_USER"], !user.isEmpty { return user }
    if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return env["USER"] ?? "unknown"
}

struct ReviewList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Journal proposals awaiting the officer (status M), oldest first, with the reason for each.")

    @OptionGroup var options: RegistryOptions
    @Option(help: ArgumentHelp("Only this day, YYYY-MM-DD.", valueName: "date")) var date: String?
    @Option(help: "text or json (JSON lines).") var format: OutputFormat = .text
    @Option(help: "Language of the words and dates: nb, nn, sv or en (default: [agency] language, else nb for no, sv for se).")
    var language: String?

    func run() async throws {
        try await reportingErrors {
            guard format == .text || format == .json else { throw UsageError("review list prints --format text or json.") }
            let configuration = try options.loadConfiguration()
            let language = try chosenLanguage(self.language, configuration)
            func t(_ key: MessageKey, _ arguments: String...) -> String { Messages.text(key, language, arguments: arguments) }
            // Labels padded to one width, so the values line up in every language.
            let labels = [MessageKey.journalCorrespondent, .journalTitle, .journalColumnAccess, .journalWhy].map { t($0) + ":" }
            let width = labels.map(\.count).max() ?? 0
            let label = labels.map { "  " + $0.padding(toLength: width + 1, withPad: " ", startingAt: 0) }
            let registry = try options.openRegistry(configuration, access: .read)
            let queue = try registry.reviewQueue(day: try date.map { try validDay($0, option: "--date") })
            warnDamaged(queue.flatMap(\.damaged))
            if format == .json {
                for record in queue { printJSON(try JSONLines.encode(RecordJSON(record))) }
                return
            }
            printText(t(queue.count == 1 ? .webQueueCountOne : .webQueueCountMany, String(queue.count)) + (date.map { t(.webForDay, language.day($0)) } ?? ""))
            for record in queue {
                let view = JournalEntryView(record: record, isPublic: false, language: language, timeZone: configuration.timeZone)
                printText("\n\(record.journalNumber ?? "-")  \(view.type)  \(view.date)  \(record.item.account):\(record.item.id)")
                printText(label[0] + TerminalText.line(view.correspondent))
                printText(label[1] + TerminalText.line(view.title))
                if record.access.restricted {
                    printText(label[2] + Messages.access(record.access, language))
                }
                printText(label[3] + view.reason)
            }
            if !queue.isEmpty {
                printText("\n\(t(.webApprove)): diarium review approve ID   \(t(.webOverride)): diarium review override ID --journal yes|no --reason \"…\"")
            }
        }
    }
}

struct ReviewApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Confirm a proposal: status M becomes J, with today as the journal date.",
        discussion: """
            --date sets another journal date; it may not lie before the item existed (its journal day, or the day it \
            was first captured when that is earlier) nor after tomorrow in the agency's time zone.
            """)

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The item's id, or ACCOUNT:ID.") var id: String
    @Option(help: ArgumentHelp("The journal date (default: today in the agency's time zone).", valueName: "date")) var date: String?

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let known = try registry.knownAccountKeys()
            let day = try date.map { try validDay($0, option: "--date") } ?? Timestamp.day(Date(), in: configuration.timeZone)
            let outcome = try registry.approve(ItemReference(parsing: id, knownAccounts: known), actor: officerName(), day: day)
            printText("\(outcome.reference): \(outcome.summary)")
        }
    }
}

struct ReviewOverride: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Change the proposal for an item; a reason is required and kept in the change log.",
        discussion: """
            --journal yes journals the item (a new journal number, status J); --journal no takes a proposal \
            out of the journal (its number stays taken, status U), but never an entry already journaled (J). \
            --restricted yes needs --basis.
            """)

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The item's id, or ACCOUNT:ID.") var id: String
    @Option(help: "yes or no.") var journal: String?
    @Option(help: "Journal post type: I, U, N or X.") var type: String?
    @Option(help: "yes or no.") var restricted: String?
    @Option(help: "The legal basis of the restriction.") var basis: String?
    @Option(help: "Why; required.") var reason: String?
    @Option(help: "Retention after a review: B, K or G.") var retention: String?
    @Option(help: ArgumentHelp("With --retention K or G: the period from the item's creation (5y, 18m, 30d).", valueName: "period")) var period: String?
    @Option(help: "With --retention K and --period: the legal basis of disposal.") var retentionBasis: String?

    func yesNo(_ value: String?, _ name: String) throws -> Bool? {
        guard let value else { return nil }
        switch value.lowercased() {
        case "yes", "y", "true": return true
        case "no", "n", "false": return false
        default: throw UsageError("--\(name) must be yes or no, not \(value).")
        }
    }

    func run() async throws {
        try await reportingErrors {
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError("An override needs --reason \"…\": the reason is kept in the change log.")
            }
            let journalType = try type.map { value -> JournalType in
                guard let t = JournalType(rawValue: value.uppercased()) else { throw UsageError("--type must be I, U, N or X, not \(value).") }
                return t
            }
            var change = OfficerOverride(journal: try yesNo(journal, "journal"), type: journalType,
                                         restricted: try yesNo(restricted, "restricted"), basis: basis, reason: reason)
            if let retention {
                guard let code = Retention(rawValue: retention.uppercased()) else { throw OptionValueError("--retention must be B, K or G, not \(retention).") }
                change.retention = code
            }
            if let period {
                guard let parsed = RetentionPeriod(period) else { throw OptionValueError("--period must be a number and y, m or d (5y, 18m, 30d), not \(period).") }
                guard change.retention != nil else { throw OptionValueError("--period goes with --retention K or G.") }
                change.retentionPeriod = parsed
            }
            if let retentionBasis {
                // A basis is the kassasjonshjemmel of a disposal (K); on its own, or with B or
                // G, it would be dropped or mean nothing, so it is refused rather than ignored.
                guard change.retention == .K else { throw OptionValueError("--retention-basis goes with --retention K (and --period).") }
                change.retentionBasis = retentionBasis
            }
            guard change.journal != nil || change.type != nil || change.restricted != nil || change.basis != nil || change.retention != nil else {
                throw UsageError("Say what to change: --journal, --type, --restricted, --basis or --retention.")
            }
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let known = try registry.knownAccountKeys()
            let outcome = try registry.override(ItemReference(parsing: id, knownAccounts: known), actor: officerName(), change: change,
                                                day: Timestamp.day(Date(), in: configuration.timeZone))
            printText("\(outcome.reference): \(outcome.summary)\(outcome.journalNumber.map { "; journal \($0) status \(outcome.status?.rawValue ?? "-")" } ?? "")")
        }
    }
}
