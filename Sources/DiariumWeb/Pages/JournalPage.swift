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
            let renderer = JournalRenderer(agencyName: agencyName, day: day, isPublic: false, language: lang, timeZone: timeZone)
            let entries = renderer.views(try registry.journal(day: day))
            let journaled = entries.filter(\.journaled)
            let others = entries.filter { !$0.journaled }
            var body = dayPicker(action: "/journal", day: day)
            body += "<p><a href=\"/public?day=\(HTML.query(day))\">\(HTML.escape(t(.webPublicJournalLink)))</a> · "
            body += "<a href=\"/queue\">\(HTML.escape(t(.webProposalsLink)))</a></p>"
            body += "<h2>\(HTML.escape(t(.webJournaledHeading, String(journaled.count))))</h2>"
            body += table(journaled, numbered: true)
            body += "<h2>\(HTML.escape(t(.webNotJournaledHeading, String(others.count))))</h2>"
            body += table(others, numbered: false)
            return PageLayout.response(PageLayout.page(title: t(.journalHeading, agencyName, lang.day(day)), session: session, language: lang, body: body))
        }
    }

    /// The public journal: `JournalRenderer(isPublic: true)`'s printable HTML, served as is.
    func publicJournalPage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { _ in
            let day = Self.day(request) ?? defaultDay()
            let (records, head) = try registry.withHead { try registry.journal(day: day) }
            let renderer = JournalRenderer(agencyName: agencyName, day: day, isPublic: true, head: head, language: lang, timeZone: timeZone)
            return PageLayout.response(try renderer.render(records, as: .html))
        }
    }

    func dayPicker(action: String, day: String?) -> String {
        """
        <form method="get" action="\(HTML.escape(action))"><label>\(HTML.escape(t(.webDay))) <input type="date" name="day" value="\(HTML.escape(day ?? ""))"></label>
        <button type="submit">\(HTML.escape(t(.webShow)))</button></form>
        """
    }

    func table(_ entries: [JournalEntryView], numbered: Bool) -> String {
        guard !entries.isEmpty else { return "<p class=\"muted\">\(HTML.escape(t(.journalNone)))</p>" }
        var rows = ""
        for e in entries {
            let r = e.record
            let status = r.status?.rawValue ?? ""
            rows += "<tr>"
            if numbered { rows += "<td>\(HTML.escape(r.journalNumber ?? ""))</td><td class=\"status-\(HTML.escape(status))\">\(HTML.escape(status))</td>" }
            rows += "<td>\(HTML.escape(e.type))</td><td>\(HTML.escape(e.date))</td><td>\(HTML.escape(r.item.account))</td>"
            rows += "<td>\(HTML.escape(e.correspondent))</td>"
            rows += "<td><a href=\"\(HTML.escape(HTML.itemURL(account: r.item.account, id: r.item.id)))\">\(HTML.escape(e.title))</a>"
            if r.item.deletedAt != nil { rows += " <em>\(HTML.escape(t(.webDeletedOnPlatform)))</em>" }
            rows += "</td><td>\(accessText(r.access))</td><td>\(HTML.escape(e.reason))</td></tr>\n"
        }
        let head = (numbered ? columns(.journalColumnNumber, .journalColumnStatus) : "") +
            columns(.journalColumnType, .journalColumnDate, .accessAccount, .journalCorrespondent, .journalTitle, .journalColumnAccess, .journalWhy)
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n\(rows)</tbody></table>"
    }

    /// Table header cells, one per key, in the page's language.
    func columns(_ keys: MessageKey...) -> String {
        keys.map { "<th>\(HTML.escape(t($0)))</th>" }.joined()
    }

    /// A record's access (`ItemRecord.access`: screened when its decision cannot be read).
    func accessText(_ access: Access) -> String { HTML.escape(Messages.access(access, lang)) }
}
