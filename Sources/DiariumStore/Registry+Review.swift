import DiariumCore
import Foundation
import GRDB

/// What a records officer changes when overriding a proposal. Nil leaves a value as
/// the rulebook decided it.
public struct OfficerOverride: Sendable, Hashable {
    public var journal: Bool?
    public var type: JournalType?
    public var restricted: Bool?
    public var basis: String?
    public var reason: String
    /// A retention review's outcome: the new code, with a period for K (`keep`) or G
    /// (`review`) counted from the item's creation day, and for K its legal basis.
    public var retention: Retention? = nil
    public var retentionPeriod: RetentionPeriod? = nil
    public var retentionBasis: String? = nil

    public init(journal: Bool? = nil, type: JournalType? = nil, restricted: Bool? = nil, basis: String? = nil, reason: String) {
        self.journal = journal
        self.type = type
        self.restricted = restricted
        self.basis = basis
        self.reason = reason
    }
}

/// The outcome of an officer's action, for the command line and the web page.
public struct ReviewOutcome: Sendable, Hashable {
    public var reference: String
    public var journalNumber: String?
    public var status: JournalStatus?
    public var summary: String
}

extension Registry {
    /// Journal entries awaiting the officer (status M), oldest first; one day when given.
    public func reviewQueue(day: String? = nil) throws -> [ItemRecord] {
        try read("the review queue") { db in
            var sql = Self.recordSelect + " WHERE j.status = 'M'"
            var arguments: StatementArguments = []
            if let day {
                sql += " AND i.day = ?"
                arguments = [day]
            }
            sql += " ORDER BY COALESCE(i.createdAt, i.firstCapturedAt), j.year, j.sequence"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record)
        }
    }

    /// Confirms a proposal: status M → J, with the journal date (journaldato) set to `day`.
    /// The date must be one the item could be journaled on: not before it existed (its
    /// journal day, or the day it was first captured when that is earlier, for an item
    /// dated in the future) and not after tomorrow in the registry's time zone (a day of
    /// slack for an officer in another zone). `1900-01-01` or `2999-12-31` would put a
    /// false date in the public journal for good, since a journaled entry never changes.
    public func approve(_ reference: ItemReference, actor: String, day: String, now: Date = Date()) throws -> ReviewOutcome {
        guard let rowID = try resolve(reference) else { throw RegistryError("No item \(reference) in the registry.") }
        let timeZone = self.timeZone
        return try write("the approval of \(reference)") { db in
            if let item = try Row.fetchOne(db, sql: "SELECT day, firstCapturedAt FROM item WHERE id = ?", arguments: [rowID]) {
                let journalDay: String = item["day"]
                let captured = (item["firstCapturedAt"] as String?).flatMap(Timestamp.parse).map { Timestamp.day($0, in: timeZone) }
                let earliest = min(journalDay, captured ?? journalDay)
                let tomorrow = Self.dayShifted(Timestamp.day(now, in: timeZone), by: 1)
                if day < earliest {
                    throw RegistryError("The journal date \(day) is before item \(reference) existed (\(earliest)); nothing was approved.")
                }
                if day > tomorrow {
                    throw RegistryError("The journal date \(day) is after tomorrow (\(tomorrow)); nothing was approved.")
                }
            }
            guard let entry = try Row.fetchOne(db, sql: "SELECT id, year, sequence, status FROM journalEntry WHERE itemId = ?", arguments: [rowID]) else {
                throw RegistryError("Item \(reference) is not proposed for the journal; use `review override --journal yes` to journal it.")
            }
            let number = JournalNumber.format(year: entry["year"], sequence: entry["sequence"])
            let status: String = entry["status"]
            guard status == JournalStatus.M.rawValue else {
                throw RegistryError("Journal entry \(number) (item \(reference)) has status \(status), not M; only a proposal awaiting review can be approved.")
            }
            try db.execute(sql: "UPDATE journalEntry SET status = 'J', journalDate = ? WHERE id = ?", arguments: [day, entry["id"] as Int64])
            let subject = try Self.subject(db, rowID)
            var log = try ChangeLogWriter(db)
            try log.seal(db, .entry, entry["id"])
            try log.append(db, at: now, actor: actor, action: "approve", subject: subject,
                           details: "journal \(number): status M -> J; journaldato \(day)")
            return ReviewOutcome(reference: subject, journalNumber: number, status: .J, summary: "approved \(number) as journaled on \(day)")
        }
    }

    /// Changes the rulebook's decision on the item's current version. The old and new
    /// values and the reason go to the change log. A journal number, once given, stays:
    /// journaling an item gives it the next number (status J); taking a proposal out of
    /// the journal marks its entry U (utgår); a journaled (J) entry cannot be taken out.
    public func override(_ reference: ItemReference, actor: String, change: OfficerOverride, day: String, now: Date = Date()) throws -> ReviewOutcome {
        let reason = change.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RegistryError("An override needs a reason (--reason \"…\"); it is kept in the change log.") }
        if change.restricted == true && (change.basis ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw RegistryError("Restricting access needs its legal basis (--basis \"…\").")
        }
        if change.retentionPeriod != nil && (change.retention ?? .B) == .B {
            throw RegistryError("A retention period goes with --retention K (kept that long) or G (reviewed then).")
        }
        if change.retention == .K && change.retentionPeriod != nil && (change.retentionBasis ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw RegistryError("A disposal period needs its legal basis (--retention-basis \"…\"): nothing is disposed without one.")
        }
        guard let rowID = try resolve(reference) else { throw RegistryError("No item \(reference) in the registry.") }
        return try write("the override of \(reference)") { db in
            guard let current = try Row.fetchOne(db, sql: """
                SELECT d.json, v.id AS versionId FROM item i JOIN itemVersion v ON v.itemId = i.id AND v.number = i.currentVersion
                JOIN decision d ON d.itemId = i.id WHERE i.id = ? ORDER BY d.id DESC LIMIT 1
                """, arguments: [rowID]) else {
                throw RegistryError("Item \(reference) has no decision to override.")
            }
            let old = try JSONLines.decode(Decision.self, from: current["json"])
            var new = old
            if let journal = change.journal { new.journal = journal }
            if let type = change.type { new.type = type }
            if let restricted = change.restricted {
                new.access.restricted = restricted
                new.access.basis = restricted ? change.basis : nil
                if !restricted { new.access.screen = [] }
            } else if let basis = change.basis {
                new.access.basis = basis
            }
            if let retention = change.retention {
                new.retention = retention
                new.retentionPeriod = change.retentionPeriod?.description
                new.retentionBasis = change.retentionBasis
                let created = try String.fetchOne(db, sql: "SELECT COALESCE(substr(createdAt, 1, 10), day) FROM item WHERE id = ?", arguments: [rowID]) ?? ""
                new.retentionEnds = change.retentionPeriod.flatMap { $0.end(from: created) }
            }
            new.rules = ["OFFICER"] + old.rules
            new.reason = "OFFICER (\(actor)): \(reason) Proposed: \(old.reason)"
            new.profile = old.profile

            let entry = try Row.fetchOne(db, sql: "SELECT id, year, sequence, status, type FROM journalEntry WHERE itemId = ?", arguments: [rowID])
            var number = entry.map { JournalNumber.format(year: $0["year"], sequence: $0["sequence"]) }
            var status = (entry?["status"] as String?).flatMap(JournalStatus.init(rawValue:))
            var touchedEntry: Int64?
            if new.journal {
                if let entry {
                    try db.execute(sql: "UPDATE journalEntry SET status = 'J', type = ?, journalDate = COALESCE(journalDate, ?) WHERE id = ?",
                                   arguments: [new.type.rawValue, day, entry["id"] as Int64])
                    touchedEntry = entry["id"]
                } else {
                    let year = Timestamp.components(now).year
                    let last = try Int.fetchOne(db, sql: "SELECT last FROM numberSeries WHERE series = 'journal' AND year = ?", arguments: [year]) ?? 0
                    try db.execute(sql: "INSERT INTO numberSeries (series, year, last) VALUES ('journal', ?, ?) ON CONFLICT(series, year) DO UPDATE SET last = excluded.last",
                                   arguments: [year, last + 1])
                    try db.execute(sql: "INSERT INTO journalEntry (itemId, year, sequence, type, status, registeredAt, journalDate) VALUES (?, ?, ?, ?, 'J', ?, ?)",
                                   arguments: [rowID, year, last + 1, new.type.rawValue, Timestamp.format(now), day])
                    touchedEntry = db.lastInsertedRowID
                    number = JournalNumber.format(year: year, sequence: last + 1)
                }
                status = .J
                new.status = .J
            } else if let entry {
                guard status != .J else {
                    throw RegistryError("Journal entry \(number ?? "") (item \(reference)) is journaled (status J); a journal entry is never taken out of the journal.")
                }
                try db.execute(sql: "UPDATE journalEntry SET status = 'U' WHERE id = ?", arguments: [entry["id"] as Int64])
                touchedEntry = entry["id"]
                status = .U
                new.status = nil
            } else {
                new.status = nil
            }
            let json = new.jsonText
            try db.execute(sql: "INSERT INTO decision (itemId, versionId, json, journal, restricted, profile, decidedAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [rowID, current["versionId"] as Int64, json, new.journal, new.access.restricted, "officer", Timestamp.format(now)])
            let decisionRowID = db.lastInsertedRowID
            let subject = try Self.subject(db, rowID)
            func describe(_ d: Decision) -> String {
                "journal=\(d.journal ? "yes" : "no") type=\(d.type.rawValue) restricted=\(d.access.restricted ? "yes" : "no")\(d.access.basis.map { " basis=\($0)" } ?? "")"
            }
            var log = try ChangeLogWriter(db)
            try log.seal(db, .decision, decisionRowID)
            if let touchedEntry { try log.seal(db, .entry, touchedEntry) }
            try log.append(db, at: now, actor: actor, action: "override", subject: subject,
                           details: "old: \(describe(old)); new: \(describe(new))\(change.retention == nil ? "" : "; retention \(old.retention.rawValue)\(old.retentionPeriod.map { " \($0)" } ?? "") -> \(new.retention.rawValue)\(new.retentionPeriod.map { " \($0)" } ?? "")\(new.retentionEnds.map { " ends \($0)" } ?? "")"); decision \(SHA256.hexDigest(json))\(number.map { "; journal \($0) status \(status?.rawValue ?? "-")" } ?? ""); why: \(reason)")
            return ReviewOutcome(reference: subject, journalNumber: number, status: status, summary: "overridden: \(describe(new))")
        }
    }

    static func subject(_ db: Database, _ rowID: Int64) throws -> String {
        let row = try Row.fetchOne(db, sql: "SELECT account, platformId FROM item WHERE id = ?", arguments: [rowID])
        return "\(row?["account"] as String? ?? ""):\(row?["platformId"] as String? ?? "")"
    }
}
