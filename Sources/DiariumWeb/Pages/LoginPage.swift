import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird
import Logging

/// Login and logout. A wrong password and an unknown user get the same answer, after
/// the same slow hash, so the page tells nobody which names exist.
extension WebApp {
    /// The English of ``MessageKey/webLoginFailed``, for tests that check the answer.
    static let loginFailed = "Wrong user name or password."

    func loginPage(_ request: Request) async throws -> Response {
        if sessions.current(request) != nil { return .redirect(to: "/journal") }
        return loginForm(error: nil, status: .ok)
    }

    func loginForm(error: String?, status: HTTPResponse.Status) -> Response {
        let token = CSRF.loginToken(secret: loginSecret)
        let body = """
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/login">
            \(CSRF.hiddenField(token))
            <p><label>\(HTML.escape(t(.webUserName)))<br><input type="text" name="name" autocomplete="username" required autofocus></label></p>
            <p><label>\(HTML.escape(t(.webPassword)))<br><input type="password" name="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">\(HTML.escape(t(.webLogIn)))</button></p>
            </form>
            <p class="muted">\(t(.webUsersAdded, "<code>diarium user add NAME --role officer|auditor|admin</code>"))</p>
            """
        var response = PageLayout.response(PageLayout.page(title: t(.webLoginTitle, agencyName), session: nil, language: lang, body: body), status: status)
        response.setCookie(sessions.cookie(CSRF.loginCookie, token, maxAge: 3600))
        return response
    }

    static let tooManyAttempts = "Too many failed logins. Wait a while and try again."

    /// Checks the form's token, then the throttle (before any password work), then the
    /// password. Every failure is logged at warning level with the user name and the
    /// client's address, never the password.
    func login(_ request: Request, client: String = "unknown") async throws -> Response {
        let form = try await FormData.read(request)
        guard CSRF.isValidLogin(submitted: form[CSRF.field], cookie: request.cookies[CSRF.loginCookie]?.value, secret: loginSecret) else {
            return loginForm(error: t(.webLoginExpired), status: .forbidden)
        }
        let name = form["name"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let password = form["password"] ?? ""
        // The throttle's key: bounded in length, so a huge name costs no more memory.
        let key = String(name.prefix(128))
        if let wait = throttle.retryAfter(user: key, client: client) {
            logger.warning("login refused: too many failed attempts", metadata: ["user": "\(Self.loggable(name))", "client": "\(client)", "retry_after": "\(wait)"])
            var response = loginForm(error: t(.webTooManyAttempts), status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let user = name.isEmpty ? nil : try registry.user(named: name)
        // Always run the KDF, against a decoy hash when the user is unknown.
        let matches = PasswordHash.verify(password, against: user?.passwordHash ?? PasswordHash.decoy(iterations: decoyIterations))
        guard let user, matches, !password.isEmpty else {
            throttle.failed(user: key, client: client)
            logger.warning("failed login", metadata: ["user": "\(Self.loggable(name))", "client": "\(client)"])
            return loginForm(error: t(.webLoginFailed), status: .unauthorized)
        }
        throttle.succeeded(user: key, client: client)
        var response = Response.redirect(to: "/journal")
        response.setCookie(try sessions.start(userName: user.name))
        response.setCookie(sessions.cookie(CSRF.loginCookie, "", maxAge: 0))
        return response
    }

    /// A user name as typed, safe for one log line: control characters (a forged line
    /// break) become `?`, and at most 64 characters are kept.
    static func loggable(_ name: String) -> String {
        let cleaned = String(name.unicodeScalars.prefix(64).map { CharacterSet.controlCharacters.contains($0) ? "?" : Character($0) })
        return name.unicodeScalars.count > 64 ? cleaned + "…" : cleaned
    }

    func logout(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .read) { session, _ in
            var response = Response.redirect(to: "/login")
            response.setCookie(try sessions.end(session))
            return response
        }
    }
}
