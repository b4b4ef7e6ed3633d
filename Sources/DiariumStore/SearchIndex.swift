import DiariumCore
import Foundation
import GRDB

/// The full-text index's keys: the item's creation second in the high bits, the
/// version id's low 24 bits below, so rowid order is newest-first order (see the
/// `v3-search-indexes` migration).
enum SearchIndex {
    static func key(createdAt: Date, versionID: Int64) -> Int64 {
        (Int64(createdAt.timeIntervalSince1970.rounded(.down)) << 24) + (versionID & 0xFF_FFFF)
    }

    /// The smallest key of a moment (for rowid range bounds).
    static func lowerBound(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) << 24 }

    /// Adds a version's text; a key already taken (two versions of the same second whose
    /// ids share their low 24 bits, 16 million versions apart) moves one down.
    static func insert(_ db: Database, versionID: Int64, createdAt: Date, text: String, author: String) throws {
        var key = self.key(createdAt: createdAt, versionID: versionID)
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM versionText WHERE rowid = ?"), arguments: [key]) ?? false {
            key -= 1
        }
        try db.cachedStatement(sql: "INSERT INTO versionText (rowid, text, author, versionId) VALUES (?, ?, ?, ?)")
            .execute(arguments: [key, text, author, versionID])
    }
}
