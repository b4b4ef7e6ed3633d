import DiariumAccess
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// Answering an access request from the page: find the items by a search or a case
/// number, tick the ones asked for, give the request's reference and press "Answer
/// request". The answer is built, screened and recorded exactly as `diarium innsyn` does
/// (`AccessAnswerBuilder`, `PreparedAnswer.record`), with the web user as the actor, and
/// sent back as the document. Officers and admins only; the form carries the CSRF token.
extension WebApp {
    func accessRequestPage(_ request: Request) async throws -> Response {
        try await authorized(request, .act) { session in
            let query = request.uri.queryParameters
            let from = Self.day(request, "from"), to = Self.day(request, "to")
            // An empty search lists everything the days allow; with no days either, it is
            // the empty form, not the whole registry.
            let q = query.get("q").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty && from == nil && to == nil ? nil : $0 }
            let caseNumber = query.get("case").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            var body = """
                <form method="get" action="/innsyn">
                <label>\(HTML.escape(t(.webSearch))) <input type="text" name="q" value="\(HTML.escape(q ?? ""))"></label>
                <label>\(HTML.escape(t(.webFromDay))) <input type="date" name="from" value="\(HTML.escape(from ?? ""))"></label>
                <label>\(HTML.escape(t(.webToDay))) <input type="date" name="to" value="\(HTML.escape(to ?? ""))"></label>
                <label>\(HTML.escape(t(.webOrCase))) <input type="text" name="case" value="\(HTML.escape(caseNumber ?? ""))" placeholder="2026/000001"></label>
                <button type="submit">\(HTML.escape(t(.webFind)))</button></form>
                """
            let selection: AccessSelection? = caseNumber.map { .cases([$0]) } ?? q.map { .query($0, from: from, to: to) }
            guard let selection else {
                return PageLayout.response(PageLayout.page(title: t(.webAccessTitle), session: session, language: lang, body: body))
            }
            let records: [ItemRecord]
            do {
                records = try accessBuilder().records(selection)
            } catch let error as AccessRequestError {
                body += "<p class=\"error\">\(HTML.escape(error.message))</p>"
                return PageLayout.response(PageLayout.page(title: t(.webAccessTitle), session: session, language: lang, body: body))
            }
            body += "<form method=\"post\" action=\"/innsyn\" class=\"answer\">\(CSRF.hiddenField(session.csrfToken))"
            body += "<table><thead><tr>"
            body += columns(.webRelease, .journalColumnNumber, .journalColumnDate, .accessAccount, .journalCorrespondent, .journalTitle, .journalColumnAccess)
            body += "</tr></thead><tbody>\n"
            for (index, record) in records.enumerated() {
                let e = JournalEntryView(record: record, isPublic: false, language: lang, timeZone: timeZone)
                let value = "\(record.item.account):\(record.item.id)"
                body += "<tr><td><input type=\"checkbox\" name=\"item.\(index)\" value=\"\(HTML.escape(value))\" checked></td>"
                body += "<td>\(HTML.escape(record.journalNumber ?? ""))</td><td>\(HTML.escape(e.date))</td><td>\(HTML.escape(record.item.account))</td>"
                body += "<td>\(HTML.escape(e.correspondent))</td>"
                body += "<td><a href=\"\(HTML.escape(HTML.itemURL(account: record.item.account, id: record.item.id)))\">\(HTML.escape(e.title))</a></td>"
                body += "<td>\(accessText(record.access))</td></tr>\n"
            }
            body += "</tbody></table>"
            body += """
                <p><label>\(HTML.escape(t(.webRequestReference))) <input type="text" name="reference" required></label>
                <label>\(HTML.escape(t(.webFormat))) <select name="format"><option value="pdf">PDF</option><option value="html">HTML</option><option value="csv">CSV</option></select></label>
                <button type="submit" name="answer" value="1">\(HTML.escape(t(.webAnswerRequest)))</button></p></form>
                <p class="muted">\(HTML.escape(t(.webAccessExplained)))</p>
                """
            return PageLayout.response(PageLayout.page(title: t(.webAccessTitle), session: session, language: lang, body: body))
        }
    }

    func answerAccessRequest(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            guard let reference = form.text("reference"), !reference.contains(where: \.isNewline) else {
                return PageLayout.message(t(.webReferenceNeeded), t(.webReferenceNeededText), session: session, language: lang, status: .badRequest, back: "/innsyn")
            }
            let known = try registry.knownAccountKeys()
            let items = form.values.filter { $0.key.hasPrefix("item.") }
                .sorted { (Int($0.key.dropFirst(5)) ?? 0) < (Int($1.key.dropFirst(5)) ?? 0) }
                .map { ItemReference(parsing: $0.value, knownAccounts: known) }
            guard !items.isEmpty else {
                return PageLayout.message(t(.webNoItemChosen), t(.webNoItemChosenText), session: session, language: lang, status: .badRequest, back: "/innsyn")
            }
            let format = form["format"].flatMap(AccessFormat.init(rawValue:)) ?? .pdf
            let prepared: PreparedAnswer
            do {
                prepared = try PreparedAnswer(try accessBuilder().build(reference: reference, selection: .items(items)), format: format)
                try prepared.record(in: registry, actor: session.userName)
            } catch let error as AccessRequestError {
                return PageLayout.message(t(.webNotAnswered), error.message, session: session, language: lang, status: .conflict, back: "/innsyn")
            } catch let error as RegistryError {
                return PageLayout.message(t(.webNotAnswered), error.message, session: session, language: lang, status: .conflict, back: "/innsyn")
            }
            // Shown in the browser (inline) so the officer sees what was sent; the name is
            // the reference with anything but letters, digits and dashes made a dash.
            let name = String(reference.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" })
            return Response(status: .ok, headers: [
                .contentType: format.contentType, .cacheControl: "no-store",
                .contentDisposition: "inline; filename=\"innsyn-\(name).\(format.rawValue)\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: prepared.document)))
        }
    }

    /// The item page's list of the access requests the item was answered under (as
    /// `diarium show` prints them), and a way to answer one for its case.
    func accessRequestSection(_ requests: [AccessRequestRelease], caseNumber: String?) -> String {
        var html = "<h2>\(HTML.escape(t(.webAccessRequests)))</h2>"
        if requests.isEmpty {
            html += "<p class=\"muted\">\(HTML.escape(t(.journalNone)))</p>"
        } else {
            html += "<table><thead><tr>" + columns(.webReference, .webAnswered, .webWho, .webFormat, .webOutcome, .webWithheld) + "</tr></thead><tbody>"
            for r in requests {
                html += "<tr><td>\(HTML.escape(r.reference))</td><td>\(HTML.escape(r.answeredAt))</td><td>\(HTML.escape(r.actor))</td>"
                html += "<td>\(HTML.escape(r.format))</td><td>\(HTML.escape(t(r.outcome.messageKey)))</td>"
                html += "<td>\(HTML.escape(r.withheld.split(separator: "\n").joined(separator: "; ")))</td></tr>"
            }
            html += "</tbody></table>"
        }
        if let caseNumber {
            html += "<p><a href=\"/innsyn?case=\(HTML.escape(HTML.query(caseNumber)))\">\(HTML.escape(t(.webAnswerForCase, caseNumber)))</a></p>"
        }
        return html
    }

    func accessBuilder() -> AccessAnswerBuilder {
        AccessAnswerBuilder(registry: registry, agencyName: agencyName, profile: profile,
                            language: Language.chosen(language, profile: profile), timeZone: timeZone)
    }
}
