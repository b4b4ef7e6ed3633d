import ArgumentParser
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// Disposal (kassasjon / gallring) in two steps: a numbered plan of what is due, then its
/// execution with a reason; and an officer's erasure of one item at once. Nothing with
/// a journal entry and nothing under a legal hold is ever disposed.
struct DisposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispose",
        abstract: "Disposal of records whose retention ran out: plan, execute, report; or erase one item.",
        subcommands: [DisposePlanCommand.self, DisposeExecute.self, DisposeItem.self, DisposeReportCommand.self, DisposeList.self])
}

struct DisposePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Record a numbered plan of every item due for disposal by DATE (default today).",
        discussion: """
            Due: retention K whose period (the rule's keep) ended, not covered by a legal hold, without a journal \
            entry. Held items, and G items whose review day passed, are listed apart and never disposed by a plan. \
            --format json prints one JSON line per due item.
            """)

    @OptionGroup var options: RegistryOptions
    @Option(help: ArgumentHelp("The day the plan is made for, YYYY-MM-DD (default: today).", valueName: "date")) var asOf: String?
    @Option(help: "text or json (JSON lines).") var format: PlanFormat = .text
    @Option(help: "Language of the text: nb, nn, sv or en (default: [agency] language, else nb for no, sv for se).") var language: String?

    enum PlanFormat: String, ExpressibleByArgument { case text, json }

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let language = try chosenLanguage(self.language, configuration)
            let day = try asOf.map { try validDay($0, option: "--as-of") } ?? Timestamp.day(Date(), in: configuration.timeZone)
            let registry = try options.openRegistry(configuration, access: .write)
            let plan = try registry.makeDisposalPlan(asOf: day, actor: officerName())
            if format == .json {
                for item in plan.due { printJSON(try JSONLines.encode(PlannedItemJSON(item))) }
                // The plan's number and what it holds besides, on stderr so standard output
                // stays one JSON line per due item: with nothing due, the number (which
                // `execute` and `report` take) would otherwise be said nowhere.
                printError("disposal plan \(plan.number) as of \(plan.asOf): \(plan.due.count) due, \(plan.held.count) held, \(plan.review.count) for review")
                return
            }
            printText(DisposalPlanText.render(plan, language: language))
        }
    }
}

/// One planned item as `dispose plan --format json` prints it.
struct PlannedItemJSON: Encodable {
    var plan: Int64
    var id, account, kind, day, rule, retention, disposeAfter, status: String
    var period, basis: String?
    var holds: [String]

    init(_ item: PlannedItem) {
        plan = item.plan; id = item.id; account = item.account; kind = item.kind; day = item.day; rule = item.rule
        retention = item.retention; disposeAfter = item.disposeAfter; status = item.status.rawValue; period = item.period
        basis = item.basis; holds = item.holds
    }

    enum CodingKeys: String, CodingKey { case plan, id, account, kind, day, rule, retention, period, disposeAfter, basis, status, holds }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plan, forKey: .plan); try c.encode(id, forKey: .id); try c.encode(account, forKey: .account)
        try c.encode(kind, forKey: .kind); try c.encode(day, forKey: .day); try c.encode(rule, forKey: .rule)
        try c.encode(retention, forKey: .retention); try c.encode(period, forKey: .period); try c.encode(disposeAfter, forKey: .disposeAfter)
        try c.encode(basis, forKey: .basis); try c.encode(status, forKey: .status); try c.encode(holds, forKey: .holds)
    }
}

struct DisposeExecute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Dispose exactly the items of a plan that are still due and not held; a reason is required.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The plan's number.") var plan: Int64
    @Option(help: "Why (the decision that authorises it); required, kept in the change log.") var reason: String?

    func run() async throws {
        try await reportingErrors {
            let reason = try requiredReason(self.reason, for: "Executing a disposal plan")
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let outcome = try registry.executeDisposalPlan(number: plan, reason: reason, actor: officerName())
            printText("Plan \(plan): disposed \(outcome.disposed.count) item\(outcome.disposed.count == 1 ? "" : "s").")
            for (reference, why) in outcome.kept.sorted(by: { $0.key < $1.key }) { printText("  kept \(reference): \(why)") }
            printText("Report: diarium dispose report \(plan)")
        }
    }
}

