import DiariumCore
import Foundation
import GRDB

/// What an answer did with one item: released whole, released with parts withheld, or
/// withheld whole.
public enum AccessRequestOutcome: String, Sendable, Hashable, CaseIterable {
    case released, partly, withheld
}

/// One item of an answered access request, as the officer's action records it.
public struct AccessRequestItemOutcome: Sendable, Hashable {
    /// The item's row, as `Registry.resolve` or a record's `rowID` names it.
    public var item: ItemReference
    public var outcome: AccessRequestOutcome
    /// What was withheld and on which legal basis, one `part: basis` per line; empty when
    /// nothing was.
    public var withheld: String

    public init(item: ItemReference, outcome: AccessRequestOutcome, withheld: String) {
        self.item = item
        self.outcome = outcome
        self.withheld = withheld
    }
}

/// The answer to record: the request's reference, how it was written and what it held.
public struct AccessRequestAnswer: Sendable, Hashable {
    public var reference: String
    /// `pdf`, `html` or `csv`.
    public var format: String
    /// `nb`, `nn`, `sv` or `en`.
    public var language: String
    /// SHA-256 of the document handed over, so the copy the requester got can be matched later.
    public var documentSHA256: String
    public var items: [AccessRequestItemOutcome]

    public init(reference: String, format: String, language: String, documentSHA256: String, items: [AccessRequestItemOutcome]) {
        self.reference = reference
        self.format = format
        self.language = language
        self.documentSHA256 = documentSHA256
        self.items = items
    }
}

/// One access request an item was covered by, for `show`.
public struct AccessRequestRelease: Sendable, Hashable {
    public var reference: String
    public var answeredAt: String
    public var actor: String
    public var format: String
    public var outcome: AccessRequestOutcome
    public var withheld: String
}

extension Registry {
    /// Every item of a case file (`2026/000001`), the thread's root first, then in time order.
    public func items(inCase number: String) throws -> [ItemRecord] {
        let parts = number.split(separator: "/")
        guard parts.count == 2, let year = Int(parts[0]), let sequence = Int(parts[1]) else {
            throw RegistryError("A case number is written YEAR/SEQUENCE, e.g. 2026/000001, not \(number).")
        }
        return try read("case file \(number)") { db in
            try Row.fetchAll(db, sql: Self.recordSelect + """
                 WHERE c.year = ? AND c.sequence = ?
                ORDER BY i.platformId <> i.threadRoot AND i.threadRoot IS NOT NULL, COALESCE(i.createdAt, i.firstCapturedAt), i.id
                """, arguments: [year, sequence]).map(Self.record)
        }
    }

    /// Records an answered access request as an officer action: a row for the answer and
    /// one per item (released, partly, withheld with what and why), sealed in one
    /// change-log entry naming who, when, the reference, the items and what was withheld.
    /// Every item must be in the registry; nothing is written otherwise.
    @discardableResult
    public func recordAccessRequest(_ answer: AccessRequestAnswer, actor: String, now: Date = Date()) throws -> ChainHead? {
        let reference = answer.reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reference.isEmpty, !reference.contains(where: \.isNewline) else {
            throw RegistryError("An access request needs its reference (--request REF), on one line.")
        }
        guard !answer.items.isEmpty else { throw RegistryError("An answer to access request \(reference) covers no item.") }
        var rows: [(Int64, AccessRequestItemOutcome)] = []
        for outcome in answer.items {
            guard let rowID = try resolve(outcome.item) else { throw RegistryError("No item \(outcome.item) in the registry.") }
            rows.append((rowID, outcome))
        }
        let resolved = rows
        return try write("the answer to access request \(reference)") { db in
            let when = Timestamp.format(now)
            try db.execute(sql: """
                INSERT INTO accessRequest (reference, answeredAt, actor, format, language, documentSha256) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [reference, when, actor, answer.format, answer.language, answer.documentSHA256])
            let requestID = db.lastInsertedRowID
            var log = try ChangeLogWriter(db)
            try log.seal(db, .accessRequest, requestID)
            var released: [String] = [], partly: [String] = [], withheld: [String] = []
            for (rowID, outcome) in resolved {
                try db.execute(sql: "INSERT INTO accessRequestItem (requestId, itemId, outcome, withheld) VALUES (?, ?, ?, ?)",
                               arguments: [requestID, rowID, outcome.outcome.rawValue, outcome.withheld])
                try log.seal(db, .accessRequestItem, db.lastInsertedRowID)
                let subject = try Self.subject(db, rowID)
                let why = outcome.withheld.split(separator: "\n").joined(separator: "; ")
                switch outcome.outcome {
                case .released: released.append(subject)
                case .partly: partly.append("\(subject) (\(why))")
                case .withheld: withheld.append("\(subject) (\(why))")
                }
            }
            var details = "answered \(reference) as \(answer.format) (\(answer.language)), document sha256 \(answer.documentSHA256)"
            details += "; released: \(released.isEmpty ? "none" : released.joined(separator: ", "))"
            if !partly.isEmpty { details += "; released in part: \(partly.joined(separator: ", "))" }
            if !withheld.isEmpty { details += "; withheld: \(withheld.joined(separator: ", "))" }
            try log.append(db, at: now, actor: actor, action: "access request", subject: "request:\(reference)", details: details)
            return try Row.fetchOne(db, sql: "SELECT id, hash, at FROM changeLog ORDER BY id DESC LIMIT 1").map {
                ChainHead(id: $0["id"], hash: $0["hash"], at: $0["at"])
            }
        }
    }

    /// The access requests an item was covered by, oldest first.
    public func accessRequests(of reference: ItemReference) throws -> [AccessRequestRelease] {
        guard let rowID = try resolve(reference) else { return [] }
        return try read("the access requests of \(reference)") { db in
            try Row.fetchAll(db, sql: """
                SELECT r.reference, r.answeredAt, r.actor, r.format, t.outcome, t.withheld
                FROM accessRequestItem t JOIN accessRequest r ON r.id = t.requestId WHERE t.itemId = ? ORDER BY r.id
                """, arguments: [rowID]).map {
                AccessRequestRelease(reference: $0["reference"], answeredAt: $0["answeredAt"], actor: $0["actor"], format: $0["format"],
                                     outcome: AccessRequestOutcome(rawValue: $0["outcome"]) ?? .withheld, withheld: $0["withheld"])
            }
        }
    }
}
