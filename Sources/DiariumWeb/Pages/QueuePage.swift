import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// The review queue: every proposal awaiting the officer (status M), oldest first, with
/// the reason, and an approve button and an override form on each row. Auditors see the
/// same list without the forms. Each row shows its thread context — the post it answers
/// and the agency's reply, if any — since that is what the officer judges by: "Hvorfor?"
/// means nothing without the post it was written under.
extension WebApp {
    func queuePage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            let day = Self.day(request)
            let queue = try registry.reviewQueue(day: day)
            var body = dayPicker(action: "/queue", day: day)
            let count = t(queue.count == 1 ? .webQueueCountOne : .webQueueCountMany, String(queue.count))
            body += "<p>\(HTML.escape(count + (day.map { t(.webForDay, lang.day($0)) } ?? t(.webAllDays)))).</p>"
            if !queue.isEmpty {
                body += "<table><thead><tr>"
                body += columns(.journalColumnNumber, .journalColumnType, .journalColumnDate, .journalCorrespondent, .journalTitle, .journalColumnAccess, .journalWhy)
                body += session.role.may(.act) ? columns(.webColumnAction) : ""
                body += "</tr></thead><tbody>\n"
                for record in queue {
                    let e = JournalEntryView(record: record, isPublic: false, language: lang, timeZone: timeZone)
                    body += "<tr id=\"\(HTML.escape(rowID(record)))\"><td>\(HTML.escape(record.journalNumber ?? ""))</td><td>\(HTML.escape(e.type))</td>"
                    body += "<td>\(HTML.escape(e.date))</td><td>\(HTML.escape(e.correspondent))</td>"
                    body += "<td><a href=\"\(HTML.escape(HTML.itemURL(account: record.item.account, id: record.item.id)))\">\(HTML.escape(e.title))</a>"
                    body += threadContext(record, thread: try registry.thread(of: ItemReference(account: record.item.account, id: record.item.id)))
                    body += "</td>"
                    body += "<td>\(accessText(record.access))</td><td>\(HTML.escape(e.reason))</td>"
                    if session.role.may(.act) { body += "<td>\(actionForms(record, session: session, back: "/queue"))</td>" }
                    body += "</tr>\n"
                }
                body += "</tbody></table>"
            }
            return PageLayout.response(PageLayout.page(title: t(.webNavQueue), session: session, language: lang, body: body))
        }
    }

    /// The post `record` answers and the agency's reply to it, from its thread, as two
    /// short quoted lines under the title. An agency answer shows only what it answers.
    func threadContext(_ record: ItemRecord, thread: [ItemRecord]) -> String {
        let item = record.item
        var html = ""
        if let parentID = item.inReplyTo {
            let parent = thread.first { $0.item.account == item.account && $0.item.id == parentID }
            html += "<div class=\"context answers\"><span class=\"muted\">\(HTML.escape(t(.webAnswers))):</span> "
            if let parent {
                html += "<a href=\"\(HTML.escape(HTML.itemURL(account: parent.item.account, id: parent.item.id)))\">"
                html += "\(HTML.escape(parent.item.author.displayName))</a>: \(HTML.escape(Self.snippet(parent.item.text, lang)))"
            } else {
                html += "<span class=\"muted\">\(HTML.escape(t(.webAnswerNotArchived)))</span>"
            }
            html += "</div>"
        }
        guard !item.author.agency else { return html }
        let reply = thread.first { $0.item.account == item.account && $0.item.inReplyTo == item.id && $0.item.author.agency }
        html += "<div class=\"context reply\"><span class=\"muted\">\(HTML.escape(t(.webAgencyReply))):</span> "
        if let reply {
            html += "<a href=\"\(HTML.escape(HTML.itemURL(account: reply.item.account, id: reply.item.id)))\">"
            html += "\(HTML.escape(Self.snippet(reply.item.text, lang)))</a>"
        } else {
            html += "<span class=\"muted\">\(HTML.escape(t(.webNoAgencyReply)))</span>"
        }
        return html + "</div>"
    }

    /// A text shortened to 160 characters for a context line.
    static func snippet(_ text: String, _ language: Language) -> String {
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if oneLine.isEmpty { return Messages.text(.accessNoText, language) }
        return oneLine.count > 160 ? String(oneLine.prefix(159)) + "…" : oneLine
    }

    func rowID(_ record: ItemRecord) -> String {
        "item-" + SHA256.hexDigest("\(record.item.account):\(record.item.id)").prefix(12)
    }

    /// Approve and override for one item; plain forms, posted with the session's CSRF token.
    func actionForms(_ record: ItemRecord, session: ActiveSession, back: String) -> String {
        func h(_ key: MessageKey) -> String { HTML.escape(t(key)) }
        let hidden = CSRF.hiddenField(session.csrfToken) +
            "<input type=\"hidden\" name=\"account\" value=\"\(HTML.escape(record.item.account))\">" +
            "<input type=\"hidden\" name=\"id\" value=\"\(HTML.escape(record.item.id))\">" +
            "<input type=\"hidden\" name=\"back\" value=\"\(HTML.escape(back))\">"
        var html = ""
        if record.status == .M {
            html += "<form class=\"inline approve\" method=\"post\" action=\"/approve\">\(hidden)<button type=\"submit\">\(h(.webApprove))</button></form>"
        }
        // The values stay "yes"/"no" whatever the words shown: they are the form's contract.
        let asProposed = "<option value=\"\">\(h(.webAsProposed))</option>"
        let yesNo = "\(asProposed)<option value=\"yes\">\(h(.yes))</option><option value=\"no\">\(h(.no))</option>"
        html += """
            <form class="override" method="post" action="/override">\(hidden)
            <label>\(h(.webJournalLabel)) <select name="journal">\(yesNo)</select></label>
            <label>\(h(.journalColumnType)) <select name="type">\(asProposed)<option>I</option><option>U</option><option>N</option><option>X</option></select></label>
            <label>\(h(.webRestrictedLabel)) <select name="restricted">\(yesNo)</select></label>
            <label>\(h(.webBasisLabel)) <input type="text" name="basis" placeholder="\(h(.webBasisPlaceholder))"></label>
            <label>\(h(.webReasonLabel)) <input type="text" name="reason" required placeholder="\(h(.webReasonPlaceholder))"></label>
            <button type="submit">\(h(.webOverride))</button></form>
            """
        return html
    }
}
