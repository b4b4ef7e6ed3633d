import DiariumCore
import Foundation
import GRDB

/// The append-only change log. Each entry's hash covers its own fields, the seals of
/// the rows its action wrote (see `RowSeal`) and the hash of the entry before it, so
/// editing, deleting or reordering any entry, or any sealed row, behind the program's
/// back breaks what `verify` recomputes.
///
/// Every writer of the registry goes through one of these: rows are sealed as they are
/// written (`seal`), and the seals gathered so far go into the next entry appended.
struct ChangeLogWriter {
    static let genesis = String(repeating: "0", count: 64)
    private(set) var previousHash: String
    private let insert: Statement
    /// The last moment formatted: a commit writes many entries at the same `now`.
    private var lastAt: (date: Date, text: String)?
    /// Seals of rows written since the last entry, one line each.
    private var pendingSeals: [String] = []
    /// Each kind's row lookup, prepared once per writer (a commit seals thousands of rows).
    private var selects: [SealKind: Statement] = [:]
    private var scratch: [UInt8] = []

    init(_ db: Database) throws {
        previousHash = try String.fetchOne(db, sql: "SELECT hash FROM changeLog ORDER BY id DESC LIMIT 1") ?? Self.genesis
        insert = try db.cachedStatement(sql: """
            INSERT INTO changeLog (at, actor, action, subject, details, seals, previousHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// The entry hash. Entries written before rows were sealed (`seals` NULL) keep the
    /// first form: SHA-256 of the fields joined by newlines. Sealed entries hash every
    /// field with its length behind a tag that no 64-digit hash starts with, so no
    /// shifting of text between fields, nor dropping the seals, keeps the hash.
    static func hash(previous: String, at: String, actor: String, action: String, subject: String, details: String, seals: String?) -> String {
        var bytes: [UInt8] = []
        guard let seals else {
            bytes.reserveCapacity(previous.utf8.count + at.utf8.count + actor.utf8.count + action.utf8.count + subject.utf8.count + details.utf8.count + 5)
            bytes.append(contentsOf: previous.utf8)
            for field in [at, actor, action, subject, details] {
                bytes.append(0x0A)
                bytes.append(contentsOf: field.utf8)
            }
            return SHA256.hexDigest(bytes)
        }
        bytes.reserveCapacity(previous.utf8.count + details.utf8.count + seals.utf8.count + 128)
        bytes.append(contentsOf: "diarium-chain-2\n".utf8)
        for field in [previous, at, actor, action, subject, details, seals] {
            bytes.append(contentsOf: String(field.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: field.utf8)
            bytes.append(0x0A)
        }
        return SHA256.hexDigest(bytes)
    }

    /// Seals the row `rowID` of `kind` as it now stands in the registry; the seal goes
    /// into the next entry appended. Reading the row back (rather than hashing the values
    /// the caller meant to write) makes the seal exactly what `verify` will read.
    mutating func seal(_ db: Database, _ kind: SealKind, _ rowID: Int64) throws {
        let statement: Statement
        if let cached = selects[kind] {
            statement = cached
        } else {
            statement = try db.makeStatement(sql: kind.selectOne)
            selects[kind] = statement
        }
        guard let seal = try RawStatement(statement: statement).first({ b in b.int(rowID) }, { RowSeal.of(kind, $0, scratch: &scratch) }) else {
            throw RegistryError("Sealing \(kind.noun) \(rowID) failed: the row just written is not there.")
        }
        pendingSeals.append(seal.line)
    }

    /// Adds a seal computed elsewhere (the upgrade that seals an older registry's rows).
    mutating func add(_ seal: RowSeal) {
        pendingSeals.append(seal.line)
    }

    var pendingCount: Int { pendingSeals.count }

    /// Records that the program removed the row (a web user): its seals end here.
    mutating func unseal(_ kind: SealKind, _ rowID: Int64) {
        pendingSeals.append(RowSeal(kind: kind, rowID: rowID, digest: nil, fingerprints: "").line)
    }

    mutating func append(_ db: Database, at: Date, actor: String, action: String, subject: String, details: String) throws {
        let when: String
        if let lastAt, lastAt.date == at {
            when = lastAt.text
        } else {
            when = Timestamp.format(at)
            lastAt = (at, when)
        }
        let seals = pendingSeals.joined(separator: "\n")
        pendingSeals.removeAll(keepingCapacity: true)
        let hash = Self.hash(previous: previousHash, at: when, actor: actor, action: action, subject: subject, details: details, seals: seals)
        let previous = previousHash
        try RawStatement(statement: insert).run { b in
            b.text(when); b.text(actor); b.text(action); b.text(subject); b.text(details); b.text(seals); b.text(previous); b.text(hash)
        }
        previousHash = hash
    }

    /// Writes the seals still pending, if any, in an entry of their own: a writer calls
    /// it before its transaction ends, so no row written leaves the transaction unsealed.
    mutating func flush(_ db: Database, at: Date, actor: String, subject: String) throws {
        guard !pendingSeals.isEmpty else { return }
        try append(db, at: at, actor: actor, action: "seal", subject: subject, details: "\(pendingSeals.count) rows")
    }
}
