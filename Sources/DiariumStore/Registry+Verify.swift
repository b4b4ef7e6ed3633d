import DiariumCore
import Foundation
import GRDB

/// The outcome of `verify`: no problems means every stored body, every chain link and
/// every sealed row held, and every head noted elsewhere is in the chain.
public struct VerificationReport: Sendable {
    public var blobsChecked = 0
    public var changeLogEntries = 0
    public var rowsChecked = 0
    /// Heads checked against the chain: `--anchor` values and witness lines.
    public var headsChecked = 0
    /// Disposed items (tombstones) and the captured bodies their disposals removed, each
    /// vouched for by a `dispose` entry of the chain.
    public var disposedItems = 0
    public var disposedBodies = 0
    /// The chain's last entry, which the report vouches for.
    public var head: ChainHead?
    /// Each a sentence naming what changed: table, row, item, field.
    public var problems: [String] = []
    /// Stored values that cannot be read (not tampering: the seals hold), each naming the item.
    public var warnings: [String] = []
    /// Problems past this many are counted, not listed.
    public static let listed = 50
    public var unlisted = 0

    public var problem: String? { problems.first }

    mutating func report(_ problem: String) {
        if problems.count < Self.listed { problems.append(problem) } else { unlisted += 1 }
    }
}

extension Registry {
    /// Recomputes the hash of every stored body, walks the change-log chain, recomputes
    /// every sealed row and compares it with the last seal the chain holds for it, and
    /// checks each head in `anchors` and in the witness file. Goes on past the first
    /// problem so the auditor sees everything that changed.
    public func verify(anchors: [ChainHead] = [], witness: ChainWitness? = nil) throws -> VerificationReport {
        let witnessed = try witness?.heads() ?? []
        return try read("the registry for verification") { db in
            var report = VerificationReport()
            let disposed = Set(try String.fetchAll(db, sql: "SELECT sha256 FROM disposedBody"))
            let blobs = try Self.verifyBlobs(db, disposed: disposed, &report)
            let seals = try Self.walkChain(db, &report)
            // A time-stamped head is a head noted elsewhere too: the authority signed that
            // the chain had reached it, so it must still be there with the same hash.
            let stamped = try Row.fetchAll(db, sql: "SELECT headId, headHash, stampedAt, answer FROM chainTimestamp ORDER BY id")
            for row in stamped where !TimeStampProtocol.answer(row["answer"], matches: SHA256.bytes(fromHex: row["headHash"]) ?? [], nonce: []) {
                report.report("The time-stamp of \(row["stampedAt"] as String) does not grant head \(row["headId"] as Int64):\(row["headHash"] as String); the answer kept is not the authority's.")
            }
            try Self.checkHeads(db, anchors.map { ($0, "the anchor \($0)") }
                + witnessed.map { ($0, "the witness \(witness?.path ?? "")") }
                + stamped.map { (ChainHead(id: $0["headId"], hash: $0["headHash"]), "the time-stamp of \($0["stampedAt"] as String)") }, &report)
            try Self.verifyRows(db, seals: seals, &report)
            try Self.verifyDisposals(db, seals: seals, &report)
            try Self.verifyConsistency(db, blobs: blobs, &report)
            try Self.readabilityWarnings(db, &report)
            return report
        }
    }

    /// Every body hashes to its name and has its recorded size; returns the names.
    /// A body a disposal removed (`disposed`, sealed rows the chain vouches for) is kept as
    /// a row without bytes, so its captures still name it.
    private static func verifyBlobs(_ db: Database, disposed: Set<String>, _ report: inout VerificationReport) throws -> Set<String> {
        var names = Set<String>()
        let blobs = try Row.fetchCursor(db, sql: "SELECT sha256, size, body FROM blob ORDER BY sha256")
        while let row = try blobs.next() {
            report.blobsChecked += 1
            let body: Data = row["body"] ?? Data()
            let expected: String = row["sha256"]
            names.insert(expected)
            if body.isEmpty && disposed.contains(expected) { continue }
            let actual = SHA256.hexDigest(body)
            if actual != expected {
                report.report("The captured body stored as \(expected) now hashes to \(actual): it was altered after capture.")
            } else if (row["size"] as Int) != body.count {
                report.report("The captured body \(expected) has \(body.count) bytes but was recorded with \(row["size"] as Int).")
            }
        }
        return names
    }

