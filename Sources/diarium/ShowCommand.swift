import ArgumentParser
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One item: its versions, decision, provenance and raw bytes.",
        discussion: "ID is the platform's id, or ACCOUNT:ID when two accounts share an id.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The item's id, or ACCOUNT:ID.") var id: String
    @Flag(help: "List every version with its capture.") var versions = false
    @Flag(help: "Write the raw bytes of the response that produced the latest (or --version N) version to stdout, exactly as received.") var raw = false
    @Option(help: "With --raw: which version.") var version: Int?
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let known = try registry.knownAccountKeys().union(configuration.accounts.map(\.key))
            let reference = ItemReference(parsing: id, knownAccounts: known)
            if let tombstone = try registry.tombstone(of: reference) {
                try showDisposed(tombstone, raw: raw, format: format)
                return
            }
            guard let detail = try registry.detail(of: reference) else {
                throw UsageError("No item \(id) in \(configuration.registryPath).")
            }
            warnDamaged(detail.damaged)
            if raw {
                let wanted = version ?? detail.versions.last?.number ?? 1
                guard let v = detail.versions.first(where: { $0.number == wanted }) else {
                    throw UsageError("Item \(id) has no version \(wanted); it has \(detail.versions.count).")
                }
                guard let body = try registry.body(sha256: v.capture.sha256) else {
                    throw UsageError("The raw bytes \(v.capture.sha256) of item \(id) are missing from the registry.")
                }
                FileHandle.standardOutput.write(body)
                return
            }
            switch format {
            case .json:
                var json = ShowJSON(detail)
                json.accessRequests = try registry.accessRequests(of: reference).map(AccessRequestJSON.init)
                json.holds = try registry.standingHolds(covering: reference).map(HoldJSON.init)
                printJSON(try JSONLines.encode(json))
            case .text:
                printText(ItemDetailText.render(detail, allVersions: versions, media: try registry.media(of: reference))
                          + ItemDetailText.holdLines(try registry.standingHolds(covering: reference))
                          + ItemDetailText.accessRequestLines(try registry.accessRequests(of: reference)))
            default:
                throw UsageError("show prints --format text or json.")
            }
        }
    }
}

