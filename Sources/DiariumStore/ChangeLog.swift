import DiariumCore
import Foundation
import GRDB

/// The append-only change log. Each entry's hash covers its own fields and the hash
/// of the entry before it, so editing, deleting or reordering any row behind the
/// program's back breaks the chain that `verify` walks.
struct ChangeLogWriter {
    static let genesis = String(repeating: "0", count: 64)
    private var previousHash: String

    init(_ db: Database) throws {
        previousHash = try String.fetchOne(db, sql: "SELECT hash FROM changeLog ORDER BY id DESC LIMIT 1") ?? Self.genesis
    }

    static func hash(previous: String, at: String, actor: String, action: String, subject: String, details: String) -> String {
        SHA256.hexDigest([previous, at, actor, action, subject, details].joined(separator: "\n"))
    }

    mutating func append(_ db: Database, at: Date, actor: String, action: String, subject: String, details: String) throws {
        let when = Timestamp.format(at)
        let hash = Self.hash(previous: previousHash, at: when, actor: actor, action: action, subject: subject, details: details)
        try db.cachedStatement(sql: """
            INSERT INTO changeLog (at, actor, action, subject, details, previousHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [when, actor, action, subject, details, previousHash, hash])
        previousHash = hash
    }
}
