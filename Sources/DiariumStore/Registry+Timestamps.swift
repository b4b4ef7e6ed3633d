import DiariumCore
import Foundation
import GRDB

/// An RFC 3161 answer kept for a head of the change log.
public struct ChainTimestamp: Sendable, Hashable {
    public var id: Int64
    public var head: ChainHead
    /// The authority's URL.
    public var authority: String
    /// The whole TimeStampResp as received (DER), for `openssl ts -verify -in`.
    public var answer: Data
    public var stampedAt: String
}

extension Registry {
    /// Keeps an authority's answer for `head`, sealed and logged like every other write.
    public func storeTimestamp(head: ChainHead, authority: String, answer: Data, now: Date = Date()) throws {
        try write("a time-stamp of the change log") { db in
            try db.execute(sql: "INSERT INTO chainTimestamp (headId, headHash, authority, answer, stampedAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [head.id, head.hash, authority, answer, Timestamp.format(now)])
            var log = try ChangeLogWriter(db)
            try log.seal(db, .timestamp, db.lastInsertedRowID)
            try log.append(db, at: now, actor: "diarium", action: "timestamp", subject: "chain",
                           details: "head \(head) stamped by \(authority) (\(answer.count) bytes)")
        }
    }

    /// Every kept answer, oldest first.
    public func timestamps() throws -> [ChainTimestamp] {
        try read("the time-stamps") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chainTimestamp ORDER BY id").map {
                ChainTimestamp(id: $0["id"], head: ChainHead(id: $0["headId"], hash: $0["headHash"]), authority: $0["authority"],
                               answer: $0["answer"], stampedAt: $0["stampedAt"])
            }
        }
    }
}
