import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// One item: what it is, the officer's actions, the decision and its reasons, every
/// version side by side with the changed words marked, the raw captures to download,
/// the thread (case file) around it, and its change-log history.
extension WebApp {
    func itemPage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            guard let id = request.uri.queryParameters.get("id"), !id.isEmpty else {
                return PageLayout.message(t(.webNoItem), t(.webAddressNamesNoItem), session: session, language: lang, status: .badRequest)
            }
            let account = request.uri.queryParameters.get("account").flatMap { $0.isEmpty ? nil : $0 }
            let reference = ItemReference(account: account, id: id)
            if let tombstone = try registry.tombstone(of: reference) { return tombstonePage(tombstone, session: session) }
            guard let detail = try registry.detail(of: reference) else {
                return PageLayout.message(t(.webNotFound), t(.webNoSuchItem, "\(reference)"), session: session, language: lang, status: .notFound)
            }
            let record = detail.record
            let item = record.item
            let here = HTML.itemURL(account: item.account, id: item.id)
            var body = summary(detail)
            if session.role.may(.act) {
                body += "<h2>\(HTML.escape(t(.webOfficerActions)))</h2>" + actionForms(record, session: session, back: here)
            }
            body += decisionSection(record.decision)
            body += try holdSection(item, session: session, back: here)
            body += "<h2>\(HTML.escape(t(.webVersions, String(detail.versions.count))))</h2><div class=\"versions\">"
            var previous: String?
            for version in detail.versions {
                body += versionColumn(version, previousText: previous)
                previous = version.item.text
            }
            body += "</div>"
            body += threadSection(try registry.thread(of: ItemReference(account: item.account, id: item.id)), current: item)
            body += historySection(detail.history)
            body += accessRequestSection(try registry.accessRequests(of: reference), caseNumber: record.caseNumber)
            let title = JournalEntryView(record: record, isPublic: false, language: lang, timeZone: timeZone).title
            return PageLayout.response(PageLayout.page(title: t(.webItemTitle, item.account, item.id, title), session: session, language: lang, body: body))
        }
    }

    /// A time on the page: the agency's zone, in the language's form.
    func time(_ date: Date) -> String { lang.dateTime(date, in: timeZone) }

    func summary(_ detail: ItemDetail) -> String {
        let r = detail.record
        let i = r.item
        let author = [i.author.name, i.author.handle.map { "@\($0)" }].compactMap { $0 }.joined(separator: " ")
        var rows: [(String, String)] = [
            (t(.accessAccount), HTML.escape("\(i.account) (\(i.platform.rawValue))")),
            (t(.webKind), HTML.escape(JournalEntryView.kindWord(i.kind, lang) + t(i.author.agency ? .webFromAgency : .webFromPublic))),
            (t(.accessAuthor), HTML.escape(author.isEmpty ? i.author.id : author)),
            (t(.webCreated), HTML.escape(i.createdAt.map(time) ?? "–")),
            (t(.webAddress), HTML.externalLink(i.url)),
            (t(.journalWord), HTML.escape(r.journalNumber.map {
                t(.webJournalStatus, $0, r.status?.rawValue ?? "-") + (r.journalDate.map { t(.webJournalDate, lang.day($0)) } ?? "")
            } ?? t(.webNotJournaled))),
            (t(.webCaseFile), HTML.escape(r.caseNumber ?? "–")),
        ]
        if let deleted = i.deletedAt {
            rows.append((t(.webDeleted), HTML.escape(t(.webFoundGone, time(deleted)) + (detail.deletedHow.map { " (\($0))" } ?? ""))))
        }
        for d in detail.damaged {
            // What could not be read is named; the page shows the rest, and the raw capture.
            rows.append((t(.webDamaged), HTML.escape(d.summary)))
        }
        return "<table>" + rows.map { "<tr><th>\(HTML.escape($0.0))</th><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    func decisionSection(_ decision: Decision?) -> String {
        let heading = "<h2>\(HTML.escape(t(.webDecision)))</h2>"
        guard let d = decision else { return heading + "<p class=\"muted\">\(HTML.escape(t(.journalNotDecided)))</p>" }
        let access = Messages.access(d.access, lang)
        let ends = d.retentionEnds.map { t(d.retention == .G ? .webReviewDue : .webEnds, lang.day($0)) } ?? ""
        let rows: [(String, String)] = [
            (t(.webJournalLabel), t(d.journal ? .yes : .no)),
            (t(.journalColumnType), d.type.rawValue),
            (t(.journalColumnAccess), access),
            (t(.webRetention), d.retention.rawValue + (d.retentionPeriod.map { " \($0)" } ?? "") + ends),
            (t(.webRules), d.rules.joined(separator: ", ")),
            (t(.journalWhy), d.reason),
            (t(.webProfile), d.profile),
        ]
        return heading + "<table>" + rows.map { "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>"
    }

    /// One version as a column: its text with the words changed since the previous
    /// version marked, its decision, and the capture it came from.
    func versionColumn(_ version: VersionDetail, previousText: String?) -> String {
        let text = previousText.map { WordDiff.html(WordDiff.diff($0, version.item.text)) } ?? HTML.escape(version.item.text)
        let capture = version.capture
        var html = "<section class=\"version\"><h3>\(HTML.escape(t(.webVersion, String(version.number))))</h3>"
        html += "<p class=\"muted\">\(HTML.escape(t(.webCaptured, capture.capturedAt.map(time) ?? "–")))"
        if let edited = version.item.editedAt { html += HTML.escape(t(.webEdited, time(edited))) }
        html += "</p><div class=\"text\">\(text)</div>"
        if let d = version.decision {
            html += "<p class=\"muted\">\(HTML.escape(t(.webDecided, t(d.journal ? .yes : .no), d.rules.joined(separator: ", "))))</p>"
        }
        html += "<p class=\"muted\">\(HTML.escape("\(capture.method) \(capture.url) → HTTP \(capture.status), \(capture.size) bytes"))<br>"
        html += "sha256 <code>\(HTML.escape(capture.sha256))</code><br>"
        html += "<a href=\"/capture?sha256=\(HTML.query(capture.sha256))\">\(HTML.escape(t(.webDownloadCapture)))</a></p></section>"
        return html
    }

    func threadSection(_ thread: [ItemRecord], current: Item) -> String {
        guard thread.count > 1 else { return "" }
        var html = "<h2>\(HTML.escape(t(.webThread, String(thread.count))))</h2><table><thead><tr>"
        html += columns(.journalColumnNumber, .journalColumnDate, .webFrom, .webKind, .webText) + "</tr></thead><tbody>"
        for record in thread {
            let i = record.item
            let isCurrent = i.account == current.account && i.id == current.id
            let text = i.text.count > 200 ? String(i.text.prefix(199)) + "…" : i.text
            let link = "<a href=\"\(HTML.escape(HTML.itemURL(account: i.account, id: i.id)))\">\(HTML.escape(text.isEmpty ? t(.accessNoText) : text))</a>"
            html += "<tr\(isCurrent ? " style=\"background:#ffd\"" : "")><td>\(HTML.escape(record.journalNumber ?? ""))</td>"
            html += "<td>\(HTML.escape(i.createdAt.map(time) ?? ""))</td><td>\(HTML.escape(i.author.displayName))</td>"
            html += "<td>\(HTML.escape(JournalEntryView.kindWord(i.kind, lang)))</td><td class=\"text\">\(isCurrent ? HTML.escape(text) : link)</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func historySection(_ history: [ChangeLogEntry]) -> String {
        var html = "<h2>\(HTML.escape(t(.webChangeLog)))</h2>"
        guard !history.isEmpty else { return html + "<p class=\"muted\">\(HTML.escape(t(.webNothingYet)))</p>" }
        html += "<table><thead><tr>" + columns(.webWhen, .webWho, .webColumnAction, .webDetails) + "</tr></thead><tbody>"
        for entry in history {
            html += "<tr><td>\(HTML.escape(entry.at))</td><td>\(HTML.escape(entry.actor))</td><td>\(HTML.escape(entry.action))</td><td>\(HTML.escape(entry.details))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// The exact bytes of a capture, as a download: never shown inline, so the
    /// platform's HTML is never rendered by the browser.
    func captureDownload(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            guard let sha = request.uri.queryParameters.get("sha256"), sha.count == 64, Hex.decode(sha) != nil,
                  let body = try registry.body(sha256: sha.lowercased())
            else {
                return PageLayout.message(t(.webNotFound), t(.webNoSuchCapture), session: session, language: lang, status: .notFound)
            }
            return Response(status: .ok, headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"capture-\(sha.lowercased()).bin\"",
                .cacheControl: "no-store",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