/// The text form of `show`.
enum ItemDetailText {
    static func render(_ detail: ItemDetail, allVersions: Bool, media: [MediaRecord] = []) -> String {
        let r = detail.record
        let item = r.item
        var out = "\(item.account):\(item.id)  (\(item.platform.rawValue) \(item.kind.rawValue))\n"
        let author = item.author.displayName.isEmpty && r.damaged.contains(where: { $0.part == .item }) ? JournalEntryView.unreadable : item.author.displayName
        out += "Author:   \(TerminalText.line(author))\(item.author.handle.map { " (@\($0))" } ?? "")\(item.author.agency ? " — the agency" : "")\n"
        out += "Created:  \(item.createdAt.map(Timestamp.format) ?? "-")\(item.editedAt.map { "   edited \(Timestamp.format($0))" } ?? "")\n"
        if let deleted = item.deletedAt { out += "Deleted:  \(Timestamp.format(deleted)) (\(detail.deletedHow ?? "found gone"))\n" }
        if let url = item.url { out += "URL:      \(url)\n" }
        if let reply = item.inReplyTo { out += "Reply to: \(reply)\n" }
        if let shared = item.shared { out += "Shares:   \(Self.describe(shared))\n" }
        if let quoted = item.quoted { out += "Quotes:   \(Self.describe(quoted))\n" }
        out += "Thread:   \(item.threadRoot ?? item.id)   case \(r.caseNumber ?? "-")\n"
        out += "Journal:  \(r.journalNumber.map { "\($0), status \(r.status?.rawValue ?? "-")" } ?? "not journaled")\n"
        if let d = r.decision {
            out += "Decision: journal=\(d.journal ? "yes" : "no") type=\(d.type.rawValue) retention=\(d.retention.rawValue) access=\(accessText(d.access)) [\(d.profile)]\n"
            out += "Rules:    \(d.rules.joined(separator: ", "))\n"
            out += "Why:      \(d.reason)\n"
        }
        out += damagedLines(detail.damaged)
        if let d = r.decision, let period = d.retentionPeriod {
            out += "Retention: \(d.retention.rawValue) \(period)\(d.retentionEnds.map { d.retention == .G ? ", review due \($0)" : ", ends \($0)" } ?? "")\(d.retentionBasis.map { " (\($0))" } ?? "")\n"
        }
        out += "Versions: \(detail.versions.count)\n"
        let shown = allVersions ? detail.versions : Array(detail.versions.suffix(1))
        for v in shown {
            out += "\n--- version \(v.number)\(v.item.editedAt.map { ", edited \(Timestamp.format($0))" } ?? "")\n"
            out += "Captured: \(v.capture.capturedAt.map(Timestamp.format) ?? "-")  \(v.capture.method) \(v.capture.url) → \(v.capture.status)\n"
            out += redirectLines(v.capture.redirects)
            out += "Body:     sha256 \(v.capture.sha256), \(v.capture.size) bytes\n"
            if allVersions {
                for h in v.capture.headers where h.name.lowercased() != "set-cookie" { out += "          \(h.name): \(h.value)\n" }
            }
            // Every line break (CR LF, CR, U+2028 too) starts a new "  | " line: no line of the
            // text can pass for one of the lines around it.
            out += v.item.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { "  | \($0)" }.joined(separator: "\n") + "\n"
            for a in v.item.attachments { out += "  [attachment] \(a.url)\(a.description.map { " — " + TerminalText.line($0) } ?? "")\n" }
        }
        if !media.isEmpty {
            out += "\nMedia:\n"
            for m in media {
                let state = m.sha256.map { "sha256 \($0), \(m.size ?? 0) bytes, \(m.contentType ?? "unknown type"), fetched \(m.fetchedAt ?? "-")" }
                    ?? "not fetched yet (\(m.attempts) attempts\(m.lastError.map { "; last error: \($0)" } ?? ""))"
                out += "  v\(m.versionNumber) \(m.url)\(m.description.map { " — \($0)" } ?? "")\n      \(state)\n"
            }
        }
        if let deletion = detail.deletionCapture {
            out += "\nDeletion evidence: \(deletion.method) \(deletion.url) → \(deletion.status), sha256 \(deletion.sha256), captured \(deletion.capturedAt.map(Timestamp.format) ?? "-")\n"
            out += redirectLines(deletion.redirects)
        }
        if allVersions && !detail.history.isEmpty {
            out += "\nChange log:\n"
            for h in detail.history { out += "  #\(h.id) \(h.at) \(h.actor) \(h.action): \(h.details)\n" }
        }
        return out
    }

    /// The standing legal holds that keep the item from disposal; nothing when none does.
    static func holdLines(_ holds: [LegalHold]) -> String {
        guard !holds.isEmpty else { return "" }
        return "\nLegal holds (never disposed while one stands):\n"
            + holds.map { "  \(TerminalText.line($0.name))  \(TerminalText.line($0.covers)), placed \($0.placedAt) by \($0.placedBy): \(TerminalText.line($0.reason))\n" }.joined()
    }

    /// The access requests the item was answered under (`diarium innsyn`), with what was
    /// withheld and why; nothing when there were none.
    static func accessRequestLines(_ requests: [AccessRequestRelease]) -> String {
        guard !requests.isEmpty else { return "" }
        var out = "\nAccess requests:\n"
        for r in requests {
            out += "  \(TerminalText.line(r.reference))  \(r.answeredAt) by \(r.actor) (\(r.format)): \(r.outcome.rawValue)"
            out += r.withheld.isEmpty ? "\n" : "; withheld: \(r.withheld.split(separator: "\n").joined(separator: "; "))\n"
        }
        return out
    }

