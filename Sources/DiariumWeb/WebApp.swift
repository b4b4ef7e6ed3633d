import DiariumConfig
import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Hummingbird
import Logging

/// The records officer's web page: every handler, and the checks they share. The
/// review actions call exactly `Registry.approve` and `Registry.override`, the same as
/// `diarium review`, with the web user's name as the actor, so the command line and
/// the page leave the same trail in the change log.
public struct WebApp: Sendable {
    public let registry: Registry
    public let agencyName: String
    public let timeZone: TimeZone
    let sessions: SessionStore
    /// The KDF cost of the decoy checked for unknown user names; it should match the
    /// users' own hashes (tests use cheap hashes, so they lower it too).
    let decoyIterations: Int
    /// Counts failed logins per user name and per client and locks guessers out.
    let throttle: LoginThrottle
    /// The key of the login form's CSRF tokens, made afresh each time the server starts.
    let loginSecret: [UInt8]
    let logger: Logger
    /// The agency's profile (`no` or `se`) and `[agency] language`: the access-request
    /// answer's legal bases and language.
    public var profile = "no"
    public var language: String?

    /// The language every page speaks: `[agency] language`, else the profile's own.
    var lang: Language { Language.chosen(language, profile: profile) }

    func t(_ key: MessageKey, _ arguments: String...) -> String {
        Messages.text(key, lang, arguments: arguments)
    }

    public init(registry: Registry, agencyName: String, timeZone: TimeZone, settings: WebSettings = WebSettings(),
                decoyIterations: Int = PasswordHash.defaultIterations, throttle: LoginThrottle = LoginThrottle(),
                logger: Logger = Logger(label: "diarium.web")) {
        self.registry = registry
        self.throttle = throttle
        self.loginSecret = SecureRandom.bytes(32)
        self.logger = logger
        self.decoyIterations = decoyIterations
        self.agencyName = agencyName
        self.timeZone = timeZone
        self.sessions = SessionStore(registry: registry, lifetimeSeconds: settings.sessionSeconds, secureCookie: settings.secureCookie)
    }

    /// Yesterday in the agency's time zone: the records officer's morning journal.
    func defaultDay(now: Date = Date()) -> String {
        Timestamp.day(now.addingTimeInterval(-86400), in: timeZone)
    }

    /// Today in the agency's time zone: the journal date (journaldato) of an approval.
    func today(now: Date = Date()) -> String {
        Timestamp.day(now, in: timeZone)
    }

    /// A `YYYY-MM-DD` day from the query, or nil when absent or malformed.
    static func day(_ request: Request, _ name: String = "day") -> String? {
        guard let text = request.uri.queryParameters.get(name), text.count == 10, Timestamp.parseRFC3339(text) != nil else { return nil }
        return text
    }

    /// Runs `body` for a logged-in user who holds `permission`; otherwise the login page
    /// (not logged in or session expired) or a 403 page (role too weak).
    func authorized(_ request: Request, _ permission: Permission, _ body: (ActiveSession) async throws -> Response) async throws -> Response {
        guard let session = sessions.current(request) else { return .redirect(to: "/login") }
        guard session.role.may(permission) else {
            return PageLayout.message(t(.webNotAllowed), t(.webRoleMayRead, session.role.rawValue), session: session, language: lang, status: .forbidden)
        }
        return try await body(session)
    }

    /// As `authorized`, for a form POST: the form's CSRF token must be the session's,
    /// checked before the role and before anything is read from the registry.
    func authorizedForm(_ request: Request, _ permission: Permission, _ body: (ActiveSession, FormData) async throws -> Response) async throws -> Response {
        guard let session = sessions.current(request) else { return .redirect(to: "/login") }
        let form = try await FormData.read(request)
        guard CSRF.isValid(submitted: form[CSRF.field], expected: session.csrfToken) else {
            return PageLayout.message(t(.webFormExpired), t(.webFormExpiredText), session: session, language: lang, status: .forbidden)
        }
        guard session.role.may(permission) else {
            return PageLayout.message(t(.webNotAllowed), t(.webRoleMayRead, session.role.rawValue), session: session, language: lang, status: .forbidden)
        }
        return try await body(session, form)
    }

    /// A path on this site to return to after an action; anything else falls back to the
    /// queue. Browsers drop tabs and line breaks from a URL and read `\` as `/`, so
    /// `/<TAB>/evil.example` or `/\evil.example` would become the scheme-relative
    /// `//evil.example`: every control character (C0, DEL, C1), every format character
    /// (bidi overrides, zero-width), every space and every backslash is refused, not
    /// cleaned, and the path must start with exactly one `/`.
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"),
              text.unicodeScalars.allSatisfy(isPathScalar) else { return "/queue" }
        return text
    }

    /// A character that may stand in a return path: none that a browser strips, treats
    /// as a separator, or shows as something else.
    private static func isPathScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\\" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }
}
