import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// Legal holds from the page: an officer places one on an item, its thread or its
/// account from the item page, and releases one from the Disposal tab. Both call
/// `Registry.placeHold` and `Registry.releaseHold`, as `diarium hold add|release` does,
/// with the web user as the actor and a reason the change log keeps.
extension WebApp {
    /// The holds that cover an item, and for an officer the form that places one.
    func holdSection(_ item: Item, session: ActiveSession, back: String) throws -> String {
        let reference = ItemReference(account: item.account, id: item.id)
        let standing = try registry.standingHolds(covering: reference)
        var html = "<h2>\(HTML.escape(t(.webHoldsOnItem)))</h2>"
        if standing.isEmpty {
            html += "<p class=\"muted\">\(HTML.escape(t(.webNoHoldOnItem)))</p>"
        } else {
            html += "<ul>" + standing.map { "<li>\(HTML.escape($0.name)): \(HTML.escape(coverageText($0.coverage))) — \(HTML.escape($0.reason))</li>" }.joined() + "</ul>"
        }
        guard session.role.may(.act) else { return html }
        func option(_ value: String, _ label: String, checked: Bool = false) -> String {
            "<label><input type=\"radio\" name=\"scope\" value=\"\(value)\"\(checked ? " checked" : "")> \(HTML.escape(label))</label> "
        }
        html += """
            <form method="post" action="/hold" class="override">\(CSRF.hiddenField(session.csrfToken))
            <input type="hidden" name="account" value="\(HTML.escape(item.account))">
            <input type="hidden" name="id" value="\(HTML.escape(item.id))">
            <input type="hidden" name="back" value="\(HTML.escape(back))">
            <label>\(HTML.escape(t(.webColumnName))) <input type="text" name="name" required></label>
            <label>\(HTML.escape(t(.webReasonLabel))) <input type="text" name="reason" required></label>
            <fieldset><legend>\(HTML.escape(t(.webColumnCovers)))</legend>\(option("thread", t(.webHoldThread), checked: true))\(option("item", t(.webHoldItem)))\(option("account", t(.webHoldAccount, item.account)))</fieldset>
            <button type="submit">\(HTML.escape(t(.webPlaceHold)))</button></form>
            """
        return html
    }

    /// What a hold covers, in the page's language.
    func coverageText(_ coverage: HoldCoverage) -> String {
        switch coverage {
        case .items(let references): return t(.webCoversItems, references.joined(separator: ", "))
        case .thread(let root): return t(.webCoversThread, root)
        case .account(let key): return t(.webCoversAccount, key)
        case .query(let query, let from, let to):
            return t(.webCoversQuery, query) + (from.map { t(.webCoversFrom, lang.day($0)) } ?? "") + (to.map { t(.webCoversTo, lang.day($0)) } ?? "")
        }
    }

    /// The release form under a standing hold on the Disposal tab.
    func releaseForm(_ hold: LegalHold, session: ActiveSession) -> String {
        """
        <form method="post" action="/hold/release" class="override">\(CSRF.hiddenField(session.csrfToken))
        <input type="hidden" name="name" value="\(HTML.escape(hold.name))">
        <label>\(HTML.escape(t(.webReleaseReason))) <input type="text" name="reason" required></label>
        <button type="submit">\(HTML.escape(t(.webReleaseHold, hold.name)))</button></form>
        """
    }

    func placeHold(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            let back = Self.localPath(form.text("back") ?? "/disposal")
            guard let id = form.text("id") else {
                return PageLayout.message(t(.webNoItem), t(.webFormNamesNoItem), session: session, language: lang, status: .badRequest, back: back)
            }
            let reference = ItemReference(account: form.text("account"), id: id)
            guard let name = form.text("name") else {
                return PageLayout.message(t(.webHoldNotPlaced), t(.webHoldNameNeeded), session: session, language: lang, status: .badRequest, back: back)
            }
            guard let reason = form.text("reason") else {
                return PageLayout.message(t(.webReasonNeeded), t(.webHoldReasonNeeded), session: session, language: lang, status: .badRequest, back: back)
            }
            let scope: HoldScope
            switch form.text("scope") ?? "thread" {
            case "item": scope = .items([reference])
            case "account":
                guard let account = form.text("account") else {
                    return PageLayout.message(t(.webNoItem), t(.webFormNamesNoItem), session: session, language: lang, status: .badRequest, back: back)
                }
                scope = .account(account)
            default: scope = .thread(reference)
            }
            do {
                try registry.placeHold(name: name, scope: scope, reason: reason, actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message(t(.webHoldNotPlaced), error.message, session: session, language: lang, status: .conflict, back: back)
            }
            return .redirect(to: back)
        }
    }

    func releaseHold(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            guard let name = form.text("name") else {
                return PageLayout.message(t(.webHoldNotReleased), t(.webHoldNameNeeded), session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            guard let reason = form.text("reason") else {
                return PageLayout.message(t(.webReasonNeeded), t(.webHoldReasonNeeded), session: session, language: lang, status: .badRequest, back: "/disposal")
            }
            do {
                try registry.releaseHold(name: name, reason: reason, actor: session.userName)
            } catch let error as RegistryError {
                return PageLayout.message(t(.webHoldNotReleased), error.message, session: session, language: lang, status: .conflict, back: "/disposal")
            }
            return .redirect(to: "/disposal")
        }
    }
}