    /// What the chain says each sealed row should be: the last seal for it, by kind and
    /// row id, with the entry that holds it (re-read only to name a changed column).
    struct SealKey: Hashable {
        var kind: SealKind
        var rowID: Int64
    }

    struct ChainSeal {
        var digest: String?
        var entryID: Int64
    }

    /// Walks the chain from its first entry: numbers without gaps, each entry following
    /// the one before, each hash recomputed over the entry's fields and seals.
    private static func walkChain(_ db: Database, _ report: inout VerificationReport) throws -> [SealKey: ChainSeal] {
        var seals: [SealKey: ChainSeal] = [:]
        var previous = ChangeLogWriter.genesis
        var expectedID: Int64 = 1
        let entries = try Row.fetchCursor(db, sql: "SELECT id, at, actor, action, subject, details, seals, previousHash, hash FROM changeLog ORDER BY id")
        while let row = try entries.next() {
            let id: Int64 = row["id"]
            let sealText: String? = row["seals"]
            let hash: String = row["hash"]
            report.changeLogEntries += 1
            if id != expectedID {
                report.report("Change-log entry \(expectedID) is missing: the log jumps to entry \(id).")
            }
            if (row["previousHash"] as String) != previous {
                report.report("Change-log entry \(id) does not follow entry \(id - 1): the chain is broken there.")
            }
            let recomputed = ChangeLogWriter.hash(previous: row["previousHash"], at: row["at"], actor: row["actor"], action: row["action"],
                                                  subject: row["subject"], details: row["details"], seals: sealText)
            if recomputed != hash {
                report.report("Change-log entry \(id) (\(row["action"] as String) \(row["subject"] as String)) was altered: its hash no longer matches its content.")
            }
            previous = hash
            expectedID = id + 1
            report.head = ChainHead(id: id, hash: hash, at: row["at"])
            guard let sealText, !sealText.isEmpty else { continue }
            for line in sealText.split(separator: "\n") {
                guard let seal = RowSeal(line: line) else {
                    report.report("Change-log entry \(id) holds a seal that cannot be read (\(line.prefix(40))…).")
                    continue
                }
                seals[SealKey(kind: seal.kind, rowID: seal.rowID)] = ChainSeal(digest: seal.digest, entryID: id)
            }
        }
        return seals
    }

    /// Each head noted elsewhere must be an entry of this chain with the same hash.
    private static func checkHeads(_ db: Database, _ heads: [(ChainHead, String)], _ report: inout VerificationReport) throws {
        guard !heads.isEmpty else { return }
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM changeLog") ?? 0
        let lookup = try db.makeStatement(sql: "SELECT hash FROM changeLog WHERE id = ?")
        for (head, source) in heads {
            report.headsChecked += 1
            guard let stored = try String.fetchOne(lookup, arguments: [head.id]) else {
                report.report("\(source.prefix(1).uppercased() + source.dropFirst()) records change-log entry \(head.id)\(head.at.map { " (\($0))" } ?? ""), but the registry's chain ends at entry \(last): its newest entries were removed or an older copy was restored.")
                continue
            }
            if stored != head.hash {
                report.report("\(source.prefix(1).uppercased() + source.dropFirst()) records change-log entry \(head.id) with hash \(head.hash.prefix(16))…, but the registry's entry \(head.id) has \(stored.prefix(16))…: the chain was rewritten from there.")
            }
        }
    }

