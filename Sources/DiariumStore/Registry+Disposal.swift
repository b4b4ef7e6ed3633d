import DiariumCore
import Foundation
import GRDB

/// One item a disposal plan lists, as `dispose plan --format json` prints it.
public struct PlannedItem: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// K, its period ended, no hold, no journal entry: the plan's execution disposes it.
        case due
        /// Would be due, but a standing hold covers it (`holds`).
        case held
        /// G whose review day passed: for an officer's decision, never disposed by a plan.
        case review
    }

    public var plan: Int64
    public var id: String
    public var account: String
    public var kind: String
    public var day: String
    public var rule: String
    public var retention: String
    public var period: String?
    /// The day the period ended (K) or the review fell due (G).
    public var disposeAfter: String
    public var basis: String?
    public var status: Status
    public var holds: [String]

    public var reference: String { "\(account):\(id)" }
}

/// A numbered disposal plan (kassasjonsliste): what was due on `asOf`, and whether and
/// how it was executed.
public struct DisposalPlan: Sendable, Hashable {
    public var number: Int64
    public var asOf: String
    public var madeAt: String
    public var madeBy: String
    public var executedAt: String?
    public var executedBy: String?
    public var executeReason: String?
    public var items: [PlannedItem]

    public var due: [PlannedItem] { items.filter { $0.status == .due } }
    public var held: [PlannedItem] { items.filter { $0.status == .held } }
    public var review: [PlannedItem] { items.filter { $0.status == .review } }
}

/// What stays of a disposed item: its facts, the decision it was disposed under, the
/// plan, when, by whom and why, and the hash of every version's content.
public struct Tombstone: Sendable, Hashable {
    public var account: String
    public var id: String
    public var platform: String
    public var kind: String
    /// The creation day (agency time), as the journal files it.
    public var day: String
    public var caseNumber: String?
    public var rule: String
    public var retention: String
    public var period: String?
    public var basis: String?
    public var plan: Int64?
    public var disposedAt: String
    public var disposedBy: String
    public var reason: String
    /// `N:SHA256` per version.
    public var contentHashes: [String]
    /// Captured bodies removed with the item, and those kept as evidence of other items.
    public var removedBodies: [String]
    public var keptBodies: [String]

    public var reference: String { "\(account):\(id)" }
}

/// The outcome of executing a plan.
public struct DisposalOutcome: Sendable, Hashable {
    public var plan: Int64
    public var disposed: [String]
    /// Items of the plan not disposed, with why (held now, no longer due, journaled).
    public var kept: [String: String]
}

extension Registry {
    /// What a disposed version's stored JSON becomes: its number, content hash and
    /// capture stay in the row, its content does not.
    static let disposedVersionJSON = "{\"disposed\":true}"

