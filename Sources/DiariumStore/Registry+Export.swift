import DiariumCore
import Foundation
import GRDB

/// A journal entry as the export needs it: the raw status (so a status added later,
/// such as U for a rejected proposal, is carried through rather than dropped).
public struct ExportJournalEntry: Sendable, Hashable {
    public var year: Int
    public var sequence: Int
    /// I, U, N or X as the registry holds it (an officer's override may have changed it).
    public var type: String
    /// M, J, U …, raw.
    public var status: String
    public var registeredAt: Date?
    /// `YYYY-MM-DD` once an officer approved the entry.
    public var journalDate: String?
    /// Order of this entry within its case file (journalpostnummer), counted over the
    /// whole registry so it does not depend on the export's range.
    public var numberInCase: Int
}

/// A case file (saksmappe): one thread, with the record of the item that started it
/// (which may lie outside the exported range, or be missing for a thread root never seen).
public struct ExportCaseFile: Sendable, Hashable {
    public var id: Int64
    public var account: String
    public var threadRoot: String
    public var year: Int
    public var sequence: Int
    public var createdAt: Date?
    public var root: ItemRecord?
}

/// A downloaded media file of one version.
public struct ExportMedia: Sendable, Hashable {
    public var url: String
    public var description: String?
    public var contentType: String?
    public var capture: CaptureInfo
}

/// One captured version with the capture that produced it.
public struct ExportVersion: Sendable, Hashable {
    public var number: Int
    public var item: Item
    public var capture: CaptureInfo
    public var media: [ExportMedia]
}

/// One item of an export: the current record (input of `JournalEntryView`), every
/// version, its journal entry and case file, and the deletion mark if any.
public struct ExportItem: Sendable, Hashable {
    public var rowID: Int64
    public var record: ItemRecord
    public var journalEntry: ExportJournalEntry?
    public var caseFileID: Int64?
    public var versions: [ExportVersion]
    public var deletedHow: String?
    public var deletionCapture: CaptureInfo?
    /// The item's version or decision JSON that could not be read (the record and
    /// versions then show what could; their captured bytes are exported as ever).
    public var damaged: [DamagedRecord] = []
}

/// Everything a Noark 5 extract of a range of journal days holds.
public struct ExportSelection: Sendable {
    public var items: [ExportItem]
    public var caseFiles: [Int64: ExportCaseFile]
    /// Change-log entries whose subject is one of the items, oldest first.
    public var changes: [ChangeLogEntry]

    /// Every stored value of the selection that could not be read, once each: the items'
    /// and the case files' root items' (a root may lie outside the range).
    public var damaged: [DamagedRecord] {
        var seen = Set<DamagedRecord>()
        let roots = caseFiles.keys.sorted().compactMap { caseFiles[$0]?.root?.damaged }.joined()
        return (items.flatMap(\.damaged) + roots).filter { seen.insert($0).inserted }
    }
}

/// Which day of an item decides whether it lies in an export's period.
public enum ExportPeriodBasis: Sendable {
    /// The item's day (`item.day`: created on the platform, agency time).
    case itemDay
    /// The journal's dates, as an archivist reads a Noark 5 period: a journal post's
    /// journaldato (the day an officer approved it; for an entry never approved, the day
    /// it was registered, in agency time), and the item's day for an item outside the
    /// journal. A post journaled in December belongs to December, whatever day it was
    /// written.
    case journalDate
}

