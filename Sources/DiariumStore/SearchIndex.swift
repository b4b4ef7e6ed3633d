import DiariumCore
import Foundation
import GRDB

/// The full-text index's keys: the item's creation second in the high bits, the
/// version id's low 24 bits below, so rowid order is newest-first order (see the
/// `v3-search-indexes` migration). Each row also carries the item's journal state as
/// one token in the `facet` column (`v4-search-facets`), so the journal filters are
/// answered inside the index instead of a row lookup per match.
enum SearchIndex {
    static func key(createdAt: Date, versionID: Int64) -> Int64 {
        (Int64(createdAt.timeIntervalSince1970.rounded(.down)) << 24) + (versionID & 0xFF_FFFF)
    }

    /// The smallest key of a moment (for rowid range bounds).
    static func lowerBound(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) << 24 }

    /// The facet token of an item with no journal entry; an entry's token is its status
    /// (M, J or U). The triggers of `v4-search-facets` keep every version's row in step
    /// when an entry is made or its status changes.
    static let notJournaled = "N"

    /// One version's row of the index, held by the commit until its other writes are done.
    struct Row {
        let versionID: Int64
        let createdAt: Date
        let text: String
        let author: String
        /// The item's journal state when the caller knows it; nil looks it up.
        var facet: String? = nil
    }

    /// Adds the rows of one transaction, after every other write of it.
    ///
    /// Why last: SQLite asks each virtual table written in a transaction for a savepoint
    /// whenever a later statement needs a statement journal (an insert into a table with
    /// indexes or foreign keys, a trigger), and FTS5 answers by flushing what it holds in
    /// memory into a new segment. Interleaved with the other inserts, every row became a
    /// segment of its own and FTS5 spent most of an ingest merging them; written together
    /// at the end, a transaction's rows make one segment.
    ///
    /// A key already taken (two versions of the same second whose ids share their low 24
    /// bits, 16 million versions apart) moves one down.
    static func insert(_ db: Database, rows: [Row]) throws {
        guard !rows.isEmpty else { return }
        let taken = try db.cachedStatement(sql: "SELECT 1 FROM versionText WHERE rowid = ?")
        let facetOf = try db.cachedStatement(sql: """
            SELECT j.status FROM itemVersion v JOIN journalEntry j ON j.itemId = v.itemId WHERE v.id = ?
            """)
        let insertKey = try db.cachedStatement(sql: "INSERT INTO searchKey (versionId, key) VALUES (?, ?)")
        var keyed: [(key: Int64, facet: String, row: Row)] = []
        keyed.reserveCapacity(rows.count)
        var used = Set<Int64>()
        for row in rows {
            var key = self.key(createdAt: row.createdAt, versionID: row.versionID)
            while try used.contains(key) || (RawStatement(statement: taken).first({ b in b.int(key) }) { _ in true } ?? false) { key -= 1 }
            used.insert(key)
            // The row carries the item's journal state as it stands (the commit has made its
            // entries); later changes of that state reach the row through the facet triggers.
            let facet = try row.facet ?? RawStatement(statement: facetOf).first({ b in b.int(row.versionID) }) { $0.text(0) ?? notJournaled } ?? notJournaled
            keyed.append((key, facet, row))
            try RawStatement(statement: insertKey).run { b in b.int(row.versionID); b.int(key) }
        }
        let insertText = try db.cachedStatement(sql: "INSERT INTO versionText (rowid, text, author, facet, versionId) VALUES (?, ?, ?, ?, ?)")
        for (key, facet, row) in keyed {
            try RawStatement(statement: insertText).run { b in
                b.int(key); b.text(row.text); b.text(row.author); b.text(facet); b.int(row.versionID)
            }
        }
        // The journaled rows again in the journal's own index (`v5-journal-text`), after
        // the main index's rows so each index gets one segment.
        let insertJournalText = try db.cachedStatement(sql: "INSERT INTO journalText (rowid, text, author, versionId) VALUES (?, ?, ?, ?)")
        for (key, facet, row) in keyed where journalFacets.contains(facet) {
            try RawStatement(statement: insertJournalText).run { b in
                b.int(key); b.text(row.text); b.text(row.author); b.int(row.versionID)
            }
        }
    }

    /// The facets of an entry that stands: its rows are in `journalText` as well.
    static let journalFacets: Set<String> = [JournalStatus.M.rawValue, JournalStatus.J.rawValue]

    /// The two full-text indexes a search can read.
    enum Table: String {
        /// Every version, with its item's journal state in the `facet` column.
        case main = "versionText"
        /// Only the versions of standing entries (`v5-journal-text`); no facet column.
        case journal = "journalText"

        /// The table a search reads: the journal's own index when only standing entries
        /// can match (the journaled filter, or status M or J), else the main index.
        static func reading(journaled: Bool?, status: JournalStatus?) -> Table {
            journaled == true || status.map({ journalFacets.contains($0.rawValue) }) == true ? .journal : .main
        }

        var name: String { rawValue }

        /// Whether words must be kept off a facet column (see `SearchQuery.mayMatchOneLetterTokens`).
        var hasFacets: Bool { self == .main }

        /// bm25's column weights: text and author count, the rest not.
        var bm25Weights: String { self == .main ? "1.0, 1.0, 0.0, 0.0" : "1.0, 1.0, 0.0" }
    }

    /// The FTS5 expression of the journal filters, over the facet column alone; nil when
    /// neither is set. `journaled` means an entry whose status is not U (as `search` says).
    static func facetExpression(journaled: Bool?, status: JournalStatus?) -> String? {
        var allowed: Set<String> = ["M", "J", "U", notJournaled]
        if let journaled { allowed.formIntersection(journaled ? ["M", "J"] : ["U", notJournaled]) }
        if let status { allowed.formIntersection([status.rawValue]) }
        guard journaled != nil || status != nil else { return nil }
        // An empty set cannot match: a token no row carries says so to FTS5.
        let tokens = allowed.isEmpty ? ["none"] : allowed.sorted()
        return "facet : (" + tokens.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
    }
}
