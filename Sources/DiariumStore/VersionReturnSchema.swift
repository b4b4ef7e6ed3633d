import GRDB

/// v10: an item may hold the same content in two versions, so that an edit back to
/// earlier text is recorded (see `VersionRule`). The first schema made `(itemId,
/// contentHash)` unique, which SQLite can only undo by rebuilding the table: the rows
/// are copied with their ids (so every seal in the change log still matches them), the
/// triggers that name the table (its own guards, and the journal's search triggers) are
/// kept verbatim and made again, and foreign keys are checked at the end (GRDB's deferred
/// checks). An index on `(itemId, contentHash)` keeps "seen before" one probe.
enum VersionReturnSchema {
    static func migrate(_ db: Database) throws {
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%itemVersion%' ORDER BY name
            """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger.name.quotedDatabaseIdentifier)") }
        try db.execute(sql: """
            CREATE TABLE itemVersionRebuilt (
                id INTEGER PRIMARY KEY,
                itemId INTEGER NOT NULL REFERENCES item(id),
                number INTEGER NOT NULL,
                contentHash TEXT NOT NULL,
                json TEXT NOT NULL,
                editedAt TEXT,
                captureId INTEGER NOT NULL REFERENCES capture(id),
                UNIQUE (itemId, number)
            );
            INSERT INTO itemVersionRebuilt (id, itemId, number, contentHash, json, editedAt, captureId)
                SELECT id, itemId, number, contentHash, json, editedAt, captureId FROM itemVersion ORDER BY id;
            DROP TABLE itemVersion;
            ALTER TABLE itemVersionRebuilt RENAME TO itemVersion;
            CREATE INDEX itemVersionContent ON itemVersion(itemId, contentHash);
            """)
        for trigger in triggers { try db.execute(sql: trigger.sql) }
    }
}