extension Registry {
    /// Items whose day lies in `from...to` (inclusive, `YYYY-MM-DD`) by `basis`, in
    /// case-file order, then journal-number order, then time: all the export reads, in
    /// one read transaction so the extract is a consistent snapshot.
    public func exportSelection(from: String, to: String, by basis: ExportPeriodBasis = .itemDay) throws -> ExportSelection {
        let zone = timeZone
        return try read("the items from \(from) to \(to)") { db in
            let condition: String
            var arguments: StatementArguments = [from, to]
            switch basis {
            case .itemDay:
                condition = "i.day BETWEEN ?1 AND ?2"
            case .journalDate:
                // An entry never approved is picked by its registration time's UTC day,
                // widened by a day on each side (no time zone is a day off UTC), then
                // kept only when its day in agency time is in the period (below).
                condition = """
                    (j.id IS NULL AND i.day BETWEEN ?1 AND ?2) OR j.journalDate BETWEEN ?1 AND ?2
                    OR (j.id IS NOT NULL AND j.journalDate IS NULL AND substr(j.registeredAt, 1, 10) BETWEEN ?3 AND ?4)
                    """
                arguments += [Self.dayShifted(from, by: -1), Self.dayShifted(to, by: 1)]
            }
            let rows = try Row.fetchAll(db, sql: Self.recordSelect + """
                 WHERE \(condition)
                ORDER BY c.year IS NULL, c.year, c.sequence, j.year IS NULL, j.year, j.sequence,
                         COALESCE(i.createdAt, i.firstCapturedAt), i.id
                """, arguments: arguments)
            var items: [ExportItem] = []
            var caseFiles: [Int64: ExportCaseFile] = [:]
            for row in rows {
                let rowID: Int64 = row["rowId"]
                let record = Self.record(row)
                let extra = try Row.fetchOne(db, sql: """
                    SELECT i.caseFileId, i.deletedHow, j.year, j.sequence, j.type, j.status, j.registeredAt, j.journalDate,
                           (SELECT COUNT(*) FROM journalEntry j2 JOIN item i2 ON i2.id = j2.itemId
                             WHERE i2.caseFileId = i.caseFileId
                               AND (j2.year < j.year OR (j2.year = j.year AND j2.sequence <= j.sequence))) AS numberInCase,
                           i.deletionCaptureId
                    FROM item i LEFT JOIN journalEntry j ON j.itemId = i.id WHERE i.id = ?
                    """, arguments: [rowID])
                var entry: ExportJournalEntry?
                if let extra, let year: Int = extra["year"], let sequence: Int = extra["sequence"] {
                    entry = ExportJournalEntry(
                        year: year, sequence: sequence, type: extra["type"], status: extra["status"],
                        registeredAt: (extra["registeredAt"] as String?).flatMap(Timestamp.parse),
                        journalDate: extra["journalDate"], numberInCase: max(1, (extra["numberInCase"] as Int?) ?? 1))
                }
                if basis == .journalDate, let entry, entry.journalDate == nil {
                    let registered = entry.registeredAt.map { Timestamp.day($0, in: zone) } ?? record.item.createdAt.map { Timestamp.day($0, in: zone) } ?? from
                    guard registered >= from && registered <= to else { continue }
                }
                let caseFileID: Int64? = extra?["caseFileId"]
                if let caseFileID, caseFiles[caseFileID] == nil {
                    caseFiles[caseFileID] = try Self.exportCaseFile(db, id: caseFileID)
                }
                var deletionCapture: CaptureInfo?
                if let captureID: Int64 = extra?["deletionCaptureId"] {
                    deletionCapture = try Self.exportCapture(db, id: captureID)
                }
                var damaged = record.damaged
                let versions = try Self.exportVersions(db, itemID: rowID, facts: Self.facts(RowColumns(row: row)), damaged: &damaged)
                var seen = Set<DamagedRecord>()
                items.append(ExportItem(
                    rowID: rowID, record: record, journalEntry: entry, caseFileID: caseFileID,
                    versions: versions,
                    deletedHow: extra?["deletedHow"], deletionCapture: deletionCapture,
                    damaged: damaged.filter { seen.insert($0).inserted }))
            }
            let subjects = Set(items.map { "\($0.record.item.account):\($0.record.item.id)" })
            var changes: [ChangeLogEntry] = []
            if !subjects.isEmpty {
                let statement = try db.cachedStatement(sql: "SELECT * FROM changeLog WHERE subject = ? ORDER BY id")
                for subject in subjects {
                    changes += try Row.fetchAll(statement, arguments: [subject]).map(Self.changeLogEntry)
                }
                changes.sort { $0.id < $1.id }
            }
            return ExportSelection(items: items, caseFiles: caseFiles, changes: changes)
        }
    }

    /// `day` (`YYYY-MM-DD`) moved by whole days; the open bounds 0000-01-01 and
    /// 9999-12-31 stay as they are.
    static func dayShifted(_ day: String, by days: Int) -> String {
        guard day != "0000-01-01", day != "9999-12-31", let date = Timestamp.parseRFC3339(day) else { return day }
        return Timestamp.day(date.addingTimeInterval(Double(days) * 86400))
    }

