import DiariumCore
import Foundation
import GRDB

extension Registry {
    /// Writes one account's harvest and its checkpoint in a single transaction.
    /// Versions whose content is already stored are skipped, so running the same poll
    /// twice stores nothing twice; captures are stored only when they produced
    /// something new (a version, a deletion or a quarantined payload).
    @discardableResult
    public func commit(_ batch: RegistryBatch, now: Date = Date()) throws -> CommitSummary {
        let zone = timeZone
        return try write("the harvest of account '\(batch.account)'") { db in
            var writer = try CommitWriter(db: db, batch: batch, now: now, timeZone: zone)
            return try writer.run()
        }
    }

    /// The content fingerprint that decides whether a capture is a new version (see
    /// `Item.contentHash`, kept with the item so a harvest can compare versions too).
    public static func contentHash(of item: Item) -> String {
        item.contentHash
    }
}

/// The steps of one commit, kept apart from `Registry` so each step reads on its own.
private struct CommitWriter {
    let db: Database
    let batch: RegistryBatch
    let now: Date
    let nowText: String
    let timeZone: TimeZone
    var log: ChangeLogWriter
    var captureIDs: [Int: Int64] = [:]
    /// Case files opened or found in this commit, by thread root: most items of a
    /// harvest share a few threads.
    var caseIDs: [String: Int64] = [:]
    var summary = CommitSummary()
    /// Full-text rows of the stored versions, written after everything else.
    var searchRows: [SearchIndex.Row] = []
    /// The last number given per series and year in this commit (see `nextNumber`).
    var numbers: [NumberKey: Int] = [:]

    struct NumberKey: Hashable {
        let series: String
        let year: Int
    }
    /// The statements every stored version runs, looked up once per commit instead of
    /// once per item (the lookup hashes the whole SQL text).
    let statements: Statements

    struct Statements {
        let selectItem: Statement
        let selectVersionState: Statement
        let updateCurrentVersion: Statement
        let insertItem: Statement
        let insertVersion: Statement
        let selectFirstCaptured: Statement
        let insertDecision: Statement
        let insertMedia: Statement
        let selectCaseFile: Statement
        let insertCaseFile: Statement
        let selectNumber: Statement
        let upsertNumber: Statement
        let selectJournalEntry: Statement
        let insertJournalEntry: Statement

