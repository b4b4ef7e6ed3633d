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
                return PageLayout.message("No item", "The address names no item.", session: session, status: .badRequest)
            }
            let account = request.uri.queryParameters.get("account").flatMap { $0.isEmpty ? nil : $0 }
            let reference = ItemReference(account: account, id: id)
            if let tombstone = try registry.tombstone(of: reference) { return tombstonePage(tombstone, session: session) }
            guard let detail = try registry.detail(of: reference) else {
                return PageLayout.message("Not found", "No item \(reference) in the registry.", session: session, status: .notFound)
            }
            let record = detail.record
            let item = record.item
            let here = HTML.itemURL(account: item.account, id: item.id)
            var body = summary(detail)
            if session.role.may(.act) {
                body += "<h2>Officer actions</h2>" + actionForms(record, session: session, back: here)
            }
            body += decisionSection(record.decision)
            body += "<h2>Versions (\(detail.versions.count))</h2><div class=\"versions\">"
            var previous: String?
            for version in detail.versions {
                body += versionColumn(version, previousText: previous)
                previous = version.item.text
            }
            body += "</div>"
            body += threadSection(try registry.thread(of: ItemReference(account: item.account, id: item.id)), current: item)
            body += historySection(detail.history)
            body += accessRequestSection(try registry.accessRequests(of: reference), caseNumber: record.caseNumber)
            let title = JournalEntryView(record: record, isPublic: false).title
            return PageLayout.response(PageLayout.page(title: "Item \(item.account):\(item.id) – \(title)", session: session, body: body))
        }
    }

    func summary(_ detail: ItemDetail) -> String {
        let r = detail.record
        let i = r.item
        let author = [i.author.name, i.author.handle.map { "@\($0)" }].compactMap { $0 }.joined(separator: " ")
        var rows: [(String, String)] = [
            ("Account", HTML.escape("\(i.account) (\(i.platform.rawValue))")),
            ("Kind", HTML.escape(i.kind.rawValue + (i.author.agency ? ", from the agency" : ", from the public"))),
            ("Author", HTML.escape(author.isEmpty ? i.author.id : author)),
            ("Created", HTML.escape(i.createdAt.map(Timestamp.format) ?? "–")),
            ("Address", HTML.externalLink(i.url)),
            ("Journal", HTML.escape(r.journalNumber.map { "\($0), status \(r.status?.rawValue ?? "-")\(r.journalDate.map { ", journal date \($0)" } ?? "")" } ?? "not journaled")),
            ("Case file", HTML.escape(r.caseNumber ?? "–")),
        ]
        if let deleted = i.deletedAt {
            rows.append(("Deleted", HTML.escape("found gone \(Timestamp.format(deleted))\(detail.deletedHow.map { " (\($0))" } ?? "")")))
        }
        for d in detail.damaged {
            // What could not be read is named; the page shows the rest, and the raw capture.
            rows.append(("Damaged", HTML.escape(d.summary)))
        }
        return "<table>" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    func decisionSection(_ decision: Decision?) -> String {
        guard let d = decision else { return "<h2>Decision</h2><p class=\"muted\">Not decided.</p>" }
        let rows: [(String, String)] = [
            ("Journal", d.journal ? "yes" : "no"),
            ("Type", d.type.rawValue),
            ("Access", d.access.restricted ? "restricted (\(d.access.basis ?? "basis to be assessed")); screened: \(d.access.screen.joined(separator: ", "))" : "open"),
            ("Retention", d.retention.rawValue + (d.retentionPeriod.map { " \($0)" } ?? "") + (d.retentionEnds.map { d.retention == .G ? ", review due \($0)" : ", ends \($0)" } ?? "")),
            ("Rules", d.rules.joined(separator: ", ")),
            ("Why", d.reason),
            ("Profile", d.profile),
        ]
        return "<h2>Decision</h2><table>" + rows.map { "<tr><th>\($0.0)</th><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>"
    }

    /// One version as a column: its text with the words changed since the previous
    /// version marked, its decision, and the capture it came from.
    func versionColumn(_ version: VersionDetail, previousText: String?) -> String {
        let text = previousText.map { WordDiff.html(WordDiff.diff($0, version.item.text)) } ?? HTML.escape(version.item.text)
        let capture = version.capture
        var html = "<section class=\"version\"><h3>Version \(version.number)</h3>"
        html += "<p class=\"muted\">captured \(HTML.escape(capture.capturedAt.map(Timestamp.format) ?? "–"))"
        if let edited = version.item.editedAt { html += ", edited \(HTML.escape(Timestamp.format(edited)))" }
        html += "</p><div class=\"text\">\(text)</div>"
        if let d = version.decision {
            html += "<p class=\"muted\">Decided: journal \(d.journal ? "yes" : "no"), \(HTML.escape(d.rules.joined(separator: ", ")))</p>"
        }
        html += "<p class=\"muted\">\(HTML.escape("\(capture.method) \(capture.url) → HTTP \(capture.status), \(capture.size) bytes"))<br>"
        html += "sha256 <code>\(HTML.escape(capture.sha256))</code><br>"
        html += "<a href=\"/capture?sha256=\(HTML.query(capture.sha256))\">Download the raw capture</a></p></section>"
        return html
    }

    func threadSection(_ thread: [ItemRecord], current: Item) -> String {
        guard thread.count > 1 else { return "" }
        var html = "<h2>Thread (\(thread.count) items)</h2><table><thead><tr><th>No.</th><th>Date</th><th>From</th><th>Kind</th><th>Text</th></tr></thead><tbody>"
        for record in thread {
            let i = record.item
            let isCurrent = i.account == current.account && i.id == current.id
            let text = i.text.count > 200 ? String(i.text.prefix(199)) + "…" : i.text
            let link = "<a href=\"\(HTML.escape(HTML.itemURL(account: i.account, id: i.id)))\">\(HTML.escape(text.isEmpty ? "(no text)" : text))</a>"
            html += "<tr\(isCurrent ? " style=\"background:#ffd\"" : "")><td>\(HTML.escape(record.journalNumber ?? ""))</td>"
            html += "<td>\(HTML.escape(i.createdAt.map(Timestamp.format) ?? ""))</td><td>\(HTML.escape(i.author.displayName))</td>"
            html += "<td>\(HTML.escape(i.kind.rawValue))</td><td class=\"text\">\(isCurrent ? HTML.escape(text) : link)</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func historySection(_ history: [ChangeLogEntry]) -> String {
        var html = "<h2>Change log</h2>"
        guard !history.isEmpty else { return html + "<p class=\"muted\">(nothing yet)</p>" }
        html += "<table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Details</th></tr></thead><tbody>"
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
                return PageLayout.message("Not found", "No capture with that hash.", session: session, status: .notFound)
            }
            return Response(status: .ok, headers: [
                .contentType: "application/octet-stream",
                .contentDisposition: "attachment; filename=\"capture-\(sha.lowercased()).bin\"",
                .cacheControl: "no-store",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
