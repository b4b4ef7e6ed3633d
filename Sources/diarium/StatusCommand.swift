import ArgumentParser
import DiariumConfig
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// `diarium status`: one screen that tells a sysadmin which account needs attention,
/// read from the registry (so it works whether or not the daemon runs, and never
/// blocks it: a WAL read does not hold up the daemon's writes).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per account: the last success, the last error and the next poll.",
        discussion: """
            An account whose last poll was answered but whose answer was quarantined (malformed, not a feed, \
            refused) is "degraded", with the reason. Exits 0 when every account is healthy, 3 when an account \
            has been failing for longer than [status] max_failure (default 6h), so a monitoring check can run it as is.
            """)

    @OptionGroup var options: RegistryOptions
    @Option(help: "text or json (one object per account).") var format: OutputFormat = .text
    @Option(help: "Language of the text table: nb, nn, sv or en (default: [agency] language, else nb for no, sv for se).")
    var language: String?

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    func run() async throws {
        let attention = try await reportingErrors { () -> Bool in
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let rows = try AccountHealth.rows(configuration: configuration, registry: registry, now: Date())
            switch format {
            case .text:
                printText(AccountHealth.table(rows, limit: configuration.daemon.statusMaxFailureSeconds,
                                              language: try chosenLanguage(language, configuration), timeZone: configuration.timeZone),
                          terminator: "")
            case .json: for row in rows { printJSON(row.json) }
            }
            return rows.contains { $0.needsAttention }
        }
        if attention { throw ExitCode(3) }
    }
}

/// One account's health as `status` shows it.
struct AccountHealth {
    var key: String
    var platform: String
    var lastSuccess: Date?
    var lastError: Date?
    var lastErrorMessage: String?
    var nextPoll: Date?
    var failingFor: TimeInterval?
    var needsAttention: Bool
    var configured: Bool
    /// The latest poll reached the platform but what came back was quarantined (not the
    /// format expected, malformed, refused): when, and why. Nil when the latest poll's
    /// answer was read, or when it failed outright (then `failingFor` says so).
    var quarantinedAt: Date? = nil
    var quarantineReason: String? = nil

