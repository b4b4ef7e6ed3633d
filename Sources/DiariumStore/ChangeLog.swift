import DiariumCore
import Foundation
import GRDB

/// The append-only change log. Each entry's hash covers its own fields and the hash
/// of the entry before it, so editing, deleting or reordering any row behind the
/// program's back breaks the chain that `verify` walks.
struct ChangeLogWriter {
    static let genesis = String(repeating: "0", count: 64)
    private var previousHash: String
    private let insert: Statement
    /// The last moment formatted: a commit writes many entries at the same `now`.
    private var lastAt: (date: Date, text: String)?

    init(_ db: Database) throws {
        previousHash = try String.fetchOne(db, sql: "SELECT hash FROM changeLog ORDER BY id DESC LIMIT 1") ?? Self.genesis
        insert = try db.cachedStatement(sql: """
            INSERT INTO changeLog (at, actor, action, subject, details, previousHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// SHA-256 of the fields joined by newlines, hashed from one byte buffer.
    static func hash(previous: String, at: String, actor: String, action: String, subject: String, details: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(previous.utf8.count + at.utf8.count + actor.utf8.count + action.utf8.count + subject.utf8.count + details.utf8.count + 5)
        bytes.append(contentsOf: previous.utf8)
        for field in [at, actor, action, subject, details] {
            bytes.append(0x0A)
            bytes.append(contentsOf: field.utf8)
        }
        return SHA256.hexDigest(bytes)
    }

    mutating func append(_ db: Database, at: Date, actor: String, action: String, subject: String, details: String) throws {
        let when: String
        if let lastAt, lastAt.date == at {
            when = lastAt.text
        } else {
            when = Timestamp.format(at)
            lastAt = (at, when)
        }
        let hash = Self.hash(previous: previousHash, at: when, actor: actor, action: action, subject: subject, details: details)
        let previous = previousHash
        try RawStatement(statement: insert).run { b in
            b.text(when); b.text(actor); b.text(action); b.text(subject); b.text(details); b.text(previous); b.text(hash)
        }
        previousHash = hash
    }
}