    /// Every row of every sealed kind against the chain's last seal for it.
    private static func verifyRows(_ db: Database, seals: [SealKey: ChainSeal], _ report: inout VerificationReport) throws {
        var unseen = seals
        var scratch: [UInt8] = []
        for kind in SealKind.allCases {
            let statement = try db.makeStatement(sql: kind.selectAll)
            var found: [(RowSeal, ChainSeal?, Bool)] = []
            try RawStatement(statement: statement).forEach({ _ in }) { row in
                report.rowsChecked += 1
                let seal = RowSeal.of(kind, row, scratch: &scratch)
                let key = SealKey(kind: kind, rowID: seal.rowID)
                let vouched = unseen.removeValue(forKey: key)
                if vouched?.digest == seal.digest, vouched != nil { return }
                let empty = kind.writtenLater && (1...Int32(kind.columns.count)).allSatisfy { row.isNull($0) }
                if vouched == nil && empty { return }
                found.append((seal, vouched, empty))
            }
            for (seal, vouched, empty) in found {
                let name = try describe(db, kind, seal.rowID)
                guard let vouched else {
                    report.report("The \(name) is not in the change log: it was added behind the program's back.")
                    continue
                }
                guard vouched.digest != nil else {
                    report.report("The \(name) was removed by the program (change-log entry \(vouched.entryID)) but is there again: it was restored behind the program's back.")
                    continue
                }
                if empty {
                    report.report("The \(name) recorded in change-log entry \(vouched.entryID) was erased behind the program's back.")
                    continue
                }
                let columns = try sealRecorded(db, entryID: vouched.entryID, key: SealKey(kind: kind, rowID: seal.rowID)).map { seal.changedColumns(comparedWith: $0) } ?? []
                let what = columns.isEmpty ? "its stored values" : (columns.count == 1 ? "its \(columns[0])" : "its " + columns.joined(separator: ", "))
                report.report("The \(name) was changed behind the program's back: \(what) no longer match\(columns.count == 1 ? "es" : "") change-log entry \(vouched.entryID).")
            }
        }
        for (key, vouched) in unseen.sorted(by: { ($0.value.entryID, $0.key.rowID) < ($1.value.entryID, $1.key.rowID) }) where vouched.digest != nil {
            let subject = try String.fetchOne(db, sql: "SELECT subject FROM changeLog WHERE id = ?", arguments: [vouched.entryID]) ?? ""
            report.report("The \(key.kind.noun) row \(key.rowID) (\(key.kind.table), recorded in change-log entry \(vouched.entryID) for \(subject)) is missing: it was deleted behind the program's back.")
        }
    }

    /// Every tombstone must be sealed by a `dispose` entry (the program writes it nowhere
    /// else), so each disposed item is accounted for by the officer's act that disposed it.
    private static func verifyDisposals(_ db: Database, seals: [SealKey: ChainSeal], _ report: inout VerificationReport) throws {
        let action = try db.makeStatement(sql: "SELECT action FROM changeLog WHERE id = ?")
        for row in try Row.fetchAll(db, sql: "SELECT t.id, i.account, i.platformId FROM tombstone t JOIN item i ON i.id = t.itemId ORDER BY t.id") {
            report.disposedItems += 1
            guard let seal = seals[SealKey(kind: .tombstone, rowID: row["id"])], seal.digest != nil else { continue }  // reported by verifyRows
            if try String.fetchOne(action, arguments: [seal.entryID]) != "dispose" {
                report.report("The tombstone of \(row["account"] as String):\(row["platformId"] as String) is vouched for by change-log entry \(seal.entryID), which is no disposal: the item was removed behind the program's back.")
            }
        }
        report.disposedBodies = try Int.fetchOne(db, sql: "SELECT count(*) FROM disposedBody") ?? 0
    }

    /// The seal an entry recorded for one row, to name the changed columns.
    private static func sealRecorded(_ db: Database, entryID: Int64, key: SealKey) throws -> RowSeal? {
        guard let text = try String.fetchOne(db, sql: "SELECT seals FROM changeLog WHERE id = ?", arguments: [entryID]) else { return nil }
        return text.split(separator: "\n").lazy.compactMap { RowSeal(line: $0) }.last { $0.kind == key.kind && $0.rowID == key.rowID }
    }

