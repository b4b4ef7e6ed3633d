import DiariumCore
import DiariumStore
import Foundation

/// Renders one day's journal for the records officer (internal: every field, and the
/// items not journaled with the reason why) or for publication (only journal entries,
/// screened as the decisions say).
public struct JournalRenderer: Sendable {
    public var agencyName: String
    public var day: String
    public var isPublic: Bool
    /// The change log's head the journal was made from: printed at its foot (text and
    /// HTML), so a published journal can be checked against the registry later
    /// (`diarium verify --anchor`). JSON lines and CSV stay as their contract says.
    public var head: ChainHead?
    /// The agency's language: headings, labels, CSV column names and the day are written
    /// in it (JSON keys are a contract and stay).
    public var language: Language
    /// The agency's time zone, in which each entry's time is shown; nil keeps the
    /// RFC 3339 UTC times of before (a caller with no agency, such as the benchmark).
    public var timeZone: TimeZone?

    public init(agencyName: String, day: String, isPublic: Bool, head: ChainHead? = nil,
                language: Language = .en, timeZone: TimeZone? = nil) {
        self.agencyName = agencyName
        self.day = day
        self.isPublic = isPublic
        self.head = head
        self.language = language
        self.timeZone = timeZone
    }

    private func t(_ key: MessageKey, _ arguments: String...) -> String {
        Messages.text(key, language, arguments: arguments)
    }

    /// The line that names the head, for the foot of a printed journal.
    var headLine: String? { head.map { t(.accessHead, $0.description) } }

    public func views(_ records: [ItemRecord]) -> [JournalEntryView] {
        // The public journal holds journal entries only; a proposal the officer rejected
        // (status U) keeps its number internally but was never a journal document.
        records.filter { !isPublic || ($0.journalNumber != nil && $0.status != .U) }.map {
            JournalEntryView(record: $0, isPublic: isPublic, language: language, timeZone: timeZone)
        }
    }

    public func render(_ records: [ItemRecord], as format: OutputFormat) throws -> String {
        let entries = views(records)
        switch format {
        // Text is for a terminal and CSV cells are cleaned in `Escape.csv`; JSON keeps the
        // exact characters, escaped (`TerminalText.json`).
        case .text: return TerminalText.clean(text(entries))
        case .csv: return csv(entries)
        case .json: return try entries.map { TerminalText.json(try JSONLines.encode(RecordJSON($0))) + "\n" }.joined()
        case .html: return html(entries)
        }
    }

    var heading: String {
        t(isPublic ? .journalPublicHeading : .journalHeading, agencyName, language.day(day))
    }

    func text(_ entries: [JournalEntryView]) -> String {
        // Pieces are appended one by one into one reserved string (an interpolated line
        // is built as its own string first): a busy day has 10,000 lines.
        var out = heading + "\n" + String(repeating: "=", count: heading.count) + "\n"
        out.reserveCapacity(entries.count * 200)
        let journaled = entries.filter(\.journaled)
        let others = entries.filter { !$0.journaled }
        // The labels are looked up once, not per line: a busy day has 10,000 lines.
        let status = t(.journalStatus, "")
        let correspondent = "    " + t(.journalCorrespondent) + ": "
        let title = "    " + t(.journalTitle) + ": "
        let caseLabel = "    " + t(.journalCase) + ": "
        let itemLabel = "  " + t(.journalItem) + ": "
        let versions = "  " + t(.journalVersions) + ": "
        let deleted = "  " + t(.journalDeleted) + "\n"
        let why = "    " + t(.journalWhy) + ": "
        let none = "  " + t(.journalNone) + "\n"
        out += "\n" + t(.journalJournaled, String(journaled.count)) + "\n"
        if journaled.isEmpty { out += none }
        for e in journaled {
            let r = e.record
            out += "\n  "; out += r.journalNumber ?? ""; out += "  "; out += e.type
            out += "  "; out += status; out += r.status?.rawValue ?? "-"; out += "  "; out += e.date; out += "  "; out += r.item.account; out += "\n"
            out += correspondent; out += TerminalText.line(e.correspondent); out += "\n"
            out += title; out += TerminalText.line(e.title); out += "\n"
            if r.access.restricted {
                out += "    "
                out += t(.journalAccessLine, r.access.basis ?? t(.journalBasisToAssess), Messages.screened(r.access, language))
                out += "\n"
            }
            if !isPublic {
                out += caseLabel; out += r.caseNumber ?? "-"; out += itemLabel; out += r.item.account; out += ":"; out += r.item.id
                out += versions; out += String(r.versions); out += r.item.deletedAt != nil ? deleted : "\n"
                out += why; out += e.reason; out += "\n"
            }
        }
        if !isPublic {
            out += "\n" + t(.journalNotJournaled, String(others.count)) + "\n"
            if others.isEmpty { out += none }
            for e in others {
                let r = e.record
                out += "\n  "; out += e.type; out += "  "; out += e.date; out += "  "; out += r.item.account; out += ":"; out += r.item.id
                out += "  "
                out += t(.journalBy, JournalEntryView.kindWord(r.item.kind, language).lowercased(), TerminalText.line(r.item.author.displayName))
                out += r.item.deletedAt != nil ? deleted : "\n"
                out += title; out += TerminalText.line(e.title); out += "\n"
                out += why; out += e.reason; out += "\n"
            }
        }
        if let headLine { out += "\n" + headLine + "\n" }
        return out
    }

