import DiariumCore
import Foundation
import GRDB

/// What a web user may do. Kept with the user in the registry so that the people who
/// may act on the record are part of the record's own storage, not a side file.
public enum UserRole: String, Sendable, CaseIterable, Hashable {
    /// Reads everything and approves or overrides proposals.
    case officer
    /// Reads everything, restricted text included, and changes nothing.
    case auditor
    /// Everything an officer may do (user management stays on the command line).
    case admin
}

/// A web user as stored: the password only as an encoded slow, salted hash.
public struct StoredUser: Sendable, Hashable {
    public var name: String
    public var role: UserRole
    /// `pbkdf2-sha256$ITERATIONS$SALT$HASH` (hex); the web module makes and checks it.
    public var passwordHash: String
}

/// A logged-in session as stored (the token itself never is).
public struct StoredSession: Sendable, Hashable {
    public var user: StoredUser
    public var csrfToken: String
    public var expiresAt: Date
}

extension Registry {
    /// Adds a user, or replaces the role and password of an existing one. Logged in the
    /// change log (role only, never the hash) so the trail shows who could act and since when.
    /// Changing a password or role ends the user's open sessions.
    @discardableResult
    public func setUser(name: String, role: UserRole, passwordHash: String, actor: String, now: Date = Date()) throws -> Bool {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed == name, !name.contains(where: { $0.isNewline || $0 == ":" }) else {
            throw RegistryError("A user name must be non-empty, without surrounding spaces, ':' or line breaks.")
        }
        return try write("user \(name)") { db in
            let when = Timestamp.format(now)
            let existed = try Bool.fetchOne(db, sql: "SELECT 1 FROM webUser WHERE name = ?", arguments: [name]) ?? false
            try db.execute(sql: """
                INSERT INTO webUser (name, role, passwordHash, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET role = excluded.role, passwordHash = excluded.passwordHash, updatedAt = excluded.updatedAt
                """, arguments: [name, role.rawValue, passwordHash, when, when])
            try db.execute(sql: "DELETE FROM webSession WHERE userName = ?", arguments: [name])
            var log = try ChangeLogWriter(db)
            if let userRowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM webUser WHERE name = ?", arguments: [name]) {
                try log.seal(db, .user, userRowID)
            }
            try log.append(db, at: now, actor: actor, action: existed ? "user update" : "user add", subject: "user:\(name)",
                           details: "role \(role.rawValue); password set")
            return !existed
        }
    }

    /// Removes a user and their sessions; logged in the change log.
    public func removeUser(name: String, actor: String, now: Date = Date()) throws {
        try write("user \(name)") { db in
            try db.execute(sql: "DELETE FROM webSession WHERE userName = ?", arguments: [name])
            let userRowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM webUser WHERE name = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM webUser WHERE name = ?", arguments: [name])
            guard db.changesCount > 0, let userRowID else { throw RegistryError("No user \(name) in the registry.") }
            var log = try ChangeLogWriter(db)
            log.unseal(.user, userRowID)
            try log.append(db, at: now, actor: actor, action: "user remove", subject: "user:\(name)", details: "removed")
        }
    }

    public func user(named name: String) throws -> StoredUser? {
        try read("user \(name)") { db in
            try Row.fetchOne(db, sql: "SELECT name, role, passwordHash FROM webUser WHERE name = ?", arguments: [name]).flatMap(Self.storedUser)
        }
    }

    public func users() throws -> [StoredUser] {
        try read("the users") { db in
            try Row.fetchAll(db, sql: "SELECT name, role, passwordHash FROM webUser ORDER BY name").compactMap(Self.storedUser)
        }
    }

    static func storedUser(_ row: Row) -> StoredUser? {
        guard let role = UserRole(rawValue: row["role"]) else { return nil }
        return StoredUser(name: row["name"], role: role, passwordHash: row["passwordHash"])
    }

    /// Stores a new session under the hash of its token; expired sessions are purged
    /// on the way, so the table never grows without bound.
    public func createSession(tokenHash: String, userName: String, csrfToken: String, expiresAt: Date, now: Date = Date()) throws {
        try write("a session") { db in
            try db.execute(sql: "DELETE FROM webSession WHERE expiresAt <= ?", arguments: [Timestamp.format(now)])
            try db.execute(sql: "INSERT INTO webSession (tokenHash, userName, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tokenHash, userName, csrfToken, Timestamp.format(now), Timestamp.format(expiresAt)])
        }
    }

    /// The live session with this token hash, or nil when unknown or expired.
    public func session(tokenHash: String, now: Date = Date()) throws -> StoredSession? {
        try read("a session") { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT u.name, u.role, u.passwordHash, s.csrfToken, s.expiresAt
                FROM webSession s JOIN webUser u ON u.name = s.userName
                WHERE s.tokenHash = ? AND s.expiresAt > ?
                """, arguments: [tokenHash, Timestamp.format(now)]),
                let user = Self.storedUser(row),
                let expires = (row["expiresAt"] as String?).flatMap(Timestamp.parse)
            else { return nil }
            return StoredSession(user: user, csrfToken: row["csrfToken"], expiresAt: expires)
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try write("a session") { db in
            try db.execute(sql: "DELETE FROM webSession WHERE tokenHash = ?", arguments: [tokenHash])
        }
    }
}