        init(_ db: Database) throws {
            selectItem = try db.cachedStatement(sql: """
                SELECT id, currentVersion, EXISTS (SELECT 1 FROM tombstone t WHERE t.itemId = item.id) FROM item WHERE account = ? AND platformId = ?
                """)
            selectVersionState = try db.cachedStatement(sql: """
                SELECT c.contentHash, c.editedAt, EXISTS (SELECT 1 FROM itemVersion v WHERE v.itemId = ?1 AND v.contentHash = ?3)
                FROM itemVersion c WHERE c.itemId = ?1 AND c.number = ?2
                """)
            updateCurrentVersion = try db.cachedStatement(sql: "UPDATE item SET currentVersion = ? WHERE id = ?")
            insertItem = try db.cachedStatement(sql: """
                INSERT INTO item (account, platformId, platform, kind, agency, inReplyTo, threadRoot, caseFileId, createdAt, day, firstCapturedAt, currentVersion)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                """)
            insertVersion = try db.cachedStatement(sql: """
                INSERT INTO itemVersion (itemId, number, contentHash, json, editedAt, captureId) VALUES (?, ?, ?, ?, ?, ?)
                """)
            selectFirstCaptured = try db.cachedStatement(sql: "SELECT firstCapturedAt FROM item WHERE id = ?")
            insertDecision = try db.cachedStatement(sql: """
                INSERT INTO decision (itemId, versionId, json, journal, restricted, profile, decidedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            insertMedia = try db.cachedStatement(sql: """
                INSERT INTO media (account, itemId, versionId, url, declaredType, description) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(versionId, url) DO NOTHING
                """)
            selectCaseFile = try db.cachedStatement(sql: "SELECT id FROM caseFile WHERE account = ? AND threadRoot = ?")
            insertCaseFile = try db.cachedStatement(sql: "INSERT INTO caseFile (account, threadRoot, year, sequence, createdAt) VALUES (?, ?, ?, ?, ?)")
            selectNumber = try db.cachedStatement(sql: "SELECT last FROM numberSeries WHERE series = ? AND year = ?")
            upsertNumber = try db.cachedStatement(sql: """
                INSERT INTO numberSeries (series, year, last) VALUES (?, ?, ?)
                ON CONFLICT(series, year) DO UPDATE SET last = excluded.last
                """)
            selectJournalEntry = try db.cachedStatement(sql: "SELECT 1 FROM journalEntry WHERE itemId = ?")
            insertJournalEntry = try db.cachedStatement(sql: """
                INSERT INTO journalEntry (itemId, year, sequence, type, status, registeredAt) VALUES (?, ?, ?, ?, ?, ?)
                """)
        }
    }

    init(db: Database, batch: RegistryBatch, now: Date, timeZone: TimeZone) throws {
        self.db = db
        self.batch = batch
        self.now = now
        self.nowText = Timestamp.format(now)
        self.timeZone = timeZone
        self.log = try ChangeLogWriter(db)
        self.statements = try Statements(db)
    }

    mutating func run() throws -> CommitSummary {
        try db.cachedStatement(sql: "INSERT INTO account (key, platform) VALUES (?, ?) ON CONFLICT(key) DO NOTHING")
            .execute(arguments: [batch.account, batch.platform.rawValue])
        for version in batch.versions { try store(version) }
        for deletion in batch.deletions { try markDeleted(deletion) }
        for mark in batch.quarantined { try quarantine(mark) }
        for event in batch.accountEvents { try record(event) }
        if let checkpoint = batch.checkpoint {
            try db.cachedStatement(sql: "UPDATE account SET checkpoint = ?, lastSuccessAt = ? WHERE key = ?")
                .execute(arguments: [try JSONLines.encode(checkpoint.values), nowText, batch.account])
        }
        if batch.accountEvents.contains(where: \.unavailable) {
            // Back off 1, 2, 4 … hours, at most a day, so a suspended account is retried
            // without hammering the platform.
            let count = (try Int.fetchOne(db, sql: "SELECT unavailableCount FROM account WHERE key = ?", arguments: [batch.account]) ?? 0) + 1
            let hours = min(24.0, pow(2.0, Double(count - 1)))
            try db.execute(sql: "UPDATE account SET unavailableCount = ?, backoffUntil = ? WHERE key = ?",
                           arguments: [count, Timestamp.format(now.addingTimeInterval(hours * 3600)), batch.account])
        } else if batch.checkpoint != nil {
            try db.cachedStatement(sql: "UPDATE account SET unavailableCount = 0, backoffUntil = NULL WHERE key = ? AND unavailableCount > 0")
                .execute(arguments: [batch.account])
        }
        try saveNumbers()
        try SearchIndex.insert(db, rows: searchRows)
        try log.flush(db, at: now, actor: batch.actor, subject: batch.account)
        return summary
    }

    /// The capture's row id, inserting the capture (and its body, once per hash) on first use.
    mutating func captureID(_ index: Int) throws -> Int64 {
        if let id = captureIDs[index] { return id }
        let capture = batch.captures[index]
        try db.cachedStatement(sql: "INSERT INTO blob (sha256, size, body) VALUES (?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET body = excluded.body WHERE length(blob.body) != blob.size")
            .execute(arguments: [capture.sha256, capture.body.count, capture.body])
        let headers = try JSONLines.encode(capture.headers.map { [$0.name, $0.value] })
        try db.cachedStatement(sql: """
            INSERT INTO capture (account, method, url, status, headers, sha256, capturedAt, redirects) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [batch.account, capture.method, capture.url, capture.status, headers, capture.sha256, Timestamp.format(capture.capturedAt), JSONLines.encode(capture.redirects)])
        let id = db.lastInsertedRowID
        try log.seal(db, .capture, id)
        captureIDs[index] = id
        summary.capturesStored += 1
        return id
    }