    static let csvColumns: [MessageKey] = [
        .csvJournalNumber, .csvStatus, .csvType, .csvDate, .csvAccount, .csvPlatform, .csvID, .csvKind, .csvCorrespondent, .csvTitle,
        .csvRestricted, .csvBasis, .csvScreen, .csvRetention, .csvRules, .csvReason,
    ]

    func csv(_ entries: [JournalEntryView]) -> String {
        let yes = t(.yes), no = t(.no)
        var out = Self.csvColumns.map { Escape.csv(t($0)) }.joined(separator: ",") + "\r\n"
        for e in entries {
            let r = e.record
            let d = r.decision
            var cells = [
                r.journalNumber ?? "", r.status?.rawValue ?? "", e.type, e.date, r.item.account, r.item.platform.rawValue,
                r.item.id, r.item.kind.rawValue, e.correspondent, e.title,
                r.access.restricted ? yes : no, r.access.basis ?? "", r.access.screen.joined(separator: " "),
                d?.retention.rawValue ?? "", d?.rules.joined(separator: " ") ?? "", isPublic ? "" : e.reason,
            ]
            if isPublic && r.access.restricted { cells[6] = "" }
            out += cells.map(Escape.csv).joined(separator: ",") + "\r\n"
        }
        return out
    }

    func html(_ entries: [JournalEntryView]) -> String {
        let h = Escape.html
        var rows = ""
        for e in entries {
            let r = e.record
            let access = r.access.restricted ? h(r.access.basis ?? t(.journalRestricted)) : ""
            rows += "<tr><td>\(h(r.journalNumber ?? "–"))</td><td>\(h(e.type))</td><td>\(h(r.status?.rawValue ?? ""))</td>"
            rows += "<td>\(h(e.date))</td><td>\(h(e.correspondent))</td><td>\(h(e.title))</td><td>\(access)</td>"
            if !isPublic { rows += "<td>\(h(e.reason))</td>" }
            rows += "</tr>\n"
        }
        let reasonHeader = isPublic ? "" : "<th>\(h(t(.journalWhy)))</th>"
        return """
            <!DOCTYPE html>
            <html lang="\(language.tag)"><head><meta charset="utf-8"><title>\(h(heading))</title>
            <style>
            @page { size: A4; margin: 15mm; }
            body { font-family: sans-serif; font-size: 10pt; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border-bottom: 1px solid #999; padding: 3px 4px; text-align: left; vertical-align: top; }
            header { display: flex; justify-content: space-between; border-bottom: 2px solid #000; margin-bottom: 8px; }
            </style></head>
            <body><header><strong>\(h(agencyName))</strong><span>\(h(t(isPublic ? .journalPublicWord : .journalWord))) \(h(language.day(day)))</span></header>
            <table><thead><tr><th>\(h(t(.journalColumnNumber)))</th><th>\(h(t(.journalColumnType)))</th><th>\(h(t(.journalColumnStatus)))</th><th>\(h(t(.journalColumnDate)))</th><th>\(h(t(.journalCorrespondent)))</th><th>\(h(t(.journalTitle)))</th><th>\(h(t(.journalColumnAccess)))</th>\(reasonHeader)</tr></thead>
            <tbody>
            \(rows)</tbody></table>\(headLine.map { "<footer><small>\(h($0))</small></footer>" } ?? "")</body></html>

            """
    }
}
