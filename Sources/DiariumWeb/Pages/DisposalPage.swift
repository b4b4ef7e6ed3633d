import DiariumCore
import DiariumStore
import Foundation
import Hummingbird

/// The records officer's disposal page: the current plan (due, held and review items
/// apart), the legal holds, and the items whose retention review fell due. Making and
/// executing a plan call exactly `Registry.makeDisposalPlan` and
/// `Registry.executeDisposalPlan`, as `diarium dispose plan|execute` does, with the web
/// user as the actor; executing needs a reason, like an override.
extension WebApp {
    func disposalPage(_ request: Request) async throws -> Response {
        try await authorized(request, .read) { session in
            let plans = try registry.disposalPlans()
            let current = plans.first
            var body = ""
            if let plan = current {
                body += "<h2>Plan \(plan.number), as of \(HTML.escape(plan.asOf))</h2>"
                body += "<p class=\"muted\">Made \(HTML.escape(plan.madeAt)) by \(HTML.escape(plan.madeBy))"
                if let at = plan.executedAt {
                    body += "; executed \(HTML.escape(at)) by \(HTML.escape(plan.executedBy ?? "?")): \(HTML.escape(plan.executeReason ?? ""))"
                }
                body += "</p>"
                body += planTable("Due for disposal", plan.due)
                body += planTable("Held (kept while a legal hold stands)", plan.held)
                if plan.executedAt == nil, !plan.due.isEmpty, session.role.may(.act) {
                    body += """
                        <form method="post" action="/disposal/execute" class="override">\(CSRF.hiddenField(session.csrfToken))
                        <input type="hidden" name="plan" value="\(plan.number)">
                        <label>Reason (the decision that authorises it) <input type="text" name="reason" required></label>
                        <button type="submit">Execute plan \(plan.number)</button></form>
                        """
                }
            } else {
                body += "<p class=\"muted\">No disposal plan yet.</p>"
            }
            if session.role.may(.act) {
                body += """
                    <form method="post" action="/disposal/plan" class="override">\(CSRF.hiddenField(session.csrfToken))
                    <button type="submit">Make a plan as of today</button></form>
                    """
            }
            body += holdsSection(try registry.holds())
            body += planTable("Awaiting a retention review (G)", try registry.retentionReviews(asOf: today()))
            return PageLayout.response(PageLayout.page(title: "Disposal", session: session, language: lang, body: body))
        }
    }

    func planTable(_ title: String, _ items: [PlannedItem]) -> String {
        var html = "<h3>\(HTML.escape(title)): \(items.count)</h3>"
        guard !items.isEmpty else { return html }
        html += "<table><thead><tr><th>Item</th><th>Kind</th><th>Created</th><th>Rule</th><th>Retention</th><th>Ends</th><th>Basis</th><th>Holds</th></tr></thead><tbody>"
        for item in items {
            html += "<tr><td><a href=\"\(HTML.escape(HTML.itemURL(account: item.account, id: item.id)))\">\(HTML.escape(item.reference))</a></td>"
            html += "<td>\(HTML.escape(item.kind))</td><td>\(HTML.escape(item.day))</td><td>\(HTML.escape(item.rule))</td>"
            html += "<td>\(HTML.escape(item.retention + (item.period.map { " \($0)" } ?? "")))</td><td>\(HTML.escape(item.disposeAfter))</td>"
            html += "<td>\(HTML.escape(item.basis ?? ""))</td><td>\(HTML.escape(item.holds.joined(separator: ", ")))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func holdsSection(_ holds: [LegalHold]) -> String {
        var html = "<h2>Legal holds: \(holds.filter(\.isActive).count) standing</h2>"
        guard !holds.isEmpty else { return html + "<p class=\"muted\">No legal holds.</p>" }
        html += "<table><thead><tr><th>Name</th><th>Covers</th><th>Why</th><th>Placed</th><th>Released</th></tr></thead><tbody>"
        for hold in holds {
            html += "<tr><td>\(HTML.escape(hold.name))</td><td>\(HTML.escape(hold.covers))</td><td>\(HTML.escape(hold.reason))</td>"
            html += "<td>\(HTML.escape("\(hold.placedAt) by \(hold.placedBy)"))</td>"
            html += "<td>\(HTML.escape(hold.releasedAt.map { "\($0) by \(hold.releasedBy ?? "?"): \(hold.releaseReason ?? "")" } ?? "standing"))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func makeDisposalPlan(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, _ in
            do {
                _ = try registry.makeDisposalPlan(asOf: today(), actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message("No plan made", error.message, session: session, language: lang, status: .conflict, back: "/disposal")
            }
            return .redirect(to: "/disposal")
        }
    }

    func executeDisposalPlan(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            guard let number = form.text("plan").flatMap({ Int64($0) }) else {
                return PageLayout.message("No plan", "The form named no plan.", session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            guard let reason = form.text("reason") else {
                return PageLayout.message("Reason needed", "Executing a disposal plan needs a reason; it is kept in the change log.",
                                          session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            do {
                _ = try registry.executeDisposalPlan(number: number, reason: reason, actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message("Not executed", error.message, session: session, language: lang, status: .conflict, back: "/disposal")
            }
            return .redirect(to: "/disposal")
        }
    }

    /// The item page of a disposed item: what stays, never the content.
    func tombstonePage(_ t: Tombstone, session: ActiveSession) -> Response {
        let rows: [(String, String)] = [
            ("Account", "\(t.account) (\(t.platform))"),
            ("Kind", t.kind),
            ("Created", t.day),
            ("Case file", t.caseNumber ?? "–"),
            ("Disposed", "\(t.disposedAt) by \(t.disposedBy), \(t.plan.map { "under disposal plan \($0)" } ?? "at once (no plan)")"),
            ("Why", t.reason),
            ("Rule", "\(t.rule), retention \(t.retention)\(t.period.map { " \($0)" } ?? "")\(t.basis.map { ", basis \($0)" } ?? "")"),
            ("Content hashes", t.contentHashes.joined(separator: " ")),
        ]
        let body = "<p>This item was disposed of. Its text, fields and media are gone; what stays is below.</p><table>"
            + rows.map { "<tr><th>\($0.0)</th><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>"
        return PageLayout.response(PageLayout.page(title: "Item \(t.reference) (disposed)", session: session, language: lang, body: body))
    }
}
