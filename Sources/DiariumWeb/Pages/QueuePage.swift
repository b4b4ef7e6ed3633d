import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// The review queue: every proposal awaiting the officer (status M), oldest first, with
/// the reason, and an approve button and an override form on each row. Auditors see the
/// same list without the forms.
extension WebApp {
    func queuePage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            let day = Self.day(request)
            let queue = try registry.reviewQueue(day: day)
            var body = dayPicker(action: "/queue", day: day)
            body += "<p>\(queue.count) proposal\(queue.count == 1 ? "" : "s") awaiting review\(day.map { " for \(HTML.escape($0))" } ?? " (all days)").</p>"
            if !queue.isEmpty {
                body += "<table><thead><tr><th>No.</th><th>Type</th><th>Date</th><th>Correspondent</th><th>Title</th><th>Access</th><th>Why</th>"
                body += session.role.may(.act) ? "<th>Action</th>" : ""
                body += "</tr></thead><tbody>\n"
                for record in queue {
                    let e = JournalEntryView(record: record, isPublic: false)
                    body += "<tr id=\"\(HTML.escape(rowID(record)))\"><td>\(HTML.escape(record.journalNumber ?? ""))</td><td>\(HTML.escape(e.type))</td>"
                    body += "<td>\(HTML.escape(e.date))</td><td>\(HTML.escape(e.correspondent))</td>"
                    body += "<td><a href=\"\(HTML.escape(HTML.itemURL(account: record.item.account, id: record.item.id)))\">\(HTML.escape(e.title))</a></td>"
                    body += "<td>\(accessText(record.access))</td><td>\(HTML.escape(e.reason))</td>"
                    if session.role.may(.act) { body += "<td>\(actionForms(record, session: session, back: "/queue"))</td>" }
                    body += "</tr>\n"
                }
                body += "</tbody></table>"
            }
            return PageLayout.response(PageLayout.page(title: "Review queue", session: session, body: body))
        }
    }

    func rowID(_ record: ItemRecord) -> String {
        "item-" + SHA256.hexDigest("\(record.item.account):\(record.item.id)").prefix(12)
    }

    /// Approve and override for one item; plain forms, posted with the session's CSRF token.
    func actionForms(_ record: ItemRecord, session: ActiveSession, back: String) -> String {
        let hidden = CSRF.hiddenField(session.csrfToken) +
            "<input type=\"hidden\" name=\"account\" value=\"\(HTML.escape(record.item.account))\">" +
            "<input type=\"hidden\" name=\"id\" value=\"\(HTML.escape(record.item.id))\">" +
            "<input type=\"hidden\" name=\"back\" value=\"\(HTML.escape(back))\">"
        var html = ""
        if record.status == .M {
            html += "<form class=\"inline approve\" method=\"post\" action=\"/approve\">\(hidden)<button type=\"submit\">Approve</button></form>"
        }
        html += """
            <form class="override" method="post" action="/override">\(hidden)
            <label>Journal <select name="journal"><option value="">as proposed</option><option value="yes">yes</option><option value="no">no</option></select></label>
            <label>Type <select name="type"><option value="">as proposed</option><option>I</option><option>U</option><option>N</option><option>X</option></select></label>
            <label>Restricted <select name="restricted"><option value="">as proposed</option><option value="yes">yes</option><option value="no">no</option></select></label>
            <label>Basis <input type="text" name="basis" placeholder="legal basis, if restricting"></label>
            <label>Reason <input type="text" name="reason" required placeholder="why (kept in the change log)"></label>
            <button type="submit">Override</button></form>
            """
        return html
    }
}