    static func rows(configuration: DiariumConfiguration, registry: Registry, now: Date) throws -> [AccountHealth] {
        let states = Dictionary(try registry.accounts().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let configured = configuration.accounts.map(\.key)
        let keys = configured + states.keys.filter { !configured.contains($0) }.sorted()
        let limit = TimeInterval(configuration.daemon.statusMaxFailureSeconds)
        return try keys.map { key in
            let state = states[key]
            let account = configuration.accounts.first { $0.key == key }
            let success = state?.lastSuccessAt.flatMap(Timestamp.parse)
            let error = state?.lastErrorAt.flatMap(Timestamp.parse)
            // Failing: the latest attempt was an error. Since when: the last success, or
            // (never succeeded) the error itself, the earliest moment we know of.
            var failingFor: TimeInterval?
            if let error, success.map({ error > $0 }) ?? true {
                failingFor = now.timeIntervalSince(success ?? error)
            }
            var next: Date?
            if let account {
                let interval = TimeInterval(configuration.daemon.accountIntervals[key] ?? configuration.pollIntervalSeconds)
                next = [success, error].compactMap { $0 }.max().map { $0.addingTimeInterval(interval) }
                if let backoff = try registry.backoffUntil(account: account.key), backoff > (next ?? .distantPast) { next = backoff }
            }
            let attention = account != nil && (failingFor.map { $0 > limit } ?? false)
            // Degraded: a payload was quarantined at the latest poll (a quarantining poll
            // is committed as a success, at the same instant), and no poll since.
            let quarantined = state?.lastQuarantineAt.flatMap(Timestamp.parse)
            let latestPoll = [success, error].compactMap { $0 }.max()
            let degraded = failingFor == nil && quarantined.map { q in latestPoll.map { q >= $0 } ?? true } ?? false
            return AccountHealth(key: key, platform: state?.platform ?? account?.platform.rawValue ?? "?", lastSuccess: success, lastError: error,
                                 lastErrorMessage: failingFor == nil ? nil : state?.lastError, nextPoll: next, failingFor: failingFor,
                                 needsAttention: attention, configured: account != nil,
                                 quarantinedAt: degraded ? quarantined : nil, quarantineReason: degraded ? state?.lastQuarantineProblem : nil)
        }
    }

    /// ``state`` as a word of `language`, for the text table (JSON keeps the codes).
    func stateText(_ language: Language) -> String {
        let key: MessageKey = switch state {
        case "not configured": .statusNotConfigured
        case "ATTENTION": .statusAttention
        case "failing": .statusFailing
        case "degraded": .statusDegraded
        case "not yet polled": .statusNotYetPolled
        default: .statusOK
        }
        return Messages.text(key, language)
    }

    var state: String {
        if !configured { return "not configured" }
        if needsAttention { return "ATTENTION" }
        if failingFor != nil { return "failing" }
        if quarantinedAt != nil { return "degraded" }
        if lastSuccess == nil { return "not yet polled" }
        return "ok"
    }

    /// The text table in `language`, times in the agency's zone in the language's form.
    static func table(_ rows: [AccountHealth], limit: Int, language: Language = .en, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        func t(_ key: MessageKey, _ arguments: String...) -> String { Messages.text(key, language, arguments: arguments) }
        func time(_ date: Date) -> String { language.dateTime(date, in: timeZone) }
        func cell(_ date: Date?) -> String { date.map(time) ?? t(.statusNever) }
        let header = [MessageKey.statusAccount, .statusPlatform, .statusState, .statusLastSuccess, .statusNextPoll, .statusFailingFor].map { t($0) }
        let cells = rows.map { row in
            [row.key, row.platform, row.stateText(language), cell(row.lastSuccess), row.nextPoll.map(time) ?? t(.statusAtStart),
             row.failingFor.map(duration) ?? "-"]
        }
        let widths = header.indices.map { i in ([header[i]] + cells.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ values: [String]) -> String {
            values.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        var text = line(header) + cells.map(line).joined()
        let failing = rows.filter { $0.lastErrorMessage != nil }
        if !failing.isEmpty {
            text += "\n" + t(.statusLastErrors) + "\n"
            for row in failing {
                text += "  " + t(.statusAt, row.key, cell(row.lastError), row.lastErrorMessage ?? "") + "\n"
            }
        }
        let degraded = rows.filter { $0.quarantinedAt != nil }
        if !degraded.isEmpty {
            text += "\n" + t(.statusDegradedHeading) + "\n"
            for row in degraded {
                text += "  " + t(.statusAt, row.key, cell(row.quarantinedAt), row.quarantineReason ?? t(.statusNoReason)) + "\n"
            }
        }
        let attention = rows.filter(\.needsAttention).map(\.key)
        text += attention.isEmpty
            ? "\n" + (degraded.isEmpty ? t(.statusAllHealthy, duration(TimeInterval(limit)))
                                       : t(.statusNoneFailing, duration(TimeInterval(limit)), degraded.map(\.key).joined(separator: ", ")))
            : "\n" + t(.statusNeedsAttention, attention.joined(separator: ", "), duration(TimeInterval(limit)))
        return text + "\n"
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3600)h\(s % 3600 / 60 > 0 ? " \(s % 3600 / 60)m" : "")" }
        return "\(s / 86400)d \(s % 86400 / 3600)h"
    }

    var json: String {
        var object: [String: Any] = ["account": key, "platform": platform, "state": state, "needsAttention": needsAttention]
        object["lastSuccess"] = lastSuccess.map(Timestamp.format) ?? NSNull()
        object["lastError"] = lastError.map(Timestamp.format) ?? NSNull()
        object["lastErrorMessage"] = lastErrorMessage ?? NSNull()
        object["nextPoll"] = nextPoll.map(Timestamp.format) ?? NSNull()
        object["failingForSeconds"] = failingFor.map { Int($0) } ?? NSNull()
        object["quarantinedAt"] = quarantinedAt.map(Timestamp.format) ?? NSNull()
        object["quarantineReason"] = quarantineReason ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