struct DisposeItem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "Dispose of one item at once (a data-protection erasure); never a journaled or held item. A reason is required.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The item's id, or ACCOUNT:ID.") var id: String
    @Option(help: "Why; required, kept in the change log.") var reason: String?

    func run() async throws {
        try await reportingErrors {
            let reason = try requiredReason(self.reason, for: "Disposing of an item")
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let known = try registry.knownAccountKeys().union(configuration.accounts.map(\.key))
            let tombstone = try registry.disposeItem(ItemReference(parsing: id, knownAccounts: known), reason: reason, actor: officerName())
            printText("Disposed \(tombstone.reference); its tombstone stays (`diarium show \(tombstone.reference)`).")
        }
    }
}

struct DisposeReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The disposal report of a plan, for the archive leader to sign (text or CSV).")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The plan's number.") var plan: Int64
    @Option(help: "text or csv.") var format: ReportFormat = .text
    @Option(help: "Language of the report: nb, nn, sv or en (default: [agency] language, else nb for no, sv for se).") var language: String?

    enum ReportFormat: String, ExpressibleByArgument { case text, csv }

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let language = try chosenLanguage(self.language, configuration)
            let registry = try options.openRegistry(configuration, access: .read)
            guard let found = try registry.disposalPlan(number: plan) else {
                throw UsageError("No disposal plan \(plan); `diarium dispose list` shows them.")
            }
            let report = DisposalReport(plan: found, tombstones: try registry.tombstones(plan: plan), language: language)
            switch format {
            case .text: printText(report.text(), terminator: "")
            case .csv: print(report.csv(), terminator: "")
            }
        }
    }
}

struct DisposeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every disposal plan, newest first.")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let plans = try registry.disposalPlans()
            if plans.isEmpty { printText("No disposal plans.") }
            for plan in plans {
                let state = plan.executedAt.map { "executed \($0) by \(plan.executedBy ?? "?")" } ?? "not executed"
                printText("\(plan.number)  as of \(plan.asOf)  \(plan.due.count) due, \(plan.held.count) held, \(plan.review.count) for review  \(state)")
            }
        }
    }
}

/// The text of `show` for a disposed item: what stays, and when, why and under which plan.
enum TombstoneText {
    static func render(_ t: Tombstone) -> String {
        var out = "\(t.reference)  (\(t.platform) \(t.kind))  DISPOSED\n"
        out += "Disposed: \(t.disposedAt) by \(t.disposedBy), \(t.plan.map { "under disposal plan \($0)" } ?? "at once (no plan)")\n"
        out += "Why:      \(t.reason)\n"
        out += "Created:  \(t.day)   case \(t.caseNumber ?? "-")\n"
        out += "Rule:     \(t.rule)   retention \(t.retention)\(t.period.map { " \($0)" } ?? "")\(t.basis.map { "   basis \($0)" } ?? "")\n"
        out += "Content:  \(t.contentHashes.joined(separator: " "))\n"
        out += "Bodies:   \(t.removedBodies.count) removed, \(t.keptBodies.count) kept as evidence of other items\n"
        out += "Its text, fields, media and search-index rows are gone; the hashes above are what `diarium verify` vouches for."
        return out
    }
}

/// The JSON of `show --format json` for a disposed item.
struct TombstoneJSON: Encodable {
    var id, account, platform, kind, day, rule, retention, disposedAt, disposedBy, reason: String
    var caseNumber, period, basis: String?
    var plan: Int64?
    var contentHashes, removedBodies, keptBodies: [String]
    var disposed = true

    init(_ t: Tombstone) {
        id = t.id; account = t.account; platform = t.platform; kind = t.kind; day = t.day; rule = t.rule; retention = t.retention
        disposedAt = t.disposedAt; disposedBy = t.disposedBy; reason = t.reason; caseNumber = t.caseNumber; period = t.period
        basis = t.basis; plan = t.plan; contentHashes = t.contentHashes; removedBodies = t.removedBodies; keptBodies = t.keptBodies
    }
}

/// `show` of a disposed item: the tombstone, never the content; `--raw` is refused, even
/// when the capture stays as evidence of other items.
func showDisposed(_ tombstone: Tombstone, raw: Bool, format: OutputFormat) throws {
    if raw {
        throw UsageError("Item \(tombstone.reference) was disposed on \(tombstone.disposedAt)\(tombstone.plan.map { " under disposal plan \($0)" } ?? ""); its captured bytes are not given out through it.")
    }
    switch format {
    case .json: printJSON(try JSONLines.encode(TombstoneJSON(tombstone)))
    case .text: printText(TombstoneText.render(tombstone))
    default: throw UsageError("show prints --format text or json.")
    }
}
