import DiariumCore
import Foundation
import GRDB

extension Registry {
    /// The stored checkpoint of an account (empty for an account never polled).
    public func checkpoint(account: String) throws -> Checkpoint {
        try read("the checkpoint of '\(account)'") { db in
            guard let json = try String.fetchOne(db, sql: "SELECT checkpoint FROM account WHERE key = ?", arguments: [account]) else {
                return Checkpoint()
            }
            return Checkpoint((try? JSONLines.decode([String: String].self, from: json)) ?? [:])
        }
    }

    /// Journal state and latest decision of the given items of one account.
    public func priorStates(account: String, ids: [String]) throws -> [String: PriorState] {
        guard !ids.isEmpty else { return [:] }
        // One query for the whole harvest, the ids passed as a JSON array: one lookup per
        // id cost more than the rest of deciding, and most ids of a harvest are new.
        var list = JSONText()
        list.beginArray()
        for id in Set(ids) { list.element(id) }
        list.endArray()
        let idList = list.text
        return try read("earlier decisions of '\(account)'") { db in
            var out: [String: PriorState] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT i.platformId, j.year, j.sequence, v.editedAt,
                       (SELECT d.json FROM decision d WHERE d.itemId = i.id AND d.versionId = v.id ORDER BY d.id DESC LIMIT 1) AS decision
                FROM item i
                JOIN itemVersion v ON v.itemId = i.id AND v.number = i.currentVersion
                LEFT JOIN journalEntry j ON j.itemId = i.id
                WHERE i.account = ? AND i.platformId IN (SELECT value FROM json_each(?))
                """), arguments: [account, idList])
            while let row = try rows.next() {
                let year: Int? = row["year"]
                let sequence: Int? = row["sequence"]
                let number = year.flatMap { y in sequence.map { JournalNumber.format(year: y, sequence: $0) } }
                let platformID: String = row["platformId"]
                let decision: Decision
                if let json = row["decision"] as String?, let read = try? JSONLines.decode(Decision.self, from: json) {
                    decision = read
                } else if number != nil {
                    // A journaled item whose stored decision cannot be read stays journaled
                    // (a journal entry is never taken back) and screened, so a new version
                    // or an answer to it is decided on the safe side until an officer looks.
                    decision = Decision(id: platformID, account: account, journal: true, type: .I, status: nil, access: .unreadable,
                                        retention: .B, rules: ["UNREADABLE"], reason: "The stored decision could not be read.", profile: "unreadable")
                } else {
                    continue
                }
                out[platformID] = PriorState(journalNumber: number, decision: decision, editedAt: (row["editedAt"] as String?).flatMap(Timestamp.parse))
            }
            return out
        }
    }

    /// The account's own posts created since `since` (their threads are re-fetched), newest
    /// first, and the latest known edit time of every item in those threads.
    public func recentActivity(account: String, since: Date) throws -> RecentActivity {
        try read("recent items of '\(account)'") { db in
            let roots = try String.fetchAll(db, sql: """
                SELECT platformId FROM item
                WHERE account = ? AND agency = 1 AND kind IN ('post', 'share') AND deletedAt IS NULL
                  AND COALESCE(createdAt, firstCapturedAt) >= ?
                ORDER BY COALESCE(createdAt, firstCapturedAt) DESC
                """, arguments: [account, Timestamp.format(since)])
            var edited: [String: Date] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.platformId, MAX(v.editedAt) AS editedAt FROM item i JOIN itemVersion v ON v.itemId = i.id
                WHERE i.account = ? AND v.editedAt IS NOT NULL AND COALESCE(i.createdAt, i.firstCapturedAt) >= ?
                GROUP BY i.id
                """, arguments: [account, Timestamp.format(since)])
            for row in rows {
                if let date = (row["editedAt"] as String?).flatMap(Timestamp.parse) { edited[row["platformId"]] = date }
            }
            let items = try String.fetchAll(db, sql: """
                SELECT platformId FROM item
                WHERE account = ? AND deletedAt IS NULL AND COALESCE(createdAt, firstCapturedAt) >= ?
                ORDER BY COALESCE(createdAt, firstCapturedAt) DESC
                """, arguments: [account, Timestamp.format(since)])
            return RecentActivity(threadRoots: roots, lastEdited: edited, itemIDs: items)
        }
    }

    /// Notes a failed poll on the account without touching its checkpoint.
    public func recordFailure(account: String, platform: Platform, message: String, at: Date = Date()) throws {
        _ = try write("the failure of '\(account)'") { db in
            try db.execute(sql: "INSERT INTO account (key, platform) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", arguments: [account, platform.rawValue])
            try db.execute(sql: "UPDATE account SET lastErrorAt = ?, lastError = ? WHERE key = ?", arguments: [Timestamp.format(at), message, account])
        }
    }

    public func accounts() throws -> [AccountState] {
        try read("the accounts") { db in
            try Row.fetchAll(db, sql: """
                SELECT a.*, q.at AS quarantineAt, q.problem AS quarantineProblem FROM account a
                LEFT JOIN (SELECT account, MAX(id) AS id FROM quarantine GROUP BY account) latest ON latest.account = a.key
                LEFT JOIN quarantine q ON q.id = latest.id
                ORDER BY a.key
                """).map { row in
                AccountState(
                    key: row["key"], platform: row["platform"],
                    checkpoint: Checkpoint((try? JSONLines.decode([String: String].self, from: row["checkpoint"] as String)) ?? [:]),
                    lastSuccessAt: row["lastSuccessAt"], lastErrorAt: row["lastErrorAt"], lastError: row["lastError"],
                    lastQuarantineAt: row["quarantineAt"], lastQuarantineProblem: row["quarantineProblem"])
            }
        }
    }

    /// The columns `record` reads, by position (see there): every reader of records
    /// selects these first, in this order. The answered item's JSON is checked before its
    /// author is taken out (json_extract raises on malformed JSON, and one damaged parent
    /// would fail the whole read; SQLite reuses the parse). The item's own columns at the
    /// end (15…21) are read only when its version's JSON cannot be (`RecordSalvage`).
    /// A disposed item (one with a tombstone) is no record any more: no reader of records
    /// sees it (journal, search, review, thread, exports, the web page); `tombstone(of:)`
    /// tells what stays of it.
    static let recordSelect = """
        SELECT i.id AS rowId, i.account, i.day, i.firstCapturedAt, i.currentVersion, i.deletedAt,
               v.json AS itemJSON,
               (SELECT d.json FROM decision d WHERE d.itemId = i.id ORDER BY d.id DESC LIMIT 1) AS decisionJSON,
               j.year, j.sequence, j.status, j.journalDate,
               c.year AS caseYear, c.sequence AS caseSequence,
               (SELECT CASE WHEN json_valid(pv.json) THEN json_extract(pv.json, '$.author') END
                FROM item p JOIN itemVersion pv ON pv.itemId = p.id AND pv.number = p.currentVersion
                WHERE p.account = i.account AND p.platformId = i.inReplyTo) AS answeredAuthorJSON,
               i.platformId, i.platform, i.kind, i.agency, i.inReplyTo, i.threadRoot, i.createdAt
        FROM item i
        JOIN itemVersion v ON v.itemId = i.id AND v.number = i.currentVersion
             AND NOT EXISTS (SELECT 1 FROM tombstone tb WHERE tb.itemId = i.id)
        LEFT JOIN journalEntry j ON j.itemId = i.id
        LEFT JOIN caseFile c ON c.id = i.caseFileId
        """

    static func record(_ row: Row) -> ItemRecord {
        record(columns: RowColumns(row: row))
    }

    /// One record, whatever its row holds: a version or decision JSON that cannot be read
    /// is named in `damaged` and the record shows what can be (`RecordSalvage`), so one
    /// bad row never fails a journal, a search or an export.
    static func record(columns row: some RecordColumns) -> ItemRecord {
        // Columns by position, in the order of `recordSelect`: reading by name compares
        // lowercased names, which was a tenth of a busy day's journal.
        // The registry's own JSON is read by RecordReader (JSONDecoder cost ~70 µs a row,
        // most of that journal); anything it does not expect goes to the Codable reader,
        // so values stay the Codable ones, and what that cannot read either is damage.
        var damaged: [DamagedRecord] = []
        var item: Item
        if let read = row.utf8(at: 6, { RecordReader.item($0) }) ?? nil {
            item = read
        } else {
            item = RecordSalvage.item(row.string(at: 6), facts: facts(row), version: Int(row.integer(at: 4) ?? 1), damaged: &damaged)
        }
        item.deletedAt = row.string(at: 5).flatMap(Timestamp.parse)
        var decision: Decision?
        if let read = row.utf8(at: 7, { RecordReader.decision($0) }) {
            decision = read ?? RecordSalvage.decision(row.string(at: 7) ?? "", account: row.string(at: 1) ?? "", id: row.string(at: 15) ?? "",
                                                      version: Int(row.integer(at: 4) ?? 1), damaged: &damaged)
        }
        let year = row.integer(at: 8).map(Int.init)
        let sequence = row.integer(at: 9).map(Int.init)
        let caseYear = row.integer(at: 12).map(Int.init)
        let caseSequence = row.integer(at: 13).map(Int.init)
        return ItemRecord(
            item: item, decision: decision, versions: Int(row.integer(at: 4) ?? 1),
            journalNumber: year.flatMap { y in sequence.map { JournalNumber.format(year: y, sequence: $0) } },
            status: row.string(at: 10).flatMap(JournalStatus.init(rawValue:)),
            journalDate: row.string(at: 11),
            caseNumber: caseYear.flatMap { y in caseSequence.map { JournalNumber.format(year: y, sequence: $0) } },
            // Only the answered item's author is read (not its whole JSON): most rows of a
            // busy day are replies.
            answeredAuthor: row.utf8(at: 14) { RecordReader.author($0) ?? (try? JSONLines.decode(Author.self, from: String(decoding: $0, as: UTF8.self))) } ?? nil,
            day: row.string(at: 2) ?? "", firstCapturedAt: row.string(at: 3).flatMap(Timestamp.parse), damaged: damaged)
    }

    /// The item's facts from its own columns (15…21 of `recordSelect`).
    static func facts(_ row: some RecordColumns) -> Item {
        RecordSalvage.facts(account: row.string(at: 1) ?? "", id: row.string(at: 15) ?? "", platform: row.string(at: 16), kind: row.string(at: 17),
                            agency: row.integer(at: 18) == 1, inReplyTo: row.string(at: 19), threadRoot: row.string(at: 20),
                            createdAt: row.string(at: 21))
    }

    /// Every item of one agency-local day, journal entries first in number order, then
    /// the rest in time order.
    public func journal(day: String) throws -> [ItemRecord] {
        try read("the journal of \(day)") { db in
            // The day's rows are read in the day index's order and sorted here, by a key
            // per row: SQLite's sorter copied every row (~1 KB of JSON each, 10 MB on a busy
            // day) in and out again. The order: journal entries by number, then the rest by
            // creation time (first capture when unknown), then row id.
            var records: [ItemRecord] = []
            var keys: [(entry: Int, year: Int, sequence: Int, time: Double, rowID: Int64, index: Int)] = []
            // Read straight from SQLite's statement (the JSON columns as bytes, no Strings):
            // 10,000 rows through GRDB's Row cost a quarter of the journal.
            let statement = try db.cachedStatement(sql: Self.recordSelect + " WHERE i.day = ?")
            try RawStatement(statement: statement).forEach({ b in b.text(day) }) { row in
                let record = Self.record(columns: row)
                let year = row.integer(at: 8)
                let sequence = row.integer(at: 9)
                let time = (record.item.createdAt ?? record.firstCapturedAt)?.timeIntervalSince1970 ?? 0
                keys.append((year == nil ? 1 : 0, Int(year ?? 0), Int(sequence ?? 0), time, row.integer(at: 0) ?? 0, records.count))
                records.append(record)
            }
            keys.sort { a, b in
                (a.entry, a.year, a.sequence, a.time, a.rowID) < (b.entry, b.year, b.sequence, b.time, b.rowID)
            }
            return keys.map { records[$0.index] }
        }
    }

    /// Finds an item by `ACCOUNT:ID` or a bare platform id; a bare id that two accounts
    /// share is an error naming both, so the caller can qualify it.
    public func resolve(_ reference: ItemReference) throws -> Int64? {
        try read("item \(reference)") { db in
            if let account = reference.account {
                return try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE account = ? AND platformId = ?", arguments: [account, reference.id])
            }
            // One probe of UNIQUE (account, platformId) per account: no index on the id alone.
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.id, i.account FROM account a CROSS JOIN item i ON i.account = a.key AND i.platformId = ?
                """, arguments: [reference.id])
            if rows.count > 1 {
                let accounts = rows.map { $0["account"] as String }.joined(separator: ", ")
                throw RegistryError("Item id \(reference.id) exists in several accounts (\(accounts)); name it as ACCOUNT:\(reference.id).")
            }
            return rows.first?["id"]
        }
    }

    public func knownAccountKeys() throws -> Set<String> {
        try read("the accounts") { db in Set(try String.fetchAll(db, sql: "SELECT key FROM account")) }
    }

    static func captureInfo(_ row: Row) throws -> CaptureInfo {
        let pairs = (try? JSONLines.decode([[String]].self, from: row["headers"] as String)) ?? []
        // Unreadable hops must not hide the capture they describe: the bytes and their
        // hash are the evidence, the hops only its route.
        let redirects = (row["redirects"] as String?).flatMap { try? JSONLines.decode([RedirectHop].self, from: $0) } ?? []
        return CaptureInfo(
            id: row["id"], method: row["method"], url: row["url"], status: row["status"],
            headers: pairs.compactMap { $0.count == 2 ? HTTPHeader($0[0], $0[1]) : nil },
            sha256: row["sha256"], size: row["size"], capturedAt: (row["capturedAt"] as String?).flatMap(Timestamp.parse),
            redirects: redirects)
    }

    /// One item with every version, its provenance, decisions and change-log history.
    public func detail(of reference: ItemReference) throws -> ItemDetail? {
        guard let rowID = try resolve(reference) else { return nil }
        return try read("item \(reference)") { db in
            guard let recordRow = try Row.fetchOne(db, sql: Self.recordSelect + " WHERE i.id = ?", arguments: [rowID]) else { return nil }
            let record = Self.record(recordRow)
            let facts = Self.facts(RowColumns(row: recordRow))
            let versionRows = try Row.fetchAll(db, sql: """
                SELECT v.number, v.json, v.contentHash, d.json AS decisionJSON,
                       c.id, c.method, c.url, c.status, c.headers, c.sha256, c.capturedAt, c.redirects, b.size
                FROM itemVersion v JOIN capture c ON c.id = v.captureId JOIN blob b ON b.sha256 = c.sha256
                LEFT JOIN decision d ON d.versionId = v.id
                WHERE v.itemId = ? ORDER BY v.number
                """, arguments: [rowID])
            let versions = try versionRows.map { row in
                // Each version read on its own: one that cannot be is shown from the
                // item's columns and named, the others as they are.
                let number: Int = row["number"]
                var damaged: [DamagedRecord] = []
                let json: String? = row["json"]
                let item = json.flatMap { RecordReader.item($0) } ?? RecordSalvage.item(json, facts: facts, version: number, damaged: &damaged)
                let decision = (row["decisionJSON"] as String?).flatMap { json in
                    RecordReader.decision(json) ?? RecordSalvage.decision(json, account: facts.account, id: facts.id, version: number, damaged: &damaged)
                }
                return VersionDetail(
                    number: number, item: item,
                    contentHash: row["contentHash"], capture: try Self.captureInfo(row),
                    decision: decision, damaged: damaged)
            }
            let deletion = try Row.fetchOne(db, sql: """
                SELECT i.deletedHow, c.id, c.method, c.url, c.status, c.headers, c.sha256, c.capturedAt, c.redirects, b.size
                FROM item i JOIN capture c ON c.id = i.deletionCaptureId JOIN blob b ON b.sha256 = c.sha256 WHERE i.id = ?
                """, arguments: [rowID])
            let subject = "\(record.item.account):\(record.item.id)"
            let history = try Row.fetchAll(db, sql: "SELECT * FROM changeLog WHERE subject = ? ORDER BY id", arguments: [subject]).map(Self.changeLogEntry)
            return ItemDetail(
                record: record, versions: versions, deletedHow: deletion?["deletedHow"],
                deletionCapture: try deletion.map(Self.captureInfo), history: history)
        }
    }

    static func changeLogEntry(_ row: Row) -> ChangeLogEntry {
        ChangeLogEntry(id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], subject: row["subject"],
                       details: row["details"], previousHash: row["previousHash"], hash: row["hash"])
    }

    /// The raw body bytes of a capture, exactly as received; nil for bytes a disposal
    /// removed (their row stays with its recorded size and no body).
    public func body(sha256: String) throws -> Data? {
        try read("a captured body") { db in
            try Data.fetchOne(db, sql: "SELECT body FROM blob WHERE sha256 = ? AND length(body) = size", arguments: [sha256])
        }
    }

    /// Counts for a one-line summary.
    public func counts() throws -> (items: Int, versions: Int, journalEntries: Int, quarantined: Int) {
        try read("counts") { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM itemVersion") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journalEntry") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantine") ?? 0)
        }
    }
}

/// One row of `recordSelect`, read by column position: from GRDB's `Row` for most readers,
/// or straight from SQLite's statement for the journal of a day, which reads 10,000 rows
/// and need not make Strings of their JSON.
protocol RecordColumns {
    func integer(at column: Int32) -> Int64?
    func string(at column: Int32) -> String?
    /// A text column's UTF-8 bytes, valid only inside `body`; nil for NULL.
    func utf8<T>(at column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T?
}

struct RowColumns: RecordColumns {
    let row: Row

    func integer(at column: Int32) -> Int64? { row[Int(column)] }
    func string(at column: Int32) -> String? { row[Int(column)] }
    func utf8<T>(at column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? {
        guard var text: String = row[Int(column)] else { return nil }
        return try text.withUTF8 { try body($0) }
    }
}

extension RawStatement.Columns: RecordColumns {
    func integer(at column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
    func string(at column: Int32) -> String? { text(column) }
    func utf8<T>(at column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? { try bytes(column, body) }
}