    /// A row named as an auditor looks it up: its kind, row id and the item or account.
    static func describe(_ db: Database, _ kind: SealKind, _ rowID: Int64) throws -> String {
        let base = "\(kind.noun) \(rowID) (table \(kind.table)"
        let itemSQL: String?
        switch kind {
        case .item, .deletion: itemSQL = "SELECT account || ':' || platformId FROM item WHERE id = ?"
        case .version, .decision, .entry, .media, .mediaFile:
            itemSQL = "SELECT i.account || ':' || i.platformId FROM \(kind.table) t JOIN item i ON i.id = t.itemId WHERE t.rowid = ?"
        case .capture, .caseFile, .quarantine, .accountEvent:
            itemSQL = "SELECT 'account ' || account FROM \(kind.table) WHERE rowid = ?"
        case .user:
            itemSQL = "SELECT 'user ' || name FROM webUser WHERE rowid = ?"
        case .timestamp:
            itemSQL = "SELECT 'head ' || headId || ', ' || stampedAt FROM chainTimestamp WHERE rowid = ?"
        case .hold, .holdRelease:
            itemSQL = "SELECT 'hold ' || name FROM legalHold WHERE rowid = ?"
        case .plan, .planExecution:
            itemSQL = "SELECT 'plan ' || id || ', as of ' || asOf FROM disposalPlan WHERE rowid = ?"
        case .planItem, .tombstone:
            itemSQL = "SELECT i.account || ':' || i.platformId FROM \(kind.table) t JOIN item i ON i.id = t.itemId WHERE t.rowid = ?"
        case .disposedBody:
            itemSQL = "SELECT 'body ' || sha256 FROM disposedBody WHERE rowid = ?"
        case .accessRequest:
            itemSQL = "SELECT 'request ' || reference FROM accessRequest WHERE rowid = ?"
        case .accessRequestItem:
            itemSQL = "SELECT i.account || ':' || i.platformId FROM accessRequestItem t JOIN item i ON i.id = t.itemId WHERE t.rowid = ?"
        }
        var extra = try itemSQL.flatMap { try String.fetchOne(db, sql: $0, arguments: [rowID]) }.map { ", \($0)" } ?? ""
        if kind == .entry, let row = try Row.fetchOne(db, sql: "SELECT year, sequence FROM journalEntry WHERE id = ?", arguments: [rowID]),
           let year = row["year"] as Int?, let sequence = row["sequence"] as Int? {
            extra += ", \(JournalNumber.format(year: year, sequence: sequence))"
        }
        if kind == .version, let number = try Int.fetchOne(db, sql: "SELECT number FROM itemVersion WHERE id = ?", arguments: [rowID]) {
            extra += ", version \(number)"
        }
        return base + extra + ")"
    }

    /// What the seals cannot say alone: that rows agree with each other. Every capture's
    /// body is stored and every stored body belongs to a capture; an item's current
    /// version is its last; no number series stands below a number it already gave.
    private static func verifyConsistency(_ db: Database, blobs: Set<String>, _ report: inout VerificationReport) throws {
        var referenced = Set<String>()
        let captures = try Row.fetchCursor(db, sql: "SELECT id, account, sha256 FROM capture UNION ALL SELECT id, account, sha256 FROM media WHERE sha256 IS NOT NULL")
        while let row = try captures.next() {
            let sha: String = row["sha256"]
            referenced.insert(sha)
            if !blobs.contains(sha) {
                report.report("The captured body \(sha) of capture \(row["id"] as Int64) (account \(row["account"] as String)) is missing: it was deleted behind the program's back.")
            }
        }
        for orphan in blobs.subtracting(referenced).sorted() {
            report.report("The stored body \(orphan) belongs to no capture: it was added behind the program's back.")
        }
        let versions = try Row.fetchCursor(db, sql: """
            SELECT i.account, i.platformId, i.currentVersion, COUNT(v.id) AS n, COALESCE(MAX(v.number), 0) AS top
            FROM item i LEFT JOIN itemVersion v ON v.itemId = i.id GROUP BY i.id
            HAVING i.currentVersion != top OR n != top
            """)
        while let row = try versions.next() {
            report.report("Item \(row["account"] as String):\(row["platformId"] as String) names version \(row["currentVersion"] as Int) as current but has \(row["n"] as Int) versions numbered up to \(row["top"] as Int): the item row was changed behind the program's back.")
        }
        let series = try Row.fetchCursor(db, sql: """
            SELECT 'journal' AS series, year, MAX(sequence) AS top FROM journalEntry GROUP BY year
            UNION ALL SELECT 'case', year, MAX(sequence) FROM caseFile GROUP BY year
            """)
        while let row = try series.next() {
            let name: String = row["series"], year: Int = row["year"], top: Int = row["top"]
            let last = try Int.fetchOne(db, sql: "SELECT last FROM numberSeries WHERE series = ? AND year = ?", arguments: [name, year]) ?? 0
            if last < top {
                report.report("The \(name) number series for \(year) stands at \(last) though \(JournalNumber.format(year: year, sequence: top)) was given: the next number would repeat one; it was changed behind the program's back.")
            }
        }
    }

