import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird

/// The officer's two actions. They call exactly the registry functions that
/// `diarium review approve|override` calls, with the web user's name as the actor, so
/// the change log cannot tell the page and the command line apart except by who acted.
extension WebApp {
    func approve(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            guard let reference = Self.reference(form) else {
                return PageLayout.message(t(.webNoItem), t(.webFormNamesNoItem), session: session, language: lang, status: .badRequest)
            }
            do {
                _ = try registry.approve(reference, actor: session.userName, day: today())
            } catch let error as RegistryError {
                return PageLayout.message(t(.webNotApproved), error.message, session: session, language: lang, status: .conflict, back: Self.localPath(form["back"]))
            }
            return .redirect(to: Self.localPath(form["back"]))
        }
    }

    func override(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .act) { session, form in
            let back = Self.localPath(form["back"])
            guard let reference = Self.reference(form) else {
                return PageLayout.message(t(.webNoItem), t(.webFormNamesNoItem), session: session, language: lang, status: .badRequest)
            }
            guard let reason = form.text("reason") else {
                return PageLayout.message(t(.webReasonNeeded), t(.webReasonNeededText), session: session, language: lang, status: .badRequest, back: back)
            }
            let journal = Self.yesNo(form["journal"])
            let restricted = Self.yesNo(form["restricted"])
            let type = form.text("type").flatMap { JournalType(rawValue: $0.uppercased()) }
            let basis = form.text("basis")
            guard journal != nil || restricted != nil || type != nil || basis != nil else {
                return PageLayout.message(t(.webNothingToChange), t(.webNothingToChangeText), session: session, language: lang, status: .badRequest, back: back)
            }
            let change = OfficerOverride(journal: journal, type: type, restricted: restricted, basis: basis, reason: reason)
            do {
                _ = try registry.override(reference, actor: session.userName, change: change, day: today())
            } catch let error as RegistryError {
                return PageLayout.message(t(.webNotOverridden), error.message, session: session, language: lang, status: .conflict, back: back)
            }
            return .redirect(to: back)
        }
    }

    /// The item the form names: its account and id, as hidden fields (ids may contain
    /// colons and slashes, so they are never squeezed into one string or a path).
    static func reference(_ form: FormData) -> ItemReference? {
        guard let id = form["id"], !id.isEmpty else { return nil }
        return ItemReference(account: form.text("account"), id: id)
    }

    static func yesNo(_ value: String?) -> Bool? {
        switch value?.lowercased() {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }
}
