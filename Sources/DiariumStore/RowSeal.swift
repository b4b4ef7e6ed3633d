import DiariumCore
import GRDB
import GRDBSQLite

/// What the change log vouches for, one kind of row (or part of a row) at a time.
///
/// Every row an output reads is sealed when the program writes it: the seal is a digest
/// of the row's stored values, written into the change-log entry of the action that
/// wrote it, and so covered by the hash chain. `verify` recomputes every row's digest
/// and compares it with the last seal the chain holds for that row: a row changed,
/// added or deleted behind the program's back no longer matches.
///
/// A row whose columns are written at two moments has two kinds: an item's facts at
/// capture and its deletion mark when the platform says it is gone; a media file's
/// declaration with its version and its download later. A kind that is written later
/// (`writtenLater`) may be missing from the chain while all its columns are still NULL.
///
/// Not sealed, because nothing reads them as part of the record: an account's polling
/// state (checkpoint, last error, backoff), a media file's retry bookkeeping, web
/// sessions (ephemeral, only hashes), and the number series (checked against the
/// numbers given instead). The full-text indexes are derived from the versions.
enum SealKind: String, CaseIterable, Sendable {
    case capture, item, deletion, version, decision, entry, caseFile, media, mediaFile, quarantine, accountEvent, user

    var table: String {
        switch self {
        case .capture: "capture"
        case .item, .deletion: "item"
        case .version: "itemVersion"
        case .decision: "decision"
        case .entry: "journalEntry"
        case .caseFile: "caseFile"
        case .media, .mediaFile: "media"
        case .quarantine: "quarantine"
        case .accountEvent: "accountEvent"
        case .user: "webUser"
        }
    }

    /// The columns the seal covers, in the order they are hashed. Changing a list is a
    /// schema change: a registry sealed with the old list no longer verifies.
    var columns: [String] {
        switch self {
        case .capture: ["account", "method", "url", "status", "headers", "sha256", "capturedAt", "redirects"]
        case .item: ["account", "platformId", "platform", "kind", "agency", "inReplyTo", "threadRoot", "caseFileId", "createdAt", "day", "firstCapturedAt"]
        case .deletion: ["deletedAt", "deletedHow", "deletionCaptureId"]
        case .version: ["itemId", "number", "contentHash", "json", "editedAt", "captureId"]
        case .decision: ["itemId", "versionId", "json", "journal", "restricted", "profile", "decidedAt"]
        case .entry: ["itemId", "year", "sequence", "type", "status", "registeredAt", "journalDate"]
        case .caseFile: ["account", "threadRoot", "year", "sequence", "createdAt"]
        case .media: ["account", "itemId", "versionId", "url", "declaredType", "description"]
        case .mediaFile: ["sha256", "contentType", "size", "captureId", "fetchedAt"]
        case .quarantine: ["account", "captureId", "problem", "at"]
        case .accountEvent: ["account", "kind", "detail", "detectedAt", "captureId"]
        case .user: ["name", "role", "passwordHash", "createdAt"]
        }
    }

    /// Written after the row exists: until then its columns are all NULL and no seal is due.
    var writtenLater: Bool { self == .deletion || self == .mediaFile }

    /// How a sentence names the row's kind.
    var noun: String {
        switch self {
        case .capture: "capture"
        case .item: "item"
        case .deletion: "deletion mark of item"
        case .version: "item version"
        case .decision: "decision"
        case .entry: "journal entry"
        case .caseFile: "case file"
        case .media: "media file"
        case .mediaFile: "media download"
        case .quarantine: "quarantine record"
        case .accountEvent: "account event"
        case .user: "web user"
        }
    }

    /// Row id first, then the sealed columns.
    var selectOne: String { "SELECT rowid, \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) WHERE rowid = ?" }
    var selectAll: String { "SELECT rowid, \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY rowid" }
}

/// One row's seal as the change log holds it: `KIND ROWID DIGEST FINGERPRINTS`, or
/// `KIND ROWID -` for a row the program removed (a web user).
///
/// The digest is the first 128 bits of SHA-256 over the row's values, each with its
/// SQLite storage class and length (so `1` and `'1'`, NULL and `''` differ). Forging a
/// row that keeps the digest is a second preimage of SHA-256/128. The fingerprints, 16
/// bits per column, only serve to name which column changed; the digest decides.
struct RowSeal: Sendable, Hashable {
    var kind: SealKind
    var rowID: Int64
    /// Nil: the row was removed by the program.
    var digest: String?
    var fingerprints: String

