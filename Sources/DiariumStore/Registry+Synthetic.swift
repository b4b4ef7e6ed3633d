import DiariumCore
import Foundation
import GRDB

extension Registry {
    /// Fills the registry with `count` generated items for benchmarks (search latency,
    /// the journal of a busy day): realistic rows in every table a reader touches, written
    /// in large transactions straight through SQL, because the ingest path is measured
    /// separately. Never used on a real registry.
    public func loadSyntheticItems(count: Int, account: String = "bench", days: [String], journalEvery: Int = 5,
                                   texts: [String], names: [String]) throws {
        let now = Timestamp.format(Date())
        let blobBody = Data("[]".utf8)
        let blobHash = SHA256.hexDigest(blobBody)
        let batch = 50_000
        var start = 0
        while start < count {
            let end = min(count, start + batch)
            let first = start
            try write("synthetic items") { db in
                try db.execute(sql: "INSERT INTO account (key, platform) VALUES (?, 'mastodon') ON CONFLICT(key) DO NOTHING", arguments: [account])
                try db.execute(sql: "INSERT INTO blob (sha256, size, body) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING", arguments: [blobHash, blobBody.count, blobBody])
                try db.execute(sql: "INSERT INTO capture (account, method, url, status, headers, sha256, capturedAt) VALUES (?, 'GET', 'http://127.0.0.1/bench', 200, '[]', ?, ?)",
                               arguments: [account, blobHash, now])
                let captureID = db.lastInsertedRowID
                let insertItem = try db.makeStatement(sql: """
                    INSERT INTO item (account, platformId, platform, kind, agency, threadRoot, createdAt, day, firstCapturedAt, currentVersion)
                    VALUES (?, ?, 'mastodon', ?, ?, ?, ?, ?, ?, 1)
                    """)
                let insertVersion = try db.makeStatement(sql: "INSERT INTO itemVersion (itemId, number, contentHash, json, captureId) VALUES (?, 1, ?, ?, ?)")
                let insertDecision = try db.makeStatement(sql: "INSERT INTO decision (itemId, versionId, json, journal, restricted, profile, decidedAt) VALUES (?, ?, ?, ?, 0, 'no@bench', ?)")
                let insertEntry = try db.makeStatement(sql: "INSERT INTO journalEntry (itemId, year, sequence, type, status, registeredAt) VALUES (?, 2026, ?, 'I', 'M', ?)")
                var searchRows: [SearchIndex.Row] = []
                for n in first..<end {
                    let id = String(200_000_000_000_000_000 + n)
                    let agency = n % 10 == 0
                    // In time order, as an archive fills: a day's items sit together in the
                    // file (spread round-robin, every page held 1 % of each day).
                    let perDay = max(1, (count + days.count - 1) / days.count)
                    let day = days[min(days.count - 1, n / perDay)]
                    let second = (n % perDay) * 86_400 / perDay
                    let createdAt = "\(day)T\(String(format: "%02d:%02d:%02d", second / 3600, (second / 60) % 60, second % 60))Z"
                    let name = names[n % names.count]
                    let text = texts[n % texts.count] + " #\(n % 1000)"
                    let item = Item(platform: .mastodon, account: account, id: id, kind: agency ? .post : .reply,
                                    author: Author(id: "\(n % 997)", handle: name.lowercased(), name: name, agency: agency),
                                    threadRoot: id, createdAt: Timestamp.parse(createdAt), text: text)
                    try insertItem.execute(arguments: [account, id, agency ? "post" : "reply", agency, id, createdAt, day, now])
                    let itemID = db.lastInsertedRowID
                    try insertVersion.execute(arguments: [itemID, Registry.contentHash(of: item), item.jsonText, captureID])
                    let versionID = db.lastInsertedRowID
                    let journal = !agency && n % journalEvery == 1
                    let decision = Decision(id: id, account: account, journal: journal, type: agency ? .U : .I, status: journal ? .M : nil,
                                            access: .open, retention: journal ? .B : .G, rules: [journal ? "NO-case" : "NO-comment"],
                                            reason: journal ? "NO-case: benchmark." : "NO-comment: benchmark.", profile: "no@bench")
                    try insertDecision.execute(arguments: [itemID, versionID, decision.jsonText, journal, now])
                    if journal { try insertEntry.execute(arguments: [itemID, n + 1, now]) }
                    // After the journal entries and every other write, as ingest does.
                    searchRows.append(SearchIndex.Row(versionID: versionID, createdAt: item.createdAt ?? Date(), text: text, author: name))
                }
                try SearchIndex.insert(db, rows: searchRows)
            }
            start = end
        }
    }
}
