import DiariumCore
import DiariumOutputs
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
                body += "<h2>\(HTML.escape(t(.webDisposalPlan, String(plan.number), lang.day(plan.asOf))))</h2>"
                body += "<p class=\"muted\">\(HTML.escape(t(.webPlanMade, plan.madeAt, plan.madeBy)))"
                if let at = plan.executedAt {
                    body += HTML.escape(t(.webPlanExecuted, at, plan.executedBy ?? "?", plan.executeReason ?? ""))
                }
                body += "</p>"
                body += planTable(t(.webDueForDisposal), plan.due)
                body += planTable(t(.webHeldItems), plan.held)
                if plan.executedAt == nil, !plan.due.isEmpty, session.role.may(.act) {
                    body += """
                        <form method="post" action="/disposal/execute" class="override">\(CSRF.hiddenField(session.csrfToken))
                        <input type="hidden" name="plan" value="\(plan.number)">
                        <label>\(HTML.escape(t(.webExecuteReason))) <input type="text" name="reason" required></label>
                        <button type="submit">\(HTML.escape(t(.webExecutePlan, String(plan.number))))</button></form>
                        """
                }
            } else {
                body += "<p class=\"muted\">\(HTML.escape(t(.webNoPlan)))</p>"
            }
            if session.role.may(.act) {
                body += """
                    <form method="post" action="/disposal/plan" class="override">\(CSRF.hiddenField(session.csrfToken))
                    <button type="submit">\(HTML.escape(t(.webMakePlan)))</button></form>
                    """
            }
            body += holdsSection(try registry.holds(), session: session)
            body += planTable(t(.webAwaitingReview), try registry.retentionReviews(asOf: today()))
            return PageLayout.response(PageLayout.page(title: t(.webNavDisposal), session: session, language: lang, body: body))
        }
    }

    func planTable(_ title: String, _ items: [PlannedItem]) -> String {
        var html = "<h3>\(HTML.escape(title)): \(items.count)</h3>"
        guard !items.isEmpty else { return html }
        html += "<table><thead><tr>"
        html += columns(.webColumnItem, .webKind, .webCreated, .webColumnRule, .webRetention, .webEndsColumn, .webBasisLabel, .webColumnHolds)
        html += "</tr></thead><tbody>"
        for item in items {
            html += "<tr><td><a href=\"\(HTML.escape(HTML.itemURL(account: item.account, id: item.id)))\">\(HTML.escape(item.reference))</a></td>"
            let kind = ItemKind(rawValue: item.kind).map { JournalEntryView.kindWord($0, lang) } ?? item.kind
            html += "<td>\(HTML.escape(kind))</td><td>\(HTML.escape(lang.day(item.day)))</td><td>\(HTML.escape(item.rule))</td>"
            html += "<td>\(HTML.escape(item.retention + (item.period.map { " \($0)" } ?? "")))</td><td>\(HTML.escape(lang.day(item.disposeAfter)))</td>"
            html += "<td>\(HTML.escape(item.basis ?? ""))</td><td>\(HTML.escape(item.holds.joined(separator: ", ")))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func holdsSection(_ holds: [LegalHold], session: ActiveSession) -> String {
        var html = "<h2>\(HTML.escape(t(.webLegalHolds, String(holds.filter(\.isActive).count))))</h2>"
        guard !holds.isEmpty else { return html + "<p class=\"muted\">\(HTML.escape(t(.webNoHolds)))</p>" }
        html += "<table><thead><tr>" + columns(.webColumnName, .webColumnCovers, .journalWhy, .webColumnPlaced, .webColumnReleased) + "</tr></thead><tbody>"
        for hold in holds {
            html += "<tr><td>\(HTML.escape(hold.name))</td><td>\(HTML.escape(coverageText(hold.coverage)))</td><td>\(HTML.escape(hold.reason))</td>"
            html += "<td>\(HTML.escape(t(.webBy, hold.placedAt, hold.placedBy)))</td>"
            html += "<td>\(HTML.escape(hold.releasedAt.map { t(.webBy, $0, hold.releasedBy ?? "?") + ": " + (hold.releaseReason ?? "") } ?? t(.webStanding)))"
            if hold.isActive, session.role.may(.act) { html += releaseForm(hold, session: session) }
            html += "</td></tr>"
        }
        return html + "</tbody></table>"
    }

    func makeDisposalPlan(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, _ in
            do {
                _ = try registry.makeDisposalPlan(asOf: today(), actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message(t(.webNoPlanMade), error.message, session: session, language: lang, status: .conflict, back: "/disposal")
            }
            return .redirect(to: "/disposal")
        }
    }

    func executeDisposalPlan(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            guard let number = form.text("plan").flatMap({ Int64($0) }) else {
                return PageLayout.message(t(.webNoPlanNamed), t(.webFormNamesNoPlan), session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            guard let reason = form.text("reason") else {
                return PageLayout.message(t(.webReasonNeeded), t(.webExecuteReasonNeeded),
                                          session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            do {
                _ = try registry.executeDisposalPlan(number: number, reason: reason, actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message(t(.webNotExecuted), error.message, session: session, language: lang, status: .conflict, back: "/disposal")
            }
            return .redirect(to: "/disposal")
        }
    }

    /// The item page of a disposed item: what stays, never the content.
    func tombstonePage(_ stone: Tombstone, session: ActiveSession) -> Response {
        let rows: [(String, String)] = [
            (t(.accessAccount), "\(stone.account) (\(stone.platform))"),
            (t(.webKind), ItemKind(rawValue: stone.kind).map { JournalEntryView.kindWord($0, lang) } ?? stone.kind),
            (t(.webCreated), lang.day(stone.day)),
            (t(.webCaseFile), stone.caseNumber ?? "–"),
            (t(.webDisposed), t(.webBy, stone.disposedAt, stone.disposedBy) + ", " + (stone.plan.map { t(.webUnderPlan, String($0)) } ?? t(.webAtOnce))),
            (t(.journalWhy), stone.reason),
            (t(.webColumnRule), t(.webRuleRetention, stone.rule, stone.retention) + (stone.period.map { " \($0)" } ?? "") + (stone.basis.map { t(.webRuleBasis, $0) } ?? "")),
            (t(.webContentHashes), stone.contentHashes.joined(separator: " ")),
        ]
        let body = "<p>\(HTML.escape(t(.webDisposedIntro)))</p><table>"
            + rows.map { "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>"
        return PageLayout.response(PageLayout.page(title: t(.webDisposedTitle, stone.reference), session: session, language: lang, body: body))
    }
}