    var line: String {
        "\(kind.rawValue) \(rowID) \(digest.map { "\($0) \(fingerprints)" } ?? "-")"
    }

    init(kind: SealKind, rowID: Int64, digest: String?, fingerprints: String) {
        self.kind = kind
        self.rowID = rowID
        self.digest = digest
        self.fingerprints = fingerprints
    }

    /// Reads a line written by `line`; nil for anything else.
    init?(line: Substring) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count >= 3, let kind = SealKind(rawValue: String(parts[0])), let rowID = Int64(parts[1]) else { return nil }
        self.kind = kind
        self.rowID = rowID
        if parts[2] == "-" {
            digest = nil
            fingerprints = ""
        } else {
            guard parts.count == 4 else { return nil }
            digest = String(parts[2])
            fingerprints = String(parts[3])
        }
    }

    /// The seal of the row the statement stands on: column 0 the row id, the sealed
    /// columns after it in `kind.columns` order. Writers and `verify` both call this,
    /// so what is sealed and what is checked are computed by the same code.
    static func of(_ kind: SealKind, _ row: RawStatement.Columns) -> RowSeal {
        let rowID = row.int(0)
        var input: [UInt8] = []
        input.reserveCapacity(256)
        input.append(contentsOf: "diarium-seal-1".utf8)
        input.append(0)
        input.append(contentsOf: kind.rawValue.utf8)
        input.append(0)
        input.append(contentsOf: String(rowID).utf8)
        var fingerprints = ""
        fingerprints.reserveCapacity(kind.columns.count * 4)
        for index in 1...Int32(kind.columns.count) {
            let start = input.count
            switch row.storageClass(index) {
            case SQLITE_NULL:
                input.append(UInt8(ascii: "n"))
            case SQLITE_INTEGER:
                appendValue(tag: "i", Array(String(row.int(index)).utf8), to: &input)
            case SQLITE_FLOAT:
                appendValue(tag: "f", Array(String(row.double(index)).utf8), to: &input)
            case let storage:
                row.storedBytes(index) { bytes in
                    appendValue(tag: storage == SQLITE_BLOB ? "b" : "t", bytes, to: &input)
                }
            }
            fingerprints += fingerprint(input[start...])
        }
        let digest = String(SHA256.hexDigest(input).prefix(32))
        return RowSeal(kind: kind, rowID: rowID, digest: digest, fingerprints: fingerprints)
    }

    private static func appendValue<C: Collection>(tag: Character, _ bytes: C, to input: inout [UInt8]) where C.Element == UInt8 {
        input.append(UInt8(ascii: tag.unicodeScalars.first!))
        let count = UInt32(bytes.count)
        input.append(UInt8(truncatingIfNeeded: count))
        input.append(UInt8(truncatingIfNeeded: count >> 8))
        input.append(UInt8(truncatingIfNeeded: count >> 16))
        input.append(UInt8(truncatingIfNeeded: count >> 24))
        input.append(contentsOf: bytes)
    }

    private static func appendValue(tag: Character, _ bytes: UnsafeRawBufferPointer, to input: inout [UInt8]) {
        appendValue(tag: tag, UnsafeRawBufferPointer(bytes).lazy.map { $0 }, to: &input)
    }

    /// FNV-1a over one column's encoding, folded to 16 bits: four hex digits.
    private static func fingerprint(_ bytes: ArraySlice<UInt8>) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let folded = (hash >> 16) ^ (hash & 0xFFFF)
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(folded >> 12)], digits[Int((folded >> 8) & 0xF)], digits[Int((folded >> 4) & 0xF)], digits[Int(folded & 0xF)]], as: UTF8.self)
    }

    /// The columns whose fingerprints differ from `other`'s: which values changed.
    func changedColumns(comparedWith other: RowSeal) -> [String] {
        let mine = Array(fingerprints.utf8), theirs = Array(other.fingerprints.utf8)
        var changed: [String] = []
        for (index, column) in kind.columns.enumerated() {
            let range = (index * 4)..<(index * 4 + 4)
            guard range.upperBound <= mine.count, range.upperBound <= theirs.count else { break }
            if mine[range] != theirs[range] { changed.append(column) }
        }
        return changed
    }
}
