import DiariumCore
import DiariumStore
import Foundation
import Hummingbird

/// What a role may do on the page: everyone logged in reads (restricted text
/// included); only officers and admins act on proposals.
public enum Permission: Sendable {
    case read
    case act
}

extension UserRole {
    public func may(_ permission: Permission) -> Bool {
        switch permission {
        case .read: return true
        case .act: return self == .officer || self == .admin
        }
    }
}

/// The logged-in user of one request.
public struct ActiveSession: Sendable {
    public var userName: String
    public var role: UserRole
    /// The CSRF token every form of this session carries.
    public var csrfToken: String
    var tokenHash: String
}

/// Sessions in the registry, keyed by the SHA-256 of a random 256-bit token that only
/// the browser holds (in a `Secure; HttpOnly; SameSite=Strict` cookie). They expire
/// after a fixed lifetime; logging out deletes them.
struct SessionStore: Sendable {
    static let cookieName = "diarium_session"

    let registry: Registry
    let lifetimeSeconds: Int
    let secureCookie: Bool

    /// Starts a fresh session (a new token on every login, so a token planted before
    /// login is worthless) and returns the cookie to set.
    func start(userName: String, now: Date = Date()) throws -> Cookie {
        let token = SecureRandom.token()
        try registry.createSession(tokenHash: SHA256.hexDigest(token), userName: userName, csrfToken: SecureRandom.token(),
                                   expiresAt: now.addingTimeInterval(TimeInterval(lifetimeSeconds)), now: now)
        return cookie(Self.cookieName, token, maxAge: lifetimeSeconds)
    }

    /// The live session named by the request's cookie, if any.
    func current(_ request: Request, now: Date = Date()) -> ActiveSession? {
        guard let token = request.cookies[Self.cookieName]?.value, token.count == 64, Hex.decode(token) != nil else { return nil }
        let hash = SHA256.hexDigest(token)
        guard let stored = try? registry.session(tokenHash: hash, now: now) else { return nil }
        return ActiveSession(userName: stored.user.name, role: stored.user.role, csrfToken: stored.csrfToken, tokenHash: hash)
    }

    func end(_ session: ActiveSession) throws -> Cookie {
        try registry.deleteSession(tokenHash: session.tokenHash)
        return cookie(Self.cookieName, "", maxAge: 0)
    }

    /// Every cookie the page sets has the same protective attributes.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookie, httpOnly: true, sameSite: .strict)
    }
}
