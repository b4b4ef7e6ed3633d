import ArgumentParser
import DiariumCore
import DiariumStore
import Foundation

/// Legal holds: while one covers an item, no plan and no officer disposes of it. Placing
/// and releasing are written to the change log with who and why.
struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Legal holds: items that must not be disposed while the hold stands.",
        subcommands: [HoldAdd.self, HoldList.self, HoldRelease.self])
}

struct HoldAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Place a legal hold on items, a thread, an account or what a search finds; a reason is required.",
        discussion: """
            Give exactly one of --item (repeatable), --thread, --account or --query. A thread or account hold \
            covers later items too; a query hold covers what the search finds whenever a plan is made.
            """)

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The hold's name (unique; used to release it).") var name: String
    @Option(help: "Why; required, kept in the change log.") var reason: String?
    @Option(name: .customLong("item"), parsing: .upToNextOption, help: ArgumentHelp("An item's id, or ACCOUNT:ID (repeatable).", valueName: "id")) var items: [String] = []
    @Option(help: ArgumentHelp("Any item of the thread: the whole thread is held.", valueName: "id")) var thread: String?
    @Option(help: ArgumentHelp("An account key: every item of the account is held.", valueName: "key")) var account: String?
    @Option(help: ArgumentHelp("A search query (as for `diarium search`).", valueName: "q")) var query: String?
    @Option(help: ArgumentHelp("With --query: first day, YYYY-MM-DD.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("With --query: last day, YYYY-MM-DD.", valueName: "date")) var to: String?

    func run() async throws {
        try await reportingErrors {
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw OptionValueError("A hold needs --reason \"…\": the reason is kept in the change log.")
            }
            let given = [!items.isEmpty, thread != nil, account != nil, query != nil].filter { $0 }.count
            guard given == 1 else { throw OptionValueError("Give exactly one of --item, --thread, --account or --query.") }
            if (from != nil || to != nil) && query == nil { throw OptionValueError("--from and --to go with --query.") }
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let known = try registry.knownAccountKeys().union(configuration.accounts.map(\.key))
            let scope: HoldScope
            if let thread {
                scope = .thread(ItemReference(parsing: thread, knownAccounts: known))
            } else if let account {
                scope = .account(account)
            } else if let query {
                scope = .query(query, from: try from.map { try validDay($0, option: "--from") }, to: try to.map { try validDay($0, option: "--to") })
            } else {
                scope = .items(items.map { ItemReference(parsing: $0, knownAccounts: known) })
            }
            let hold = try registry.placeHold(name: name, scope: scope, reason: reason, actor: officerName())
            printText("Hold \(hold.name) placed on \(hold.covers).")
        }
    }
}

struct HoldList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every legal hold, standing ones first.")

    @OptionGroup var options: RegistryOptions
    @Option(help: "text or json (JSON lines).") var format: HoldFormat = .text

    enum HoldFormat: String, ExpressibleByArgument { case text, json }

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let holds = try registry.holds()
            if format == .json {
                for hold in holds { printJSON(try JSONLines.encode(HoldJSON(hold))) }
                return
            }
            if holds.isEmpty { printText("No legal holds.") }
            for hold in holds {
                let state = hold.releasedAt.map { "released \($0) by \(hold.releasedBy ?? "?"): \(hold.releaseReason ?? "")" } ?? "standing"
                printText("\(hold.name)  \(state)\n  Covers: \(hold.covers)\n  Placed: \(hold.placedAt) by \(hold.placedBy)\n  Why:    \(hold.reason)")
            }
        }
    }
}

struct HoldJSON: Encodable {
    var name, scope, covers, reason, placedAt, placedBy: String
    var releasedAt, releasedBy, releaseReason: String?
    var standing: Bool

    init(_ hold: LegalHold) {
        name = hold.name; scope = hold.scope; covers = hold.covers; reason = hold.reason; placedAt = hold.placedAt; placedBy = hold.placedBy
        releasedAt = hold.releasedAt; releasedBy = hold.releasedBy; releaseReason = hold.releaseReason; standing = hold.isActive
    }
}

struct HoldRelease: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release a legal hold; its items become due at the next plan. A reason is required.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The hold's name.") var name: String
    @Option(help: "Why; required, kept in the change log.") var reason: String?

    func run() async throws {
        try await reportingErrors {
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw OptionValueError("Releasing a hold needs --reason \"…\": the reason is kept in the change log.")
            }
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            try registry.releaseHold(name: name, reason: reason, actor: officerName())
            printText("Hold \(name) released.")
        }
    }
}