    /// Stored values that hold their seals but cannot be read back as records: named so
    /// the auditor knows which items the other commands show only in part. And the
    /// full-text indexes, which `search` reads instead of the versions: each version's
    /// row must carry its text, author and journal state, and no row may stand for
    /// nothing, or a search would hide an item or find it by words it never had.
    private static func readabilityWarnings(_ db: Database, _ report: inout VerificationReport) throws {
        let versions = try Row.fetchCursor(db, sql: """
            SELECT i.account, i.platformId, v.number, v.json, k.key, t.versionId AS indexed, t.text, t.author, t.facet,
                   COALESCE(j.status, 'N') AS status, jt.versionId AS journalIndexed, jt.text AS journalText, jt.author AS journalAuthor
            FROM itemVersion v JOIN item i ON i.id = v.itemId
            LEFT JOIN searchKey k ON k.versionId = v.id
            LEFT JOIN versionText t ON t.rowid = k.key
            LEFT JOIN journalText jt ON jt.rowid = k.key
            LEFT JOIN journalEntry j ON j.itemId = v.itemId
            WHERE NOT EXISTS (SELECT 1 FROM tombstone tb WHERE tb.itemId = v.itemId)
            ORDER BY v.id
            """)
        var standing = 0
        var count = 0
        while let row = try versions.next() {
            count += 1
            let name = "version \(row["number"] as Int) of \(row["account"] as String):\(row["platformId"] as String)"
            let item: Item
            do {
                item = try JSONLines.decode(Item.self, from: row["json"] as String)
            } catch {
                report.warnings.append("The \(name) cannot be read as an item: \(error).")
                continue
            }
            let author = [item.author.name, item.author.handle].compactMap { $0 }.joined(separator: " ")
            let status: String = row["status"]
            let stands = SearchIndex.journalFacets.contains(status)
            if stands { standing += 1 }
            var wrong: [String] = []
            if (row["indexed"] as Int64?) == nil {
                wrong.append("it is missing from the search index")
            } else {
                if (row["text"] as String?) != item.text { wrong.append("its text in the search index differs") }
                if (row["author"] as String?) != author { wrong.append("its author in the search index differs") }
                if (row["facet"] as String?) != status { wrong.append("its journal state in the search index is \(row["facet"] as String? ?? "none"), not \(status)") }
            }
            if stands != ((row["journalIndexed"] as Int64?) != nil) {
                wrong.append(stands ? "it is missing from the journal's search index" : "it stands in the journal's search index without a standing entry")
            } else if stands && ((row["journalText"] as String?) != item.text || (row["journalAuthor"] as String?) != author) {
                wrong.append("its text in the journal's search index differs")
            }
            if !wrong.isEmpty {
                report.report("The search index of \(name) was changed behind the program's back: \(wrong.joined(separator: "; ")).")
            }
        }
        let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM versionText") ?? 0
        let keys = try Int.fetchOne(db, sql: "SELECT count(*) FROM searchKey") ?? 0
        let journalRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM journalText") ?? 0
        if rows != count || keys != count {
            report.report("The search index holds \(rows) rows (\(keys) keys) for \(count) versions: rows were added or deleted behind the program's back.")
        }
        if journalRows != standing {
            report.report("The journal's search index holds \(journalRows) rows for \(standing) versions of standing entries: rows were added or deleted behind the program's back.")
        }
        // A disposed item's versions are blanked and its index rows gone: any row of its
        // left in an index is text that disposal should have removed.
        let leftovers = try Row.fetchAll(db, sql: """
            SELECT DISTINCT i.account, i.platformId FROM tombstone tb JOIN item i ON i.id = tb.itemId
            JOIN itemVersion v ON v.itemId = i.id
            WHERE v.json != '\(Registry.disposedVersionJSON)'
               OR EXISTS (SELECT 1 FROM searchKey k WHERE k.versionId = v.id)
               OR EXISTS (SELECT 1 FROM media m WHERE m.itemId = i.id)
            """)
        for row in leftovers {
            report.report("The disposed item \(row["account"] as String):\(row["platformId"] as String) still holds content (a version's text, a search-index row or a media file): it was put back behind the program's back.")
        }
        let decisions = try Row.fetchCursor(db, sql: "SELECT d.id, i.account, i.platformId, d.json FROM decision d JOIN item i ON i.id = d.itemId ORDER BY d.id")
        while let row = try decisions.next() {
            do {
                _ = try JSONLines.decode(Decision.self, from: row["json"] as String)
            } catch {
                report.warnings.append("Decision \(row["id"] as Int64) on \(row["account"] as String):\(row["platformId"] as String) cannot be read: \(error).")
            }
        }
    }
}