    mutating func store(_ version: DecidedVersion) throws {
        let item = version.item
        let hash = Registry.contentHash(of: item)
        let existing = try RawStatement(statement: statements.selectItem).first({ b in b.text(batch.account); b.text(item.id) }) { row in
            (id: row.int(0), currentVersion: Int(row.int(1)), disposed: row.int(2) != 0)
        }
        let itemRowID: Int64
        let number: Int
        let isNew = existing == nil
        if let existing {
            // A disposed item is not archived again: the platform may still show it, but
            // its retention ran out (or an officer erased it) and only its tombstone stays.
            if existing.disposed {
                summary.unchanged += 1
                return
            }
            itemRowID = existing.id
            let state = try RawStatement(statement: statements.selectVersionState).first({ b in
                b.int(itemRowID); b.int(existing.currentVersion); b.text(hash)
            }) { row in (hash: row.text(0), editedAt: row.text(1).flatMap(Timestamp.parse), seen: row.int(2) != 0) }
            if let state, !VersionRule.isNewVersion(hash: hash, editedAt: item.editedAt, current: (state.hash, state.editedAt), seenBefore: state.seen) {
                summary.unchanged += 1
                return
            }
            number = existing.currentVersion + 1
            try RawStatement(statement: statements.updateCurrentVersion).run { b in b.int(number); b.int(itemRowID) }
        } else {
            itemRowID = try insertItem(item, captureIndex: version.captureIndex)
            number = 1
            summary.newItems += 1
        }
        let captureRowID = try captureID(version.captureIndex)
        var stored = item
        stored.account = batch.account
        let json = stored.jsonText
        try RawStatement(statement: statements.insertVersion).run { b in
            b.int(itemRowID); b.int(number); b.text(hash); b.text(json); b.text(item.editedAt.map(Timestamp.format)); b.int(captureRowID)
        }
        let versionRowID = db.lastInsertedRowID
        try log.seal(db, .version, versionRowID)
        // The same moment the journal day and the newest-first order use.
        let createdAt = try item.createdAt
            ?? String.fetchOne(statements.selectFirstCaptured, arguments: [itemRowID]).flatMap(Timestamp.parse)
            ?? batch.captures[version.captureIndex].capturedAt
        summary.newVersions += 1

        let decision = version.decision
        let decisionJSON = decision.jsonText
        try RawStatement(statement: statements.insertDecision).run { b in
            b.int(itemRowID); b.int(versionRowID); b.text(decisionJSON); b.bool(decision.journal); b.bool(decision.access.restricted)
            b.text(decision.profile); b.text(nowText)
        }
        try log.seal(db, .decision, db.lastInsertedRowID)
        let journalNumber = decision.journal ? try journal(itemRowID: itemRowID, decision: decision, isNew: isNew) : nil
        // A new item's journal state is known here; a known item's is looked up with its row.
        let facet: String? = isNew ? (journalNumber == nil ? SearchIndex.notJournaled : Self.entryStatus(of: decision).rawValue) : nil
        // Indexed at the end of the commit (see `SearchIndex.insert`), after the journal
        // entry, so the row is written once with its journal state.
        searchRows.append(SearchIndex.Row(versionID: versionRowID, createdAt: createdAt, text: item.text,
                                          author: [item.author.name, item.author.handle].compactMap { $0 }.joined(separator: " "),
                                          facet: facet))
        // One change-log entry per captured version: the content, the bytes it came from,
        // the decision and any journal number given, each by hash or value.
        var details = "version \(number) content \(hash) capture \(batch.captures[version.captureIndex].sha256)"
        details += " decision \(SHA256.hexDigest(decisionJSON)) \(decision.profile) journal=\(decision.journal) rules=\(decision.rules.joined(separator: ","))"
        if let journalNumber { details += " number \(journalNumber)" }
        for attachment in item.attachments where !attachment.url.isEmpty {
            try statements.insertMedia.execute(arguments: [batch.account, itemRowID, versionRowID, attachment.url, attachment.mediaType, attachment.description])
            guard db.changesCount > 0 else { continue }
            try log.seal(db, .media, db.lastInsertedRowID)
            summary.mediaQueued += 1
        }
        try log.append(db, at: now, actor: batch.actor, action: "capture", subject: "\(batch.account):\(item.id)", details: details)
    }

    mutating func insertItem(_ item: Item, captureIndex: Int) throws -> Int64 {
        let capturedAt = batch.captures[captureIndex].capturedAt
        let day = Timestamp.day(item.createdAt ?? capturedAt, in: timeZone)
        let root = item.threadRoot ?? item.id
        let caseID = try caseFileID(threadRoot: root)
        try RawStatement(statement: statements.insertItem).run { b in
            b.text(batch.account); b.text(item.id); b.text(item.platform.rawValue); b.text(item.kind.rawValue); b.bool(item.author.agency)
            b.text(item.inReplyTo); b.text(root); b.int(caseID); b.text(item.createdAt.map(Timestamp.format)); b.text(day)
            b.text(Timestamp.format(capturedAt))
        }
        let id = db.lastInsertedRowID
        try log.seal(db, .item, id)
        return id
    }