    /// Records a numbered plan of every item due on `asOf` (`YYYY-MM-DD`): retention K
    /// whose period ended, not held, without a journal entry; K items a hold covers and
    /// G items whose review day passed are listed apart and never disposed by the plan.
    public func makeDisposalPlan(asOf: String, actor: String, now: Date = Date()) throws -> DisposalPlan {
        let matches = try queryHoldMatches()
        return try write("a disposal plan as of \(asOf)") { db in
            let candidates = try Self.retentionCandidates(db, asOf: asOf, queryMatches: matches)
            try db.execute(sql: "INSERT INTO disposalPlan (asOf, madeAt, madeBy) VALUES (?, ?, ?)", arguments: [asOf, Timestamp.format(now), actor])
            let number = db.lastInsertedRowID
            var log = try ChangeLogWriter(db)
            try log.seal(db, .plan, number)
            for (rowID, item) in candidates {
                try db.execute(sql: """
                    INSERT INTO disposalPlanItem (planId, itemId, status, rule, retention, period, ends, basis, holds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [number, rowID, item.status.rawValue, item.rule, item.retention, item.period, item.disposeAfter, item.basis,
                                     item.holds.isEmpty ? nil : item.holds.joined(separator: "\n")])
                try log.seal(db, .planItem, db.lastInsertedRowID)
            }
            let items = candidates.map { (_, item) -> PlannedItem in var item = item; item.plan = number; return item }
            let plan = DisposalPlan(number: number, asOf: asOf, madeAt: Timestamp.format(now), madeBy: actor, items: items)
            try log.append(db, at: now, actor: actor, action: "dispose plan", subject: "plan:\(number)",
                           details: "as of \(asOf): \(plan.due.count) due, \(plan.held.count) held, \(plan.review.count) for retention review")
            return plan
        }
    }

    /// Items without a tombstone or journal entry whose decision has a period that ended
    /// by `asOf`, with their status; ordered by the day the period ended, then item.
    static func retentionCandidates(_ db: Database, asOf: String, queryMatches: [String: Set<String>]) throws -> [(Int64, PlannedItem)] {
        let holds = try standingHolds(db)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT i.id, i.account, i.platformId, i.threadRoot, i.kind, i.day, d.json
            FROM item i JOIN decision d ON d.id = (SELECT MAX(d2.id) FROM decision d2 WHERE d2.itemId = i.id)
            WHERE NOT EXISTS (SELECT 1 FROM tombstone t WHERE t.itemId = i.id)
              AND NOT EXISTS (SELECT 1 FROM journalEntry j WHERE j.itemId = i.id)
              AND CASE WHEN json_valid(d.json) THEN json_extract(d.json, '$.retention') IN ('K', 'G')
                       AND json_extract(d.json, '$.retentionPeriod') IS NOT NULL END
            """)
        var out: [(Int64, PlannedItem)] = []
        while let row = try rows.next() {
            guard let decision = RecordReader.decision(row["json"] as String), let periodText = decision.retentionPeriod,
                  decision.retention != .B else { continue }
            let day: String = row["day"]
            guard let ends = decision.retentionEnds ?? RetentionPeriod(periodText)?.end(from: day), ends <= asOf else { continue }
            let candidate = HoldCandidate(account: row["account"], platformID: row["platformId"], threadRoot: row["threadRoot"])
            var status = PlannedItem.Status.review
            var covering: [String] = []
            if decision.retention == .K {
                covering = holdsCovering(candidate, holds: holds, queryMatches: queryMatches)
                status = covering.isEmpty ? .due : .held
            }
            out.append((row["id"], PlannedItem(
                plan: 0, id: candidate.platformID, account: candidate.account, kind: row["kind"], day: day,
                rule: decision.rules.first { $0 != "OFFICER" } ?? decision.rules.first ?? "", retention: decision.retention.rawValue,
                period: periodText, disposeAfter: ends, basis: decision.retentionBasis, status: status, holds: covering)))
        }
        return out.sorted { ($0.1.disposeAfter, $0.1.account, $0.1.id) < ($1.1.disposeAfter, $1.1.account, $1.1.id) }
    }

    /// G items whose review day passed by `asOf`, computed now (nothing is recorded):
    /// the web page's list of items awaiting a retention review.
    public func retentionReviews(asOf: String) throws -> [PlannedItem] {
        try read("the items awaiting a retention review") { db in
            try Self.retentionCandidates(db, asOf: asOf, queryMatches: [:]).map(\.1).filter { $0.status == .review }
        }
    }

    /// One plan with its items; nil when there is no such plan.
    public func disposalPlan(number: Int64) throws -> DisposalPlan? {
        try read("disposal plan \(number)") { db in try Self.plan(db, number: number) }
    }

    /// Every plan, newest first, with its items.
    public func disposalPlans() throws -> [DisposalPlan] {
        try read("the disposal plans") { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM disposalPlan ORDER BY id DESC").compactMap { try Self.plan(db, number: $0) }
        }
    }

    static func plan(_ db: Database, number: Int64) throws -> DisposalPlan? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM disposalPlan WHERE id = ?", arguments: [number]) else { return nil }
        let items = try Row.fetchAll(db, sql: """
            SELECT p.*, i.account, i.platformId, i.kind, i.day FROM disposalPlanItem p JOIN item i ON i.id = p.itemId
            WHERE p.planId = ? ORDER BY p.id
            """, arguments: [number]).map { r in
            PlannedItem(plan: number, id: r["platformId"], account: r["account"], kind: r["kind"], day: r["day"], rule: r["rule"],
                        retention: r["retention"], period: r["period"], disposeAfter: r["ends"], basis: r["basis"],
                        status: PlannedItem.Status(rawValue: r["status"]) ?? .review,
                        holds: ((r["holds"] as String?) ?? "").split(separator: "\n").map(String.init))
        }
        return DisposalPlan(number: number, asOf: row["asOf"], madeAt: row["madeAt"], madeBy: row["madeBy"], executedAt: row["executedAt"],
                            executedBy: row["executedBy"], executeReason: row["executeReason"], items: items)
    }

    /// Disposes exactly the items the plan listed as due that are still due (the current
    /// decision's period ended by the plan's day and by today, no journal entry) and not
    /// held now.
    /// Refused without a reason, and for a plan already executed.
    public func executeDisposalPlan(number: Int64, reason: String, actor: String, now: Date = Date()) throws -> DisposalOutcome {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw RegistryError("Executing a disposal plan needs a reason (--reason \"…\"); it is kept in the change log.") }
        let matches = try queryHoldMatches()
        let today = Timestamp.day(now, in: timeZone)
        return try write("the execution of disposal plan \(number)") { db in
            guard let plan = try Self.plan(db, number: number) else { throw RegistryError("No disposal plan \(number); `diarium dispose list` shows them.") }
            if let executed = plan.executedAt {
                throw RegistryError("Disposal plan \(number) was executed already, at \(executed) by \(plan.executedBy ?? "?"); make a new plan.")
            }
            // Due on the plan's day, and by today: a plan made for a later day disposes
            // nothing before its period has actually ended.
            let day = min(plan.asOf, today)
            let stillDue = Dictionary(try Self.retentionCandidates(db, asOf: day, queryMatches: matches).map { ($0.1.reference, $0) },
                                      uniquingKeysWith: { a, _ in a })
            var log = try ChangeLogWriter(db)
            var outcome = DisposalOutcome(plan: number, disposed: [], kept: [:])
            for item in plan.due {
                guard let found = stillDue[item.reference] else {
                    outcome.kept[item.reference] = item.disposeAfter > day ? "not yet due (its period ends \(item.disposeAfter))"
                        : "no longer due (disposed already, journaled, or its decision changed)"
                    continue
                }
                let (rowID, current) = found
                guard current.status == .due else {
                    outcome.kept[item.reference] = current.status == .held ? "held by \(current.holds.joined(separator: ", "))" : "no longer due"
                    continue
                }
                try Self.dispose(db, rowID: rowID, plan: number, rule: current.rule, retention: current.retention, period: current.period,
                                 basis: current.basis, actor: actor, reason: why, now: now, log: &log)
                outcome.disposed.append(item.reference)
            }
            try db.execute(sql: "UPDATE disposalPlan SET executedAt = ?, executedBy = ?, executeReason = ? WHERE id = ?",
                           arguments: [Timestamp.format(now), actor, why, number])
            try log.seal(db, .planExecution, number)
            try log.append(db, at: now, actor: actor, action: "dispose execute", subject: "plan:\(number)",
                           details: "disposed \(outcome.disposed.count), kept \(outcome.kept.count) of \(plan.due.count) due; why: \(why)")
            return outcome
        }
    }

