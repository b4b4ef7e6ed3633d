import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// v10 lets an item hold the same content twice (an edit back to earlier text). A
/// registry made before it is upgraded in place: its versions keep their ids, so every
/// seal still matches and `verify` passes, the guards against changing or deleting a
/// version still hold, and the next return to earlier text is recorded.
@Suite("Upgrade to v10: an edit back to earlier text")
struct VersionReturnMigrationTests {
    @Test("a registry from before v10 is upgraded with its seals intact, its guards in force, and then records A → B → A")
    func upgrade() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("r.sqlite").path
        func item(_ text: String, edited: String?) -> Item {
            var item = RegistryTests.item("7", text: text)
            item.editedAt = edited.flatMap(Timestamp.parse)
            return item
        }
        func commit(_ registry: Registry, _ item: Item) throws -> CommitSummary {
            try registry.commit(RegistryTests.batch([(item, RegistryTests.decision("7", journal: true))], body: item.text))
        }
        do {
            let registry = try Registry(path: path)
            _ = try commit(registry, item("Kontoret åpner klokka 8.", edited: nil))
            _ = try commit(registry, item("Kontoret åpner klokka 9.", edited: "2026-11-20T10:00:00Z"))
        }
        // Back to the schema before v10: the table as the first schema made it.
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.inTransaction {
                    let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%itemVersion%'")
                    for trigger in triggers { try db.execute(sql: "DROP TRIGGER \((trigger["name"] as String).quotedDatabaseIdentifier)") }
                    try db.execute(sql: """
                        CREATE TABLE old (id INTEGER PRIMARY KEY, itemId INTEGER NOT NULL REFERENCES item(id), number INTEGER NOT NULL,
                            contentHash TEXT NOT NULL, json TEXT NOT NULL, editedAt TEXT, captureId INTEGER NOT NULL REFERENCES capture(id),
                            UNIQUE (itemId, number), UNIQUE (itemId, contentHash));
                        INSERT INTO old SELECT id, itemId, number, contentHash, json, editedAt, captureId FROM itemVersion;
                        DROP TABLE itemVersion;
                        ALTER TABLE old RENAME TO itemVersion;
                        DELETE FROM grdb_migrations WHERE identifier = 'v10-version-returns';
                        """)
                    for trigger in triggers { try db.execute(sql: trigger["sql"] as String) }
                    return .commit
                }
            }
            #expect(throws: (any Error).self) {
                try queue.write { db in
                    try db.execute(sql: "INSERT INTO itemVersion (itemId, number, contentHash, json, captureId) SELECT itemId, 3, contentHash, json, captureId FROM itemVersion WHERE number = 1")
                }
            }
        }
        #expect(throws: RegistryError.self) { try Registry(path: path, access: .read) }

        let upgraded = try Registry(path: path, access: .write)
        #expect(try upgraded.verify().problem == nil, "the versions kept their ids, so their seals still match")
        #expect(try commit(upgraded, item("Kontoret åpner klokka 8.", edited: "2026-11-20T11:00:00Z")).newVersions == 1)
        let detail = try #require(try upgraded.detail(of: ItemReference(account: "etaten", id: "7")))
        #expect(detail.versions.map(\.item.text) == ["Kontoret åpner klokka 8.", "Kontoret åpner klokka 9.", "Kontoret åpner klokka 8."])
        #expect(detail.record.journalNumber != nil && detail.record.item.text == "Kontoret åpner klokka 8.")
        #expect(try upgraded.verify().problem == nil)
        // The guards were made again with the table.
        #expect(throws: (any Error).self) { try upgraded.pool.write { db in try db.execute(sql: "UPDATE itemVersion SET json = '{}' WHERE number = 1") } }
        #expect(throws: (any Error).self) { try upgraded.pool.write { db in try db.execute(sql: "DELETE FROM itemVersion WHERE number = 1") } }
        // And the journal's search triggers, which name the table in their bodies.
        let triggers = try upgraded.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%itemVersion%' ORDER BY name") }
        #expect(triggers == ["itemVersionNeverChanged", "itemVersionNeverDeleted", "journalEntrySearchFacet", "journalEntryStatusSearchFacet"])
        #expect(try upgraded.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }
}

/// v11's indexes: the per-item lookups that read a whole table before (PERFORMANCE.md,
/// "The record's lifecycle") go through an index, as SQLite's own plan says.
@Suite("Per-item lookups use an index")
struct LookupIndexTests {
    @Test("an item's history, a capture's versions and an item's, a body's or a capture's media are looked up by index", arguments: [
        ("SELECT * FROM changeLog WHERE subject = 'etaten:1' ORDER BY id", "changeLogSubject"),
        ("SELECT 1 FROM itemVersion v WHERE v.captureId = 1", "itemVersionCapture"),
        ("SELECT id, sha256, captureId FROM media WHERE itemId = 1", "mediaItem"),
        ("SELECT 1 FROM media WHERE sha256 = 'x' LIMIT 1", "mediaBody"),
        ("SELECT 1 FROM media m WHERE m.captureId = 1", "mediaCapture"),
    ])
    func planned(query: String, index: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let plan = try registry.pool.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query).map { $0["detail"] as String } }
        #expect(plan.contains { $0.contains(index) }, "\(query): \(plan)")
    }
}
