import DiariumCore
import Foundation
import GRDB

/// A media file waiting to be downloaded.
public struct PendingMedia: Sendable, Hashable {
    public var id: Int64
    public var account: String
    public var url: String
    public var attempts: Int
}

/// A downloaded (or not yet downloaded) media file of an item version.
public struct MediaRecord: Sendable, Hashable {
    public var url: String
    public var declaredType: String?
    public var description: String?
    public var sha256: String?
    public var contentType: String?
    public var size: Int?
    public var fetchedAt: String?
    public var attempts: Int
    public var lastError: String?
    public var versionNumber: Int
}

extension Registry {
    /// Media of the account still to fetch, oldest first, whose retry time has come.
    public func pendingMedia(account: String, limit: Int, now: Date = Date(), maxAttempts: Int = 6) throws -> [PendingMedia] {
        try read("pending media of '\(account)'") { db in
            try Row.fetchAll(db, sql: """
                SELECT id, account, url, attempts FROM media
                WHERE account = ? AND sha256 IS NULL AND attempts < ? AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?)
                ORDER BY id LIMIT ?
                """, arguments: [account, maxAttempts, Timestamp.format(now), limit]).map {
                PendingMedia(id: $0["id"], account: $0["account"], url: $0["url"], attempts: $0["attempts"])
            }
        }
    }

    /// Stores a downloaded file: its bytes content-addressed, the download as a capture,
    /// and a change-log entry, in one transaction.
    public func storeMedia(id: Int64, download: Capture, now: Date = Date()) throws {
        try write("a media file") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT m.account, i.platformId FROM media m JOIN item i ON i.id = m.itemId WHERE m.id = ?", arguments: [id]) else { return }
            let account: String = row["account"]
            try db.execute(sql: "INSERT INTO blob (sha256, size, body) VALUES (?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET body = excluded.body WHERE length(blob.body) != blob.size",
                           arguments: [download.sha256, download.body.count, download.body])
            let headers = try JSONLines.encode(download.headers.map { [$0.name, $0.value] })
            try db.execute(sql: "INSERT INTO capture (account, method, url, status, headers, sha256, capturedAt, redirects) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [account, download.method, download.url, download.status, headers, download.sha256, Timestamp.format(download.capturedAt), JSONLines.encode(download.redirects)])
            let captureID = db.lastInsertedRowID
            var log = try ChangeLogWriter(db)
            try log.seal(db, .capture, captureID)
            try db.execute(sql: """
                UPDATE media SET sha256 = ?, contentType = ?, size = ?, captureId = ?, fetchedAt = ?, attempts = attempts + 1, lastError = NULL, nextAttemptAt = NULL
                WHERE id = ?
                """, arguments: [download.sha256, download.headers.value(for: "Content-Type"), download.body.count, captureID, Timestamp.format(now), id])
            try log.seal(db, .mediaFile, id)
            try log.append(db, at: now, actor: "diarium", action: "media", subject: "\(account):\(row["platformId"] as String)",
                           details: "\(download.url) sha256 \(download.sha256) \(download.body.count) bytes")
        }
    }

    /// Notes a failed download and when to try again.
    public func recordMediaFailure(id: Int64, error: String, retryAt: Date) throws {
        try write("a media failure") { db in
            try db.execute(sql: "UPDATE media SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE id = ?",
                           arguments: [error, Timestamp.format(retryAt), id])
        }
    }

    /// Every media file of an item, by version.
    public func media(of reference: ItemReference) throws -> [MediaRecord] {
        guard let rowID = try resolve(reference) else { return [] }
        return try read("media of \(reference)") { db in
            try Row.fetchAll(db, sql: """
                SELECT m.*, v.number FROM media m JOIN itemVersion v ON v.id = m.versionId WHERE m.itemId = ? ORDER BY v.number, m.id
                """, arguments: [rowID]).map {
                MediaRecord(url: $0["url"], declaredType: $0["declaredType"], description: $0["description"], sha256: $0["sha256"],
                            contentType: $0["contentType"], size: $0["size"], fetchedAt: $0["fetchedAt"], attempts: $0["attempts"],
                            lastError: $0["lastError"], versionNumber: $0["number"])
            }
        }
    }

    /// When the account may be polled again after it was found unavailable (nil: now).
    public func backoffUntil(account: String) throws -> Date? {
        try read("the backoff of '\(account)'") { db in
            try String.fetchOne(db, sql: "SELECT backoffUntil FROM account WHERE key = ?", arguments: [account]).flatMap(Timestamp.parse)
        }
    }

    /// The account's recorded events, newest first.
    public func accountEvents(account: String) throws -> [(kind: String, detail: String, detectedAt: String)] {
        try read("events of '\(account)'") { db in
            try Row.fetchAll(db, sql: "SELECT kind, detail, detectedAt FROM accountEvent WHERE account = ? ORDER BY id DESC", arguments: [account])
                .map { ($0["kind"], $0["detail"], $0["detectedAt"]) }
        }
    }
}
