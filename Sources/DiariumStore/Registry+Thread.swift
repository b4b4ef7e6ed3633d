import DiariumCore
import Foundation
import GRDB

extension Registry {
    /// Every item of the thread (case file) an item belongs to, the root first, then in
    /// time order: the web page's item view shows the conversation around one item.
    public func thread(of reference: ItemReference) throws -> [ItemRecord] {
        guard let rowID = try resolve(reference) else { return [] }
        return try read("the thread of \(reference)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT account, platformId, threadRoot FROM item WHERE id = ?", arguments: [rowID]) else { return [] }
            let account: String = row["account"]
            let root: String = (row["threadRoot"] as String?) ?? row["platformId"]
            return try Row.fetchAll(db, sql: Self.recordSelect + """
                 WHERE i.account = ? AND (i.threadRoot = ? OR i.platformId = ?)
                ORDER BY i.platformId <> ?, COALESCE(i.createdAt, i.firstCapturedAt), i.id
                """, arguments: [account, root, root, root]).map(Self.record)
        }
    }
}