    /// Disposes one item at once, outside any plan: a data-protection erasure. Refused
    /// for an item with a journal entry (its retention is the case's), one a standing
    /// hold covers, and one disposed already.
    @discardableResult
    public func disposeItem(_ reference: ItemReference, reason: String, actor: String, now: Date = Date()) throws -> Tombstone {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw RegistryError("Disposing of an item needs a reason (--reason \"…\"); it is kept in the change log.") }
        guard let rowID = try resolve(reference) else { throw RegistryError("No item \(reference) in the registry.") }
        let matches = try queryHoldMatches()
        try write("the disposal of \(reference)") { db in
            let subject = try Self.subject(db, rowID)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tombstone WHERE itemId = ?", arguments: [rowID]) ?? false {
                throw RegistryError("Item \(subject) was disposed already; `diarium show \(subject)` says when.")
            }
            if let entry = try Row.fetchOne(db, sql: "SELECT year, sequence, status FROM journalEntry WHERE itemId = ?", arguments: [rowID]) {
                throw RegistryError("Item \(subject) has journal entry \(JournalNumber.format(year: entry["year"], sequence: entry["sequence"])) (status \(entry["status"] as String)); Diarium never disposes of a journaled item: its retention is the case's.")
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT account, platformId, threadRoot FROM item WHERE id = ?", arguments: [rowID]) else {
                throw RegistryError("No item \(reference) in the registry.")
            }
            let holds = Self.holdsCovering(HoldCandidate(account: row["account"], platformID: row["platformId"], threadRoot: row["threadRoot"]),
                                      holds: try Self.standingHolds(db), queryMatches: matches)
            guard holds.isEmpty else {
                throw RegistryError("Item \(subject) is under legal hold (\(holds.joined(separator: ", "))); it cannot be disposed while a hold covers it.")
            }
            let json = try String.fetchOne(db, sql: "SELECT json FROM decision WHERE itemId = ? ORDER BY id DESC LIMIT 1", arguments: [rowID])
            let decision = json.flatMap { RecordReader.decision($0) }
            var log = try ChangeLogWriter(db)
            try Self.dispose(db, rowID: rowID, plan: nil, rule: decision.map { $0.rules.first { $0 != "OFFICER" } ?? $0.rules.first ?? "" } ?? "",
                             retention: decision?.retention.rawValue ?? "", period: decision?.retentionPeriod, basis: decision?.retentionBasis,
                             actor: actor, reason: why, now: now, log: &log)
        }
        guard let tombstone = try tombstone(of: reference) else { throw RegistryError("Item \(reference) was disposed but its tombstone cannot be read.") }
        return tombstone
    }

    /// Removes one item's content and leaves its tombstone, in one change-log entry that
    /// vouches for every row touched: the tombstone sealed, each version resealed with its
    /// content blanked, each media row unsealed, each body removed recorded and sealed.
    static func dispose(_ db: Database, rowID: Int64, plan: Int64?, rule: String, retention: String, period: String?, basis: String?,
                        actor: String, reason: String, now: Date, log: inout ChangeLogWriter) throws {
        let subject = try Self.subject(db, rowID)
        let versions = try Row.fetchAll(db, sql: "SELECT id, number, contentHash, captureId FROM itemVersion WHERE itemId = ? ORDER BY number", arguments: [rowID])
        let media = try Row.fetchAll(db, sql: "SELECT id, sha256, captureId FROM media WHERE itemId = ?", arguments: [rowID])
        var released = Set<Int64>(versions.map { $0["captureId"] as Int64 })
        if let deletion = try Int64.fetchOne(db, sql: "SELECT deletionCaptureId FROM item WHERE id = ?", arguments: [rowID]) { released.insert(deletion) }
        for m in media { if let capture = m["captureId"] as Int64? { released.insert(capture) } }

        // The tombstone first: the version trigger lets a disposed item's content go.
        let hashes = versions.map { "\($0["number"] as Int):\($0["contentHash"] as String)" }.joined(separator: " ")
        try db.execute(sql: """
            INSERT INTO tombstone (itemId, planId, rule, retention, period, basis, contentHashes, removedBodies, keptBodies, disposedAt, disposedBy, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?)
            """, arguments: [rowID, plan, rule, retention, period, basis, hashes, Timestamp.format(now), actor, reason])
        let tombstoneID = db.lastInsertedRowID
        for version in versions {
            let versionID: Int64 = version["id"]
            if let key = try Int64.fetchOne(db, sql: "SELECT key FROM searchKey WHERE versionId = ?", arguments: [versionID]) {
                try db.execute(sql: "DELETE FROM versionText WHERE rowid = ?", arguments: [key])
                try db.execute(sql: "DELETE FROM journalText WHERE rowid = ?", arguments: [key])
                try db.execute(sql: "DELETE FROM searchKey WHERE versionId = ?", arguments: [versionID])
            }
            try db.execute(sql: "UPDATE itemVersion SET json = ? WHERE id = ?", arguments: [disposedVersionJSON, versionID])
            try log.seal(db, .version, versionID)
        }
        var bodies = Set<String>()
        for m in media {
            try db.execute(sql: "DELETE FROM media WHERE id = ?", arguments: [m["id"] as Int64])
            log.unseal(.media, m["id"])
            log.unseal(.mediaFile, m["id"])
            if let sha = m["sha256"] as String? { bodies.insert(sha) }
        }
        for capture in released {
            if let sha = try String.fetchOne(db, sql: "SELECT sha256 FROM capture WHERE id = ?", arguments: [capture]) { bodies.insert(sha) }
        }
        var removed: [String] = [], kept: [String] = []
        for sha in bodies.sorted() {
            if try bodyStillNeeded(db, sha: sha, released: released) {
                kept.append(sha)
                continue
            }
            guard let size = try Int.fetchOne(db, sql: "SELECT size FROM blob WHERE sha256 = ?", arguments: [sha]) else { continue }
            // The row stays (captures reference it), its bytes go; its recorded size stays,
            // so a blanked body is known by its length and never given out.
            try db.execute(sql: "UPDATE blob SET body = x'' WHERE sha256 = ?", arguments: [sha])
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM disposedBody WHERE sha256 = ?", arguments: [sha]) {
                try db.execute(sql: "UPDATE disposedBody SET size = ?, tombstoneId = ?, disposedAt = ? WHERE id = ?",
                               arguments: [size, tombstoneID, Timestamp.format(now), existing])
                try log.seal(db, .disposedBody, existing)
            } else {
                try db.execute(sql: "INSERT INTO disposedBody (sha256, size, tombstoneId, disposedAt) VALUES (?, ?, ?, ?)",
                               arguments: [sha, size, tombstoneID, Timestamp.format(now)])
                try log.seal(db, .disposedBody, db.lastInsertedRowID)
            }
            removed.append(sha)
        }
        try db.execute(sql: "UPDATE tombstone SET removedBodies = ?, keptBodies = ? WHERE id = ?",
                       arguments: [removed.joined(separator: " "), kept.joined(separator: " "), tombstoneID])
        try log.seal(db, .tombstone, tombstoneID)
        var details = plan.map { "plan \($0); " } ?? "at once (no plan); "
        details += "rule \(rule); retention \(retention)\(period.map { " \($0)" } ?? "")\(basis.map { "; basis \($0)" } ?? "")"
        details += "; content \(hashes); bodies removed \(removed.count), kept as evidence of other items \(kept.count); why: \(reason)"
        try log.append(db, at: now, actor: actor, action: "dispose", subject: subject, details: details)
    }

    /// Whether a body must stay: a capture with these bytes backs something kept (a
    /// version or deletion of an item not disposed, a media file, a quarantined payload,
    /// an account event) or something this disposal does not know (a capture neither
    /// released now nor only a disposed item's), or a kept media file has these bytes.
    static func bodyStillNeeded(_ db: Database, sha: String, released: Set<Int64>) throws -> Bool {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM media WHERE sha256 = ? LIMIT 1", arguments: [sha]) ?? false { return true }
        for capture in try Int64.fetchAll(db, sql: "SELECT id FROM capture WHERE sha256 = ?", arguments: [sha]) {
            let kept = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM itemVersion v WHERE v.captureId = ?1 AND NOT EXISTS (SELECT 1 FROM tombstone t WHERE t.itemId = v.itemId))
                    OR EXISTS (SELECT 1 FROM item i WHERE i.deletionCaptureId = ?1 AND NOT EXISTS (SELECT 1 FROM tombstone t WHERE t.itemId = i.id))
                    OR EXISTS (SELECT 1 FROM media m WHERE m.captureId = ?1)
                    OR EXISTS (SELECT 1 FROM quarantine q WHERE q.captureId = ?1)
                    OR EXISTS (SELECT 1 FROM accountEvent e WHERE e.captureId = ?1)
                """, arguments: [capture]) ?? true
            if kept { return true }
            if released.contains(capture) { continue }
            let disposedOnly = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM itemVersion v JOIN tombstone t ON t.itemId = v.itemId WHERE v.captureId = ?1)
                    OR EXISTS (SELECT 1 FROM item i JOIN tombstone t ON t.itemId = i.id WHERE i.deletionCaptureId = ?1)
                """, arguments: [capture]) ?? false
            if !disposedOnly { return true }
        }
        return false
    }

    /// What stays of a disposed item; nil when the item is not disposed (or unknown).
    public func tombstone(of reference: ItemReference) throws -> Tombstone? {
        guard let rowID = try resolve(reference) else { return nil }
        return try read("the tombstone of \(reference)") { db in
            try Self.tombstones(db, where: "t.itemId = ?", [rowID]).first
        }
    }

    /// The tombstones of a plan's disposals (or of disposals outside any plan, for nil).
    public func tombstones(plan: Int64?) throws -> [Tombstone] {
        try read("the tombstones") { db in
            if let plan { return try Self.tombstones(db, where: "t.planId = ?", [plan]) }
            return try Self.tombstones(db, where: "t.planId IS NULL", [])
        }
    }

    /// The tombstones of items created on the journal days `from...to` (inclusive): what an
    /// archive export records as disposed (Noark 5 utfoertKassasjon: kassertDato, kassertAv).
    public func tombstones(from: String, to: String) throws -> [Tombstone] {
        try read("the tombstones from \(from) to \(to)") { db in
            try Self.tombstones(db, where: "i.day BETWEEN ? AND ?", [from, to])
        }
    }

    static func tombstones(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Tombstone] {
        try Row.fetchAll(db, sql: """
            SELECT t.*, i.account, i.platformId, i.platform, i.kind, i.day, c.year, c.sequence
            FROM tombstone t JOIN item i ON i.id = t.itemId LEFT JOIN caseFile c ON c.id = i.caseFileId
            WHERE \(condition) ORDER BY t.id
            """, arguments: arguments).map { r in
            func words(_ column: String) -> [String] { ((r[column] as String?) ?? "").split(separator: " ").map(String.init) }
            return Tombstone(
                account: r["account"], id: r["platformId"], platform: r["platform"], kind: r["kind"], day: r["day"],
                caseNumber: (r["year"] as Int?).flatMap { y in (r["sequence"] as Int?).map { JournalNumber.format(year: y, sequence: $0) } },
                rule: r["rule"], retention: r["retention"], period: r["period"], basis: r["basis"], plan: r["planId"],
                disposedAt: r["disposedAt"], disposedBy: r["disposedBy"], reason: r["reason"], contentHashes: words("contentHashes"),
                removedBodies: words("removedBodies"), keptBodies: words("keptBodies"))
        }
    }
}
