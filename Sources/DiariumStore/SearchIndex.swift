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

    /// Adds a version's text; a key already taken (two versions of the same second whose
    /// ids share their low 24 bits, 16 million versions apart) moves one down.
    static func insert(_ db: Database, versionID: Int64, createdAt: Date, text: String, author: String) throws {
        var key = self.key(createdAt: createdAt, versionID: versionID)
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM versionText WHERE rowid = ?"), arguments: [key]) ?? false {
            key -= 1
        }
        // The row carries the item's journal state as it stands (the commit makes the entry
        // first); later changes of that state reach the row through the facet triggers.
        let facet = try String.fetchOne(db.cachedStatement(sql: """
            SELECT j.status FROM itemVersion v JOIN journalEntry j ON j.itemId = v.itemId WHERE v.id = ?
            """), arguments: [versionID]) ?? notJournaled
        try db.cachedStatement(sql: "INSERT INTO versionText (rowid, text, author, facet, versionId) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [key, text, author, facet, versionID])
        try db.cachedStatement(sql: "INSERT INTO searchKey (versionId, key) VALUES (?, ?)").execute(arguments: [versionID, key])
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