    /// The access in a decision line: `open`, or `restricted (BASIS; screened: NA, TRO)`
    /// with its parenthesis closed (it was left open, issue 14) and the screened fields
    /// written as `review list` and `journal` write them.
    static func accessText(_ access: Access) -> String {
        guard access.restricted else { return "open" }
        let screened = access.screen.isEmpty ? "" : "; screened: \(access.screen.joined(separator: ", "))"
        return "restricted (\(access.basis ?? "basis to be assessed")\(screened))"
    }

    /// A shared or quoted post in one line: its id, author, page and (for a quote) state.
    static func describe(_ post: SharedPost) -> String {
        var parts = [post.id ?? "(id unknown)"]
        if let author = post.author { parts.append("by \(author.displayName)\(author.handle.map { " (@\($0))" } ?? "")") }
        if let url = post.url { parts.append(url) }
        if let state = post.state { parts.append("[\(state)]") }
        return parts.joined(separator: " ")
    }

    /// The redirects before a capture's URL answered, numbered in the order followed,
    /// each with the Location exactly as the server sent it: the `Captured:` line names
    /// where the bytes came from, these say how the request got there.
    static func redirectLines(_ hops: [RedirectHop]) -> String {
        hops.enumerated().map { index, hop in
            "\(index == 0 ? "Redirect:" : "         ") \(index + 1). \(hop.url) → \(hop.status), Location: \(hop.location)\n"
        }.joined()
    }

    /// What of the item could not be read, said before the versions: a damaged version
    /// shows the item's facts from its columns and no text; its captured bytes are intact.
    static func damagedLines(_ damaged: [DamagedRecord]) -> String {
        var out = ""
        for (index, d) in damaged.enumerated() {
            out += index == 0 ? "Damaged:  " : "          "
            out += d.summary + "\n"
        }
        if let first = damaged.first {
            out += "          the captured bytes are intact: diarium show \(first.reference) --raw --version \(first.version)\n"
        }
        return out
    }
}

/// `show --format json`: the record as `search` prints it, plus the provenance of every
/// version (and of the deletion evidence): the URL the bytes came from, the URL asked
/// for, and each redirect in between.
struct ShowJSON: Encodable {
    struct CaptureJSON: Encodable {
        var version: Int?
        var method: String
        var url: String
        var requestedURL: String
        var status: Int
        var sha256: String
        var size: Int
        var capturedAt: String?
        var redirects: [RedirectHop]

        init(_ capture: CaptureInfo, version: Int?) {
            self.version = version
            method = capture.method
            url = capture.url
            requestedURL = capture.requestedURL
            status = capture.status
            sha256 = capture.sha256
            size = capture.size
            capturedAt = capture.capturedAt.map(Timestamp.format)
            redirects = capture.redirects
        }
    }

    var record: RecordJSON
    var provenance: [CaptureJSON]
    var deletionEvidence: CaptureJSON?
    /// The access requests the item was answered under.
    var accessRequests: [AccessRequestJSON] = []
    /// The standing legal holds that cover it, shaped as `hold list --format json` prints them.
    var holds: [HoldJSON] = []

    init(_ detail: ItemDetail) {
        record = RecordJSON(detail.record)
        provenance = detail.versions.map { CaptureJSON($0.capture, version: $0.number) }
        deletionEvidence = detail.deletionCapture.map { CaptureJSON($0, version: nil) }
    }

    enum Keys: String, CodingKey { case provenance, deletionEvidence, accessRequests, holds }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(deletionEvidence, forKey: .deletionEvidence)
        try c.encode(accessRequests, forKey: .accessRequests)
        try c.encode(holds, forKey: .holds)
    }
}


/// One access request in `show --format json`.
struct AccessRequestJSON: Encodable {
    var reference: String
    var answeredAt: String
    var actor: String
    var format: String
    var outcome: String
    var withheld: [String]

    init(_ r: AccessRequestRelease) {
        reference = r.reference
        answeredAt = r.answeredAt
        actor = r.actor
        format = r.format
        outcome = r.outcome.rawValue
        withheld = r.withheld.split(separator: "\n").map(String.init)
    }
}
