import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// The day's journal for the records officer (every field, and what was captured but
/// not journaled, with the reason), and the public journal exactly as it will be
/// published. Both go through `JournalRenderer`/`JournalEntryView`, the one place that
/// screens for publication.
extension WebApp {
    func journalPage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            let day = Self.day(request) ?? defaultDay()
            let renderer = JournalRenderer(agencyName: agencyName, day: day, isPublic: false)
            let entries = renderer.views(try registry.journal(day: day))
            let journaled = entries.filter(\.journaled)
            let others = entries.filter { !$0.journaled }
            var body = dayPicker(action: "/journal", day: day)
            body += "<p><a href=\"/public?day=\(HTML.query(day))\">The public journal for this day</a> · "
            body += "<a href=\"/queue\">Proposals awaiting review</a></p>"
            body += "<h2>Journaled (\(journaled.count))</h2>"
            body += table(journaled, numbered: true)
            body += "<h2>Captured, not journaled (\(others.count))</h2>"
            body += table(others, numbered: false)
            return PageLayout.response(PageLayout.page(title: "Journal of \(agencyName) for \(day)", session: session, body: body))
        }
    }

    /// The public journal: `JournalRenderer(isPublic: true)`'s printable HTML, served as is.
    func publicJournalPage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { _ in
            let day = Self.day(request) ?? defaultDay()
            let (records, head) = try registry.withHead { try registry.journal(day: day) }
            let renderer = JournalRenderer(agencyName: agencyName, day: day, isPublic: true, head: head)
            return PageLayout.response(try renderer.render(records, as: .html))
        }
    }

    func dayPicker(action: String, day: String?) -> String {
        """
        <form method="get" action="\(HTML.escape(action))"><label>Day <input type="date" name="day" value="\(HTML.escape(day ?? ""))"></label>
        <button type="submit">Show</button></form>
        """
    }

    func table(_ entries: [JournalEntryView], numbered: Bool) -> String {
        guard !entries.isEmpty else { return "<p class=\"muted\">(none)</p>" }
        var rows = ""
        for e in entries {
            let r = e.record
            let status = r.status?.rawValue ?? ""
            rows += "<tr>"
            if numbered { rows += "<td>\(HTML.escape(r.journalNumber ?? ""))</td><td class=\"status-\(HTML.escape(status))\">\(HTML.escape(status))</td>" }
            rows += "<td>\(HTML.escape(e.type))</td><td>\(HTML.escape(e.date))</td><td>\(HTML.escape(r.item.account))</td>"
            rows += "<td>\(HTML.escape(e.correspondent))</td>"
            rows += "<td><a href=\"\(HTML.escape(HTML.itemURL(account: r.item.account, id: r.item.id)))\">\(HTML.escape(e.title))</a>"
            if r.item.deletedAt != nil { rows += " <em>(deleted on the platform)</em>" }
            rows += "</td><td>\(accessText(r.access))</td><td>\(HTML.escape(e.reason))</td></tr>\n"
        }
        let head = (numbered ? "<th>No.</th><th>Status</th>" : "") +
            "<th>Type</th><th>Date</th><th>Account</th><th>Correspondent</th><th>Title</th><th>Access</th><th>Why</th>"
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n\(rows)</tbody></table>"
    }

    /// A record's access (`ItemRecord.access`: screened when its decision cannot be read).
    func accessText(_ access: Access) -> String {
        guard access.restricted else { return "open" }
        let screened = access.screen.isEmpty ? "" : "; screened: \(access.screen.joined(separator: ", "))"
        return HTML.escape("restricted (\(access.basis ?? "basis to be assessed"))\(screened)")
    }
}
