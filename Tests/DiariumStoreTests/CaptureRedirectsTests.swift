import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// A capture's redirects are kept with it (`v6-capture-redirects`) and read back with
/// its provenance; rows from before the migration, or with hops that cannot be read,
/// read as captures without redirects.
@Suite("Capture redirects")
struct CaptureRedirectsTests {
    static let hops = [
        RedirectHop(url: "https://social.example.org/old/1", status: 301, location: "https://social.example.org/moved/1"),
        RedirectHop(url: "https://social.example.org/moved/1", status: 302, location: "/api/v1/statuses/1"),
    ]

    @Test("a redirected capture is stored under its final URL with its hops, and read back in show's and export's reads")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let capture = Capture(url: "https://social.example.org/api/v1/statuses/1", status: 200, headers: [HTTPHeader("Content-Type", "application/json")],
                              body: Data("{}".utf8), capturedAt: Date(), redirects: Self.hops)
        let item = RegistryTests.item("1", text: "Hvordan søker jeg?")
        _ = try registry.commit(RegistryBatch(account: "etaten", platform: .mastodon, checkpoint: Checkpoint(["newestId": "1"]), captures: [capture],
                                              versions: [DecidedVersion(item: item, decision: RegistryTests.decision("1", journal: true), captureIndex: 0)]))

        let detail = try #require(try registry.detail(of: ItemReference(account: nil, id: "1")))
        let stored = try #require(detail.versions.first?.capture)
        #expect(stored.url == "https://social.example.org/api/v1/statuses/1")
        #expect(stored.redirects == Self.hops)
        #expect(stored.requestedURL == "https://social.example.org/old/1")
        #expect(stored.sha256 == capture.sha256)
        let exported = try registry.exportCaptures(from: "2026-11-20", to: "2026-11-20")
        #expect(exported.map(\.redirects) == [Self.hops])
        let column = try registry.pool.read { db in try String.fetchOne(db, sql: "SELECT redirects FROM capture") }
        #expect(column == (try JSONLines.encode(Self.hops)))
    }

    @Test("captures from before the migration read as unredirected; unreadable hops read as none, never an error")
    func migrationAndUnreadableRows() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("r.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try RegistrySchema.migrator.migrate(queue, upTo: "v5-journal-text")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO account (key, platform) VALUES ('etaten', 'mastodon');
                    INSERT INTO blob (sha256, size, body) VALUES ('b', 2, x'5B5D');
                    INSERT INTO capture (id, account, method, url, status, headers, sha256, capturedAt)
                        VALUES (1, 'etaten', 'GET', 'https://social.example.org/x', 200, '[]', 'b', '2026-11-20T09:00:00Z');
                    INSERT INTO quarantine (account, captureId, problem, at) VALUES ('etaten', 1, 'test', '2026-11-20T09:00:00Z');
                    """)
            }
        }
        let registry = try Registry(path: path)
        #expect(try registry.exportCaptures(from: "2026-11-20", to: "2026-11-20").map(\.redirects) == [[]])
        try registry.pool.write { db in try db.execute(sql: "UPDATE capture SET redirects = '{not json' WHERE id = 1") }
        let read = try registry.exportCaptures(from: "2026-11-20", to: "2026-11-20")
        #expect(read.map(\.url) == ["https://social.example.org/x"])
        #expect(read.map(\.redirects) == [[]])
    }
}
