import DiariumCore
import Foundation
import GRDB

/// What a legal hold covers. Noark 5 has no legal-hold element, and Sweden's regulator
/// holds (an RA-MS exception from gallring) are outside the program: a hold is
/// Diarium's own construct that blocks disposal while it stands.
public enum HoldScope: Sendable, Hashable {
    /// These items (`--item`, repeatable).
    case items([ItemReference])
    /// The thread (case file) the item belongs to, replies that come later included.
    case thread(ItemReference)
    /// Every item of the account, later ones included.
    case account(String)
    /// Every item a search finds when a plan is made (`--query Q [--from D --to D]`).
    case query(String, from: String?, to: String?)
}

/// What a stored hold covers: items and threads as `ACCOUNT:ID` (a thread by its root).
public enum HoldCoverage: Sendable, Hashable {
    case items([String])
    case thread(String)
    case account(String)
    case query(String, from: String?, to: String?)
}

/// A legal hold as stored: while `releasedAt` is nil, no item it covers is disposed.
public struct LegalHold: Sendable, Hashable {
    public var name: String
    /// `item`, `thread`, `account` or `query`.
    public var scope: String
    /// What the scope names, as stored (see `DisposalSchema`).
    public var target: String
    public var reason: String
    public var placedAt: String
    public var placedBy: String
    public var releasedAt: String?
    public var releasedBy: String?
    public var releaseReason: String?

    public var isActive: Bool { releasedAt == nil }

    /// What the hold covers, read back from how it is stored, so each output can word it
    /// in its own language (the command line's English in `covers`, the page's in its own).
    public var coverage: HoldCoverage {
        switch scope {
        case "item": return .items((try? JSONLines.decode([String].self, from: target)) ?? [target])
        case "thread": return .thread(target)
        case "account": return .account(target)
        default:
            let q = (try? JSONLines.decode([String: String].self, from: target)) ?? [:]
            return .query(q["query"] ?? "", from: q["from"], to: q["to"])
        }
    }

    /// One line for people: what the hold covers.
    public var covers: String {
        switch coverage {
        case .items(let refs): return "item\(refs.count == 1 ? "" : "s") " + refs.joined(separator: ", ")
        case .thread(let root): return "the thread of \(root)"
        case .account(let key): return "account \(key)"
        case .query(let query, let from, let to):
            var text = "search \"\(query)\""
            if let from { text += " from \(from)" }
            if let to { text += " to \(to)" }
            return text
        }
    }

    static func read(_ row: Row) -> LegalHold {
        LegalHold(name: row["name"], scope: row["scope"], target: row["target"], reason: row["reason"], placedAt: row["placedAt"],
                  placedBy: row["placedBy"], releasedAt: row["releasedAt"], releasedBy: row["releasedBy"], releaseReason: row["releaseReason"])
    }
}

