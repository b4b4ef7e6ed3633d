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

    public init(agencyName: String, day: String, isPublic: Bool) {
        self.agencyName = agencyName
        self.day = day
        self.isPublic = isPublic
    }

    public func views(_ records: [ItemRecord]) -> [JournalEntryView] {
        // The public journal holds journal entries only; a proposal the officer rejected
        // (status U) keeps its number internally but was never a journal document.
        records.filter { !isPublic || ($0.journalNumber != nil && $0.status != .U) }.map { JournalEntryView(record: $0, isPublic: isPublic) }
    }

    public func render(_ records: [ItemRecord], as format: OutputFormat) throws -> String {
        let entries = views(records)
        switch format {
        case .text: return text(entries)
        case .csv: return csv(entries)
        case .json: return try entries.map { try JSONLines.encode(RecordJSON($0)) + "\n" }.joined()
        case .html: return html(entries)
        }
    }

    var heading: String {
        "\(isPublic ? "Public journal" : "Journal") of \(agencyName) for \(day)"
    }

    func text(_ entries: [JournalEntryView]) -> String {
        var out = heading + "\n" + String(repeating: "=", count: heading.count) + "\n"
        let journaled = entries.filter(\.journaled)
        let others = entries.filter { !$0.journaled }
        out += "\nJournaled (\(journaled.count)):\n"
        if journaled.isEmpty { out += "  (none)\n" }
        for e in journaled {
            let r = e.record
            out += "\n  \(r.journalNumber ?? "")  \(e.type)  status \(r.status?.rawValue ?? "-")  \(e.date)  \(r.item.account)\n"
            out += "    Correspondent: \(e.correspondent)\n"
            out += "    Title: \(e.title)\n"
            if let d = r.decision, d.access.restricted {
                out += "    Access: restricted (\(d.access.basis ?? "basis to be assessed")); screened: \(d.access.screen.joined(separator: ", "))\n"
            }
            if !isPublic {
                out += "    Case: \(r.caseNumber ?? "-")  Item: \(r.item.account):\(r.item.id)  Versions: \(r.versions)\(r.item.deletedAt != nil ? "  DELETED on platform" : "")\n"
                out += "    Why: \(e.reason)\n"
            }
        }
        if !isPublic {
            out += "\nCaptured, not journaled (\(others.count)):\n"
            if others.isEmpty { out += "  (none)\n" }
            for e in others {
                let r = e.record
                out += "\n  \(e.type)  \(e.date)  \(r.item.account):\(r.item.id)  \(r.item.kind.rawValue) by \(r.item.author.displayName)\(r.item.deletedAt != nil ? "  DELETED on platform" : "")\n"
                out += "    Title: \(e.title)\n"
                out += "    Why: \(e.reason)\n"
            }
        }
        return out
    }

    static let csvColumns = [
        "journalNumber", "status", "type", "date", "account", "platform", "id", "kind", "correspondent", "title",
        "restricted", "basis", "screen", "retention", "rules", "reason",
    ]

    func csv(_ entries: [JournalEntryView]) -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for e in entries {
            let r = e.record
            let d = r.decision
            var cells = [
                r.journalNumber ?? "", r.status?.rawValue ?? "", e.type, e.date, r.item.account, r.item.platform.rawValue,
                r.item.id, r.item.kind.rawValue, e.correspondent, e.title,
                (d?.access.restricted ?? false) ? "yes" : "no", d?.access.basis ?? "", d?.access.screen.joined(separator: " ") ?? "",
                d?.retention.rawValue ?? "", d?.rules.joined(separator: " ") ?? "", isPublic ? "" : e.reason,
            ]
            if isPublic && (d?.access.restricted ?? false) { cells[6] = "" }
            out += cells.map(Escape.csv).joined(separator: ",") + "\r\n"
        }
        return out
    }

    func html(_ entries: [JournalEntryView]) -> String {
        let h = Escape.html
        var rows = ""
        for e in entries {
            let r = e.record
            let access = (r.decision?.access.restricted ?? false) ? h(r.decision?.access.basis ?? "restricted") : ""
            rows += "<tr><td>\(h(r.journalNumber ?? "–"))</td><td>\(h(e.type))</td><td>\(h(r.status?.rawValue ?? ""))</td>"
            rows += "<td>\(h(e.date))</td><td>\(h(e.correspondent))</td><td>\(h(e.title))</td><td>\(access)</td>"
            if !isPublic { rows += "<td>\(h(e.reason))</td>" }
            rows += "</tr>\n"
        }
        let reasonHeader = isPublic ? "" : "<th>Why</th>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(h(heading))</title>
            <style>
            @page { size: A4; margin: 15mm; }
            body { font-family: sans-serif; font-size: 10pt; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border-bottom: 1px solid #999; padding: 3px 4px; text-align: left; vertical-align: top; }
            header { display: flex; justify-content: space-between; border-bottom: 2px solid #000; margin-bottom: 8px; }
            </style></head>
            <body><header><strong>\(h(agencyName))</strong><span>\(h(isPublic ? "Public journal" : "Journal")) \(h(day))</span></header>
            <table><thead><tr><th>No.</th><th>Type</th><th>Status</th><th>Date</th><th>Correspondent</th><th>Title</th><th>Access</th>\(reasonHeader)</tr></thead>
            <tbody>
            \(rows)</tbody></table></body></html>

            """
    }
}