    /// The case file of a thread, opened with the next case number of the year on first use.
    mutating func caseFileID(threadRoot: String) throws -> Int64 {
        if let id = caseIDs[threadRoot] { return id }
        if let id = try RawStatement(statement: statements.selectCaseFile).first({ b in b.text(batch.account); b.text(threadRoot) }, { $0.int(0) }) {
            caseIDs[threadRoot] = id
            return id
        }
        let year = Timestamp.components(now).year
        let sequence = try nextNumber(series: "case", year: year)
        try RawStatement(statement: statements.insertCaseFile).run { b in
            b.text(batch.account); b.text(threadRoot); b.int(year); b.int(sequence); b.text(nowText)
        }
        let id = db.lastInsertedRowID
        try log.seal(db, .caseFile, id)
        caseIDs[threadRoot] = id
        try log.append(db, at: now, actor: batch.actor, action: "open-case", subject: "\(batch.account):\(threadRoot)",
                       details: "case \(JournalNumber.format(year: year, sequence: sequence))")
        return id
    }

    /// The next number of a series, counted in memory and written back once at the end
    /// of the commit (`saveNumbers`): a harvest of a thousand journaled items moves the
    /// journal series a thousand times within one transaction.
    mutating func nextNumber(series: String, year: Int) throws -> Int {
        let key = NumberKey(series: series, year: year)
        let last = try numbers[key] ?? RawStatement(statement: statements.selectNumber).first({ b in b.text(series); b.int(year) }, { Int($0.int(0)) }) ?? 0
        numbers[key] = last + 1
        return last + 1
    }

    func saveNumbers() throws {
        for (key, last) in numbers {
            try statements.upsertNumber.execute(arguments: [key.series, key.year, last])
        }
    }

    /// The status a new journal entry is made with: the rulebook's, or M (proposed).
    static func entryStatus(of decision: Decision) -> JournalStatus { decision.status ?? .M }

    /// Gives a journal number once and returns it; an item that already has one keeps it
    /// (and nil is returned).
    mutating func journal(itemRowID: Int64, decision: Decision, isNew: Bool) throws -> String? {
        if !isNew {
            let has = try RawStatement(statement: statements.selectJournalEntry).first({ b in b.int(itemRowID) }) { _ in true } ?? false
            guard !has else { return nil }
        }
        let year = Timestamp.components(now).year
        let sequence = try nextNumber(series: "journal", year: year)
        try RawStatement(statement: statements.insertJournalEntry).run { b in
            b.int(itemRowID); b.int(year); b.int(sequence); b.text(decision.type.rawValue); b.text(Self.entryStatus(of: decision).rawValue); b.text(nowText)
        }
        try log.seal(db, .entry, db.lastInsertedRowID)
        summary.journalEntries += 1
        return JournalNumber.format(year: year, sequence: sequence)
    }

    mutating func markDeleted(_ mark: DeletionMark) throws {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, deletedAt FROM item WHERE account = ? AND platformId = ?"),
            arguments: [batch.account, mark.itemID]) else { return }
        guard (row["deletedAt"] as String?) == nil else { return }
        let captureRowID = try captureID(mark.captureIndex)
        try db.cachedStatement(sql: "UPDATE item SET deletedAt = ?, deletedHow = ?, deletionCaptureId = ? WHERE id = ?")
            .execute(arguments: [Timestamp.format(mark.detectedAt), mark.how, captureRowID, row["id"] as Int64])
        try log.seal(db, .deletion, row["id"] as Int64)
        summary.deletions += 1
        try log.append(db, at: now, actor: batch.actor, action: "mark-deleted", subject: "\(batch.account):\(mark.itemID)",
                       details: "\(mark.how) evidence \(batch.captures[mark.captureIndex].sha256)")
    }

    mutating func record(_ event: AccountEventMark) throws {
        let captureRowID = try event.captureIndex.map { try captureID($0) }
        try db.cachedStatement(sql: "INSERT INTO accountEvent (account, kind, detail, detectedAt, captureId) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [batch.account, event.kind, event.detail, Timestamp.format(event.detectedAt), captureRowID])
        try log.seal(db, .accountEvent, db.lastInsertedRowID)
        summary.accountEvents += 1
        try log.append(db, at: now, actor: batch.actor, action: "account-\(event.kind)", subject: batch.account, details: event.detail)
    }

    mutating func quarantine(_ mark: QuarantineMark) throws {
        let captureRowID = try captureID(mark.captureIndex)
        try db.cachedStatement(sql: "INSERT INTO quarantine (account, captureId, problem, at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [batch.account, captureRowID, mark.problem, nowText])
        try log.seal(db, .quarantine, db.lastInsertedRowID)
        summary.quarantined += 1
        try log.append(db, at: now, actor: batch.actor, action: "quarantine", subject: batch.account,
                       details: "\(mark.problem) body \(batch.captures[mark.captureIndex].sha256)")
    }
}

/// Journal and case numbers as the records world writes them: `2026/000123`.
public enum JournalNumber {
    public static func format(year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return "\(year)/" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