extension Registry {
    /// Places a legal hold. The items named must exist (a hold on nothing protects
    /// nothing); the hold and its reason go into the change log with who placed it.
    @discardableResult
    public func placeHold(name: String, scope: HoldScope, reason: String, actor: String, now: Date = Date()) throws -> LegalHold {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw RegistryError("A legal hold needs a reason (--reason \"…\"); it is kept in the change log.") }
        guard !name.isEmpty, name == name.trimmingCharacters(in: .whitespacesAndNewlines),
              !name.unicodeScalars.contains(where: { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) })
        else {
            throw RegistryError("A hold's name must be non-empty, without surrounding spaces, line breaks or control characters.")
        }
        let kind: String
        let target: String
        switch scope {
        case .items(let references):
            guard !references.isEmpty else { throw RegistryError("A hold on items needs at least one --item.") }
            var canonical: [String] = []
            for reference in references {
                guard let rowID = try resolve(reference) else { throw RegistryError("No item \(reference) in the registry; the hold was not placed.") }
                let subject = try read("item \(reference)") { db in try Self.subject(db, rowID) }
                if !canonical.contains(subject) { canonical.append(subject) }
            }
            kind = "item"
            target = try JSONLines.encode(canonical)
        case .thread(let reference):
            guard let rowID = try resolve(reference) else { throw RegistryError("No item \(reference) in the registry; the hold was not placed.") }
            kind = "thread"
            target = try read("item \(reference)") { db in
                let row = try Row.fetchOne(db, sql: "SELECT account, platformId, threadRoot FROM item WHERE id = ?", arguments: [rowID])
                return "\(row?["account"] as String? ?? ""):\((row?["threadRoot"] as String?) ?? (row?["platformId"] as String? ?? ""))"
            }
        case .account(let key):
            guard try knownAccountKeys().contains(key) else { throw RegistryError("No account \(key) in the registry; the hold was not placed.") }
            kind = "account"
            target = key
        case .query(let query, let from, let to):
            // Read once now, so a query the search language cannot read is refused here
            // rather than at the next plan.
            var filter = SearchFilter()
            filter.from = from
            filter.to = to
            filter.limit = 1
            _ = try search(query, filter: filter)
            var object: [String: String] = ["query": query]
            if let from { object["from"] = from }
            if let to { object["to"] = to }
            kind = "query"
            target = try JSONLines.encode(object)
        }
        return try write("the hold \(name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM legalHold WHERE name = ?", arguments: [name]) ?? false {
                throw RegistryError("A hold named \(name) exists already (released holds keep their name); choose another name.")
            }
            try db.execute(sql: "INSERT INTO legalHold (name, scope, target, reason, placedAt, placedBy) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [name, kind, target, why, Timestamp.format(now), actor])
            let rowID = db.lastInsertedRowID
            var log = try ChangeLogWriter(db)
            try log.seal(db, .hold, rowID)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM legalHold WHERE id = ?", arguments: [rowID]) else {
                throw RegistryError("The hold \(name) just placed cannot be read back.")
            }
            let hold = LegalHold.read(row)
            try log.append(db, at: now, actor: actor, action: "hold", subject: "hold:\(name)", details: "covers \(hold.covers); why: \(why)")
            return hold
        }
    }

    /// Releases a standing hold; the items it covered become due at the next plan
    /// (unless another hold covers them). The release and its reason are logged.
    public func releaseHold(name: String, reason: String, actor: String, now: Date = Date()) throws {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw RegistryError("Releasing a hold needs a reason (--reason \"…\"); it is kept in the change log.") }
        try write("the release of hold \(name)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, releasedAt FROM legalHold WHERE name = ?", arguments: [name]) else {
                throw RegistryError("No legal hold named \(name); `diarium hold list` shows them.")
            }
            if let released = row["releasedAt"] as String? { throw RegistryError("The hold \(name) was released already, at \(released).") }
            try db.execute(sql: "UPDATE legalHold SET releasedAt = ?, releasedBy = ?, releaseReason = ? WHERE id = ?",
                           arguments: [Timestamp.format(now), actor, why, row["id"] as Int64])
            var log = try ChangeLogWriter(db)
            try log.seal(db, .holdRelease, row["id"])
            try log.append(db, at: now, actor: actor, action: "release", subject: "hold:\(name)", details: "why: \(why)")
        }
    }

    /// The standing holds that cover an item now, as a plan would find them (a thread
    /// hold covers replies that came later; a query hold what its search finds today).
    public func standingHolds(covering reference: ItemReference) throws -> [LegalHold] {
        guard let rowID = try resolve(reference) else { return [] }
        let candidate = try read("item \(reference)") { db -> HoldCandidate? in
            guard let row = try Row.fetchOne(db, sql: "SELECT account, platformId, threadRoot FROM item WHERE id = ?", arguments: [rowID]) else { return nil }
            return HoldCandidate(account: row["account"], platformID: row["platformId"], threadRoot: row["threadRoot"])
        }
        guard let candidate else { return [] }
        let all = try holds()
        let names = Set(Self.holdsCovering(candidate, holds: all, queryMatches: try queryHoldMatches()))
        return all.filter { names.contains($0.name) }
    }

    /// Every hold, standing ones first, then by when they were placed.
    public func holds() throws -> [LegalHold] {
        try read("the legal holds") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM legalHold ORDER BY releasedAt IS NOT NULL, placedAt, id").map(LegalHold.read)
        }
    }

    /// The items each standing query hold finds now, as `ACCOUNT:ID`: searched before
    /// a plan's transaction, since a search reads the registry on its own.
    func queryHoldMatches() throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for hold in try holds() where hold.isActive {
            guard case .query(let query, let from, let to) = hold.coverage else { continue }
            var filter = SearchFilter()
            filter.from = from
            filter.to = to
            filter.limit = Int(Int32.max)
            out[hold.name] = Set(try search(query, filter: filter).map { "\($0.item.account):\($0.item.id)" })
        }
        return out
    }

    /// The standing holds that cover an item, by name.
    static func holdsCovering(_ item: HoldCandidate, holds: [LegalHold], queryMatches: [String: Set<String>]) -> [String] {
        holds.filter { hold in
            guard hold.isActive else { return false }
            // One reading of what a stored hold covers (`LegalHold.coverage`) serves the plan,
            // the execution, `show` and the page.
            switch hold.coverage {
            case .items(let references): return references.contains(item.reference)
            case .thread(let root): return root == "\(item.account):\(item.threadRoot ?? item.platformID)" || root == item.reference
            case .account(let key): return key == item.account
            case .query: return queryMatches[hold.name]?.contains(item.reference) ?? false
            }
        }.map(\.name)
    }

    static func standingHolds(_ db: Database) throws -> [LegalHold] {
        try Row.fetchAll(db, sql: "SELECT * FROM legalHold WHERE releasedAt IS NULL ORDER BY id").map(LegalHold.read)
    }
}

/// What a hold is checked against: an item's account, id and thread.
struct HoldCandidate {
    var account: String
    var platformID: String
    var threadRoot: String?
    var reference: String { "\(account):\(platformID)" }
}
