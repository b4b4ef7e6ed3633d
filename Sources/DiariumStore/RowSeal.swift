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
    case capture, item, deletion, version, decision, entry, caseFile, media, mediaFile, quarantine, accountEvent, user, timestamp
    /// The disposal workflow (`v8-disposal`): a hold and its release, a plan, its
    /// execution and its items, a disposed item's tombstone, a body its disposal removed.
    case hold, holdRelease, plan, planExecution, planItem, tombstone, disposedBody
    /// An answered access request (innsyn) and each item released or withheld under it.
    case accessRequest, accessRequestItem

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
        case .timestamp: "chainTimestamp"
        case .hold, .holdRelease: "legalHold"
        case .plan, .planExecution: "disposalPlan"
        case .planItem: "disposalPlanItem"
        case .tombstone: "tombstone"
        case .disposedBody: "disposedBody"
        case .accessRequest: "accessRequest"
        case .accessRequestItem: "accessRequestItem"
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
        case .timestamp: ["headId", "headHash", "authority", "answer", "stampedAt"]
        case .hold: ["name", "scope", "target", "reason", "placedAt", "placedBy"]
        case .holdRelease: ["releasedAt", "releasedBy", "releaseReason"]
        case .plan: ["asOf", "madeAt", "madeBy"]
        case .planExecution: ["executedAt", "executedBy", "executeReason"]
        case .planItem: ["planId", "itemId", "status", "rule", "retention", "period", "ends", "basis", "holds"]
        case .tombstone: ["itemId", "planId", "rule", "retention", "period", "basis", "contentHashes", "removedBodies", "keptBodies",
                          "disposedAt", "disposedBy", "reason"]
        case .disposedBody: ["sha256", "size", "tombstoneId", "disposedAt"]
        case .accessRequest: ["reference", "answeredAt", "actor", "format", "language", "documentSha256"]
        case .accessRequestItem: ["requestId", "itemId", "outcome", "withheld"]
        }
    }

    /// Written after the row exists: until then its columns are all NULL and no seal is due.
    var writtenLater: Bool { self == .deletion || self == .mediaFile || self == .holdRelease || self == .planExecution }

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
        case .timestamp: "time-stamp"
        case .hold: "legal hold"
        case .holdRelease: "release of legal hold"
        case .plan: "disposal plan"
        case .planExecution: "execution of disposal plan"
        case .planItem: "disposal plan item"
        case .tombstone: "tombstone"
        case .disposedBody: "disposed body record"
        case .accessRequest: "access request"
        case .accessRequestItem: "access-request item"
        }
    }

    /// Row id first, then the sealed columns.
    var selectOne: String { "SELECT rowid, \(columnList) FROM \(table) WHERE rowid = ?" }
    var selectAll: String { "SELECT rowid, \(columnList) FROM \(table) ORDER BY rowid" }
    /// The next 5,000 rows after a row id (sealing an older registry a page at a time).
    var selectPage: String { "SELECT rowid, \(columnList) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT 5000" }
    private var columnList: String { columns.map { "\"\($0)\"" }.joined(separator: ", ") }
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
    /// so what is sealed and what is checked are computed by the same code. Every row of
    /// an ingest is sealed, so it builds the hashed bytes in `scratch` and makes two
    /// strings in all.
    static func of(_ kind: SealKind, _ row: RawStatement.Columns, scratch input: inout [UInt8]) -> RowSeal {
        let rowID = row.int(0)
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: "diarium-seal-1".utf8)
        input.append(0)
        input.append(contentsOf: kind.rawValue.utf8)
        input.append(0)
        appendDecimal(rowID, to: &input)
        let count = kind.columns.count
        let fingerprints = String(unsafeUninitializedCapacity: count * 4) { out in
            for index in 0..<count {
                let column = Int32(index + 1)
                let start = input.count
                switch row.storageClass(column) {
                case SQLITE_NULL:
                    input.append(UInt8(ascii: "n"))
                case SQLITE_INTEGER:
                    input.append(UInt8(ascii: "i"))
                    let lengthAt = input.count
                    input.append(contentsOf: [0, 0, 0, 0])
                    appendDecimal(row.int(column), to: &input)
                    setLength(input.count - lengthAt - 4, at: lengthAt, in: &input)
                case SQLITE_FLOAT:
                    appendValue(tag: UInt8(ascii: "f"), Array(String(row.double(column)).utf8), to: &input)
                case let storage:
                    row.storedBytes(column) { bytes in
                        appendValue(tag: storage == SQLITE_BLOB ? UInt8(ascii: "b") : UInt8(ascii: "t"), bytes, to: &input)
                    }
                }
                let folded = fingerprint(input, from: start)
                out[index * 4] = hexDigits[Int(folded >> 12)]
                out[index * 4 + 1] = hexDigits[Int((folded >> 8) & 0xF)]
                out[index * 4 + 2] = hexDigits[Int((folded >> 4) & 0xF)]
                out[index * 4 + 3] = hexDigits[Int(folded & 0xF)]
            }
            return count * 4
        }
        var sha = SHA256()
        input.withUnsafeBytes { sha.update($0) }
        let digestBytes = sha.finalize()
        let digest = String(unsafeUninitializedCapacity: 32) { out in
            for index in 0..<16 {
                out[index * 2] = hexDigits[Int(digestBytes[index] >> 4)]
                out[index * 2 + 1] = hexDigits[Int(digestBytes[index] & 0xF)]
            }
            return 32
        }
        return RowSeal(kind: kind, rowID: rowID, digest: digest, fingerprints: fingerprints)
    }

    /// A 16-bit fingerprint of one column's encoding, eight bytes a step (a version's
    /// JSON is a kilobyte or more and every row of an ingest is sealed): only to name the
    /// changed column; the digest decides.
    private static func fingerprint(_ input: [UInt8], from start: Int) -> UInt32 {
        input.withUnsafeBytes { raw in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(raw.count - start)
            var offset = start
            while offset + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01B3
                hash ^= hash >> 29
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0x100_0000_01B3
                offset += 1
            }
            hash ^= hash >> 32
            return UInt32(truncatingIfNeeded: (hash >> 16) ^ hash) & 0xFFFF
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendDecimal(_ value: Int64, to input: inout [UInt8]) {
        if value < 0 { input.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = input.count
        repeat {
            input.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        input[start...].reverse()
    }

    private static func setLength(_ length: Int, at offset: Int, in input: inout [UInt8]) {
        let count = UInt32(length)
        input[offset] = UInt8(truncatingIfNeeded: count)
        input[offset + 1] = UInt8(truncatingIfNeeded: count >> 8)
        input[offset + 2] = UInt8(truncatingIfNeeded: count >> 16)
        input[offset + 3] = UInt8(truncatingIfNeeded: count >> 24)
    }

    private static func appendValue(tag: UInt8, _ bytes: [UInt8], to input: inout [UInt8]) {
        bytes.withUnsafeBytes { appendValue(tag: tag, $0, to: &input) }
    }

    private static func appendValue(tag: UInt8, _ bytes: UnsafeRawBufferPointer, to input: inout [UInt8]) {
        input.append(tag)
        let lengthAt = input.count
        input.append(contentsOf: [0, 0, 0, 0])
        setLength(bytes.count, at: lengthAt, in: &input)
        if bytes.count > 0 { input.append(contentsOf: bytes) }
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
