import DiariumStore
import Foundation
import Hummingbird

/// Login and logout. A wrong password and an unknown user get the same answer, after
/// the same slow hash, so the page tells nobody which names exist.
extension WebApp {
    static let loginFailed = "Wrong user name or password."

    func loginPage(_ request: Request) async throws -> Response {
        if sessions.current(request) != nil { return .redirect(to: "/journal") }
        return loginForm(error: nil, status: .ok)
    }

    func loginForm(error: String?, status: HTTPResponse.Status) -> Response {
        let token = SecureRandom.token()
        let body = """
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/login">
            \(CSRF.hiddenField(token))
            <p><label>User name<br><input type="text" name="name" autocomplete="username" required autofocus></label></p>
            <p><label>Password<br><input type="password" name="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">Log in</button></p>
            </form>
            <p class="muted">Users are added on the server with <code>diarium user add NAME --role officer|auditor|admin</code>.</p>
            """
        var response = PageLayout.response(PageLayout.page(title: "Log in to \(agencyName)'s journal", session: nil, body: body), status: status)
        response.setCookie(sessions.cookie(CSRF.loginCookie, token, maxAge: 3600))
        return response
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await FormData.read(request)
        guard CSRF.isValid(submitted: form[CSRF.field], expected: request.cookies[CSRF.loginCookie]?.value) else {
            return loginForm(error: "The login form expired. Please try again.", status: .forbidden)
        }
        let name = form["name"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let password = form["password"] ?? ""
        let user = name.isEmpty ? nil : try registry.user(named: name)
        // Always run the KDF, against a decoy hash when the user is unknown.
        let matches = PasswordHash.verify(password, against: user?.passwordHash ?? PasswordHash.decoy(iterations: decoyIterations))
        guard let user, matches, !password.isEmpty else {
            return loginForm(error: Self.loginFailed, status: .unauthorized)
        }
        var response = Response.redirect(to: "/journal")
        response.setCookie(try sessions.start(userName: user.name))
        response.setCookie(sessions.cookie(CSRF.loginCookie, "", maxAge: 0))
        return response
    }

    func logout(_ request: Request) async throws -> Response {
        try await authorizedForm(request, .read) { session, _ in
            var response = Response.redirect(to: "/login")
            response.setCookie(try sessions.end(session))
            return response
        }
    }
}