    static func exportCaseFile(_ db: Database, id: Int64) throws -> ExportCaseFile? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM caseFile WHERE id = ?", arguments: [id]) else { return nil }
        let account: String = row["account"]
        let threadRoot: String = row["threadRoot"]
        let root = try Row.fetchOne(db, sql: Self.recordSelect + " WHERE i.account = ? AND i.platformId = ?",
                                    arguments: [account, threadRoot]).map(Self.record)
        return ExportCaseFile(
            id: id, account: account, threadRoot: threadRoot, year: row["year"], sequence: row["sequence"],
            createdAt: (row["createdAt"] as String?).flatMap(Timestamp.parse), root: root)
    }

    static let exportCaptureSelect = """
        SELECT c.id, c.method, c.url, c.status, c.headers, c.sha256, c.capturedAt, c.redirects, b.size
        FROM capture c JOIN blob b ON b.sha256 = c.sha256 AND length(b.body) = b.size
        """

    static func exportCapture(_ db: Database, id: Int64) throws -> CaptureInfo? {
        try Row.fetchOne(db, sql: exportCaptureSelect + " WHERE c.id = ?", arguments: [id]).map(Self.captureInfo)
    }

    /// Every version of an item; one whose JSON cannot be read is the item's `facts`
    /// (its columns), named in `damaged`, with its capture as ever.
    static func exportVersions(_ db: Database, itemID: Int64, facts: Item, damaged: inout [DamagedRecord]) throws -> [ExportVersion] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.id AS versionId, v.number, v.json, c.id, c.method, c.url, c.status, c.headers, c.sha256, c.capturedAt, c.redirects, b.size
            FROM itemVersion v JOIN capture c ON c.id = v.captureId JOIN blob b ON b.sha256 = c.sha256
            WHERE v.itemId = ? ORDER BY v.number
            """, arguments: [itemID])
        var versions: [ExportVersion] = []
        for row in rows {
            let media = try Row.fetchAll(db, sql: """
                SELECT m.url AS mediaUrl, m.description, m.contentType,
                       c.id, c.method, c.url, c.status, c.headers, c.sha256, c.capturedAt, c.redirects, b.size
                FROM media m JOIN capture c ON c.id = m.captureId JOIN blob b ON b.sha256 = c.sha256
                WHERE m.versionId = ? AND m.sha256 IS NOT NULL ORDER BY m.id
                """, arguments: [row["versionId"] as Int64]).map { m in
                ExportMedia(url: m["mediaUrl"], description: m["description"], contentType: m["contentType"],
                            capture: try Self.captureInfo(m))
            }
            let number: Int = row["number"]
            let json: String? = row["json"]
            let item = json.flatMap { RecordReader.item($0) } ?? RecordSalvage.item(json, facts: facts, version: number, damaged: &damaged)
            versions.append(ExportVersion(number: number, item: item, capture: try Self.captureInfo(row), media: media))
        }
        return versions
    }

    /// Every capture that belongs to the journal days `from...to`: the versions, deletion
    /// evidence and media of items of those days, and quarantined payloads and account
    /// events captured on those days (agency time). Ordered by capture time, then id.
    public func exportCaptures(from: String, to: String) throws -> [CaptureInfo] {
        let zone = timeZone
        return try read("the captures from \(from) to \(to)") { db in
            var ids = Set(try Int64.fetchAll(db, sql: """
                SELECT v.captureId FROM itemVersion v JOIN item i ON i.id = v.itemId WHERE i.day BETWEEN ?1 AND ?2
                       AND NOT EXISTS (SELECT 1 FROM tombstone tb WHERE tb.itemId = i.id)
                UNION SELECT i.deletionCaptureId FROM item i WHERE i.day BETWEEN ?1 AND ?2 AND i.deletionCaptureId IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM tombstone tb WHERE tb.itemId = i.id)
                UNION SELECT m.captureId FROM media m JOIN item i ON i.id = m.itemId
                      WHERE i.day BETWEEN ?1 AND ?2 AND m.captureId IS NOT NULL
                """, arguments: [from, to]))
            // A disposed item's captures are exported only as evidence of a kept item
            // (through that item's versions above); never through the disposed one.
            let loose = try Row.fetchAll(db, sql: """
                SELECT c.id, c.capturedAt FROM capture c
                WHERE c.id IN (SELECT captureId FROM quarantine UNION SELECT captureId FROM accountEvent WHERE captureId IS NOT NULL)
                """)
            for row in loose {
                guard let at = (row["capturedAt"] as String?).flatMap(Timestamp.parse) else { continue }
                let day = Timestamp.day(at, in: zone)
                if day >= from && day <= to { ids.insert(row["id"]) }
            }
            guard !ids.isEmpty else { return [] }
            let statement = try db.cachedStatement(sql: Self.exportCaptureSelect + " WHERE c.id = ?")
            var captures: [CaptureInfo] = []
            for id in ids {
                if let row = try Row.fetchOne(statement, arguments: [id]) { captures.append(try Self.captureInfo(row)) }
            }
            return captures.sorted { ($0.capturedAt ?? .distantPast, $0.id) < ($1.capturedAt ?? .distantPast, $1.id) }
        }
    }

    /// The first and last journal day of the items in `from...to`, or nil when none is.
    public func exportDays(from: String, to: String) throws -> (first: String, last: String)? {
        try read("the journal days from \(from) to \(to)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT MIN(day) AS first, MAX(day) AS last FROM item WHERE day BETWEEN ? AND ?",
                                             arguments: [from, to]),
                  let first: String = row["first"], let last: String = row["last"] else { return nil }
            return (first, last)
        }
    }
}
