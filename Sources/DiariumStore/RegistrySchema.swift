import Foundation
import GRDB

/// The registry's schema, as explicit, named, ordered migrations. A migration is
/// never edited once released; a change is a new migration appended here.
///
/// Conventions (GRDB's recommendations): singular camelCase table names, an `id`
/// primary key, timestamps as RFC 3339 text in UTC (sortable, readable in sqlite3).
enum RegistrySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                -- One row per configured account; the checkpoint moves in the same
                -- transaction as the items it covers.
                CREATE TABLE account (
                    key TEXT PRIMARY KEY,
                    platform TEXT NOT NULL,
                    checkpoint TEXT NOT NULL DEFAULT '{}',
                    lastSuccessAt TEXT,
                    lastErrorAt TEXT,
                    lastError TEXT
                );

                -- Response bodies, content-addressed: identical bytes are stored once.
                CREATE TABLE blob (
                    sha256 TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    body BLOB NOT NULL
                );

                -- One HTTP response that produced an item, a version, a deletion or a
                -- quarantined payload: request, status, headers and the body's hash.
                CREATE TABLE capture (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    method TEXT NOT NULL,
                    url TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    headers TEXT NOT NULL,
                    sha256 TEXT NOT NULL REFERENCES blob(sha256),
                    capturedAt TEXT NOT NULL
                );

                -- A thread is a case file (saksmappe / ärende).
                CREATE TABLE caseFile (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    threadRoot TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    createdAt TEXT NOT NULL,
                    UNIQUE (account, threadRoot),
                    UNIQUE (year, sequence)
                );

                -- An item as the platform identifies it; its content lives in versions.
                CREATE TABLE item (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    platformId TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    agency INTEGER NOT NULL,
                    inReplyTo TEXT,
                    threadRoot TEXT,
                    caseFileId INTEGER REFERENCES caseFile(id),
                    createdAt TEXT,
                    day TEXT NOT NULL,
                    firstCapturedAt TEXT NOT NULL,
                    currentVersion INTEGER NOT NULL,
                    deletedAt TEXT,
                    deletedHow TEXT,
                    deletionCaptureId INTEGER REFERENCES capture(id),
                    UNIQUE (account, platformId)
                );
                CREATE INDEX itemDay ON item(day);
                CREATE INDEX itemPlatformId ON item(platformId);

                -- Every version ever captured; never updated, never deleted.
                CREATE TABLE itemVersion (
                    id INTEGER PRIMARY KEY,
                    itemId INTEGER NOT NULL REFERENCES item(id),
                    number INTEGER NOT NULL,
                    contentHash TEXT NOT NULL,
                    json TEXT NOT NULL,
                    editedAt TEXT,
                    captureId INTEGER NOT NULL REFERENCES capture(id),
                    UNIQUE (itemId, number),
                    UNIQUE (itemId, contentHash)
                );

                -- The rulebook's decision for each version, with profile and rules.
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY,
                    itemId INTEGER NOT NULL REFERENCES item(id),
                    versionId INTEGER NOT NULL REFERENCES itemVersion(id),
                    json TEXT NOT NULL,
                    journal INTEGER NOT NULL,
                    restricted INTEGER NOT NULL,
                    profile TEXT NOT NULL,
                    decidedAt TEXT NOT NULL
                );
                CREATE INDEX decisionItem ON decision(itemId);

                -- Journal entries (journalpost / registrering). Year and sequence are
                -- assigned once and never change or repeat; rows are never deleted.
                CREATE TABLE journalEntry (
                    id INTEGER PRIMARY KEY,
                    itemId INTEGER NOT NULL UNIQUE REFERENCES item(id),
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    registeredAt TEXT NOT NULL,
                    journalDate TEXT,
                    UNIQUE (year, sequence)
                );
                CREATE TRIGGER journalEntryNeverDeleted BEFORE DELETE ON journalEntry
                BEGIN SELECT RAISE(ABORT, 'a journal entry is never deleted'); END;
                CREATE TRIGGER journalEntryNumberFrozen BEFORE UPDATE OF year, sequence ON journalEntry
                BEGIN SELECT RAISE(ABORT, 'a journal number never changes'); END;
                CREATE TRIGGER itemVersionNeverChanged BEFORE UPDATE ON itemVersion
                BEGIN SELECT RAISE(ABORT, 'an item version is never changed'); END;
                CREATE TRIGGER itemVersionNeverDeleted BEFORE DELETE ON itemVersion
                BEGIN SELECT RAISE(ABORT, 'an item version is never deleted'); END;

                -- The last sequence number given per year and series ('journal', 'case').
                CREATE TABLE numberSeries (
                    series TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    last INTEGER NOT NULL,
                    PRIMARY KEY (series, year)
                );

                -- Payloads that could not be read, kept for inspection.
                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    captureId INTEGER NOT NULL REFERENCES capture(id),
                    problem TEXT NOT NULL,
                    at TEXT NOT NULL
                );

                -- Append-only, hash-chained log of everything that changes the record.
                CREATE TABLE changeLog (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    details TEXT NOT NULL,
                    previousHash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );

                -- Full-text index over every version's text, author and account.
                CREATE VIRTUAL TABLE versionText USING fts5(
                    text, author, account UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
                );
                """)
        }
        migrator.registerMigration("v2-media-and-account-events") { db in
            try db.execute(sql: """
                -- Images and video attached to item versions, downloaded apart from the
                -- poll (a failed download is retried later and never blocks a cycle).
                -- The bytes are a blob like any response body; the download is a capture.
                CREATE TABLE media (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    itemId INTEGER NOT NULL REFERENCES item(id),
                    versionId INTEGER NOT NULL REFERENCES itemVersion(id),
                    url TEXT NOT NULL,
                    declaredType TEXT,
                    description TEXT,
                    sha256 TEXT REFERENCES blob(sha256),
                    contentType TEXT,
                    size INTEGER,
                    captureId INTEGER REFERENCES capture(id),
                    fetchedAt TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lastError TEXT,
                    nextAttemptAt TEXT,
                    UNIQUE (versionId, url)
                );
                CREATE INDEX mediaPending ON media(account, nextAttemptAt) WHERE sha256 IS NULL;

                -- Changes to an archived account itself: renamed, suspended, deleted, protected.
                CREATE TABLE accountEvent (
                    id INTEGER PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(key),
                    kind TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    detectedAt TEXT NOT NULL,
                    captureId INTEGER REFERENCES capture(id)
                );
                ALTER TABLE account ADD COLUMN backoffUntil TEXT;
                ALTER TABLE account ADD COLUMN unavailableCount INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v3-search-indexes") { db in
            try db.execute(sql: """
                -- Newest-first listing walks this index instead of sorting.
                CREATE INDEX itemNewest ON item(COALESCE(createdAt, firstCapturedAt) DESC, id DESC);
                CREATE INDEX itemVersionItem ON itemVersion(itemId);
                CREATE INDEX journalEntryStatus ON journalEntry(status);

                -- The full-text index is keyed by time: rowid = the item's creation second
                -- << 24, plus the version id's low bits. A newest-first search then reads
                -- the matches in rowid order and stops after the first page, instead of
                -- fetching and sorting every match (100,000s for a common word).
                DROP TABLE versionText;
                CREATE VIRTUAL TABLE versionText USING fts5(
                    text, author, versionId UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
                );
                INSERT INTO versionText (rowid, text, author, versionId)
                SELECT (CAST(strftime('%s', COALESCE(i.createdAt, i.firstCapturedAt)) AS INTEGER) << 24) + (v.id & 16777215),
                       json_extract(v.json, '$.text'),
                       trim(COALESCE(json_extract(v.json, '$.author.name'), '') || ' ' || COALESCE(json_extract(v.json, '$.author.handle'), '')),
                       v.id
                FROM itemVersion v JOIN item i ON i.id = v.itemId;
                """)
        }
        migrator.registerMigration("v3-users") { db in
            try db.execute(sql: """
                -- People who may use the web page, with their role. The password is kept
                -- only as a slow, salted hash (PBKDF2-HMAC-SHA256, parameters in the text).
                CREATE TABLE webUser (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL CHECK (role IN ('officer', 'auditor', 'admin')),
                    passwordHash TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    updatedAt TEXT NOT NULL
                );

                -- Logged-in sessions of the web page. Only the SHA-256 of the session
                -- token is stored, so a copy of the registry cannot be used to log in.
                CREATE TABLE webSession (
                    tokenHash TEXT PRIMARY KEY,
                    userName TEXT NOT NULL REFERENCES webUser(name) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    expiresAt TEXT NOT NULL
                );
                CREATE INDEX webSessionExpiry ON webSession(expiresAt);
                """)
        }
        migrator.registerMigration("v4-search-facets") { db in
            try db.execute(sql: """
                -- The journal filters of a search (journaled, status) were checked by a row
                -- lookup per full-text match: a common word whose items are mostly not
                -- journaled read every match (1.5 s over a million items). Each row of the
                -- index now carries its item's journal state as one token in `facet`
                -- (M, J, U, or N for no entry), so FTS5 intersects words and state inside
                -- the index. searchKey finds an item's rows when its state changes.
                ALTER TABLE versionText RENAME TO versionTextV3;
                CREATE VIRTUAL TABLE versionText USING fts5(
                    text, author, facet, versionId UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
                );
                CREATE TABLE searchKey (versionId INTEGER PRIMARY KEY, key INTEGER NOT NULL);
                INSERT INTO searchKey (versionId, key) SELECT versionId, rowid FROM versionTextV3;
                INSERT INTO versionText (rowid, text, author, facet, versionId)
                SELECT o.rowid, o.text, o.author, COALESCE(j.status, 'N'), o.versionId
                FROM versionTextV3 o LEFT JOIN itemVersion v ON v.id = o.versionId LEFT JOIN journalEntry j ON j.itemId = v.itemId;
                DROP TABLE versionTextV3;

                -- The newest-first index carries the day: a day-range listing walks it from
                -- the range's end and rejects the rows of the time-zone margin (up to half a
                -- day) by the index alone, without reading each item's row.
                DROP INDEX itemNewest;
                CREATE INDEX itemNewest ON item(COALESCE(createdAt, firstCapturedAt) DESC, id DESC, day);

                CREATE TRIGGER journalEntrySearchFacet AFTER INSERT ON journalEntry
                BEGIN
                    UPDATE versionText SET facet = NEW.status
                    WHERE rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                      AND facet IS NOT NEW.status;
                END;
                CREATE TRIGGER journalEntryStatusSearchFacet AFTER UPDATE OF status ON journalEntry WHEN NEW.status IS NOT OLD.status
                BEGIN
                    UPDATE versionText SET facet = NEW.status
                    WHERE rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                      AND facet IS NOT NEW.status;
                END;
                """)
        }
        migrator.registerMigration("v5-journal-text") { db in
            try db.execute(sql: """
                -- A second full-text index holding only the versions of items whose journal
                -- entry stands (status M or J). A search with the journaled filter reads it
                -- alone: intersecting a word with the facet token walked both lists to the
                -- end when the word's items were seldom journaled (25 ms over a million
                -- items for a search that finds nothing). Same keys as versionText; no
                -- prefix indexes (a prefix query over the smaller index scans its terms).
                CREATE VIRTUAL TABLE journalText USING fts5(
                    text, author, versionId UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
                );
                INSERT INTO journalText (rowid, text, author, versionId)
                SELECT rowid, text, author, versionId FROM versionText WHERE facet IN ('M', 'J');

                -- The facet triggers keep journalText in step too, and now run only for an
                -- item whose rows are already in the index (a known item given an entry
                -- later, or a status change). A new item's rows are written with its state
                -- at the end of its commit: touching the index from every journal insert
                -- made FTS5 flush its pending rows into a segment per statement.
                DROP TRIGGER journalEntrySearchFacet;
                DROP TRIGGER journalEntryStatusSearchFacet;
                CREATE TRIGGER journalEntrySearchFacet AFTER INSERT ON journalEntry
                WHEN EXISTS (SELECT 1 FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                BEGIN
                    UPDATE versionText SET facet = NEW.status
                    WHERE rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                      AND facet IS NOT NEW.status;
                    INSERT INTO journalText (rowid, text, author, versionId)
                    SELECT t.rowid, t.text, t.author, t.versionId FROM versionText t
                    WHERE NEW.status IN ('M', 'J')
                      AND t.rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId);
                END;
                CREATE TRIGGER journalEntryStatusSearchFacet AFTER UPDATE OF status ON journalEntry
                WHEN NEW.status IS NOT OLD.status
                 AND EXISTS (SELECT 1 FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                BEGIN
                    UPDATE versionText SET facet = NEW.status
                    WHERE rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId)
                      AND facet IS NOT NEW.status;
                    DELETE FROM journalText
                    WHERE NEW.status NOT IN ('M', 'J')
                      AND rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId);
                    INSERT INTO journalText (rowid, text, author, versionId)
                    SELECT t.rowid, t.text, t.author, t.versionId FROM versionText t
                    WHERE NEW.status IN ('M', 'J') AND OLD.status NOT IN ('M', 'J')
                      AND t.rowid IN (SELECT k.key FROM itemVersion v JOIN searchKey k ON k.versionId = v.id WHERE v.itemId = NEW.itemId);
                END;

                -- Covered by UNIQUE (itemId, number): one index fewer to write per version.
                DROP INDEX itemVersionItem;
                -- A bare platform id is resolved through UNIQUE (account, platformId), one
                -- probe per account (`Registry.resolve`); one index fewer per item.
                DROP INDEX itemPlatformId;
                """)
        }
        migrator.registerMigration("v6-capture-redirects") { db in
            try db.execute(sql: """
                -- The redirects followed before a capture's URL answered, as a JSON array of
                -- {"url", "status", "location"} in order: the capture's url names where the
                -- bytes came from, and these say how the request got there. Captures from
                -- before this migration were never followed through a redirect by record.
                ALTER TABLE capture ADD COLUMN redirects TEXT NOT NULL DEFAULT '[]';
                """)
        }
        migrator.registerMigration("v7-integrity") { db in
            // Every row an output reads is sealed in the change log from now on (see
            // `RowSeal`). The rows already there are sealed as they stand, in entries of
            // their own, so `verify` vouches for them from the upgrade on; the entries
            // before keep their first hash form (`seals` NULL).
            try db.execute(sql: """
                ALTER TABLE changeLog ADD COLUMN seals TEXT;

                -- RFC 3161 answers of a time-stamping authority for a head of the change
                -- log ([integrity] tsa_url): proof that the chain had reached that entry
                -- by the time the authority signed.
                CREATE TABLE chainTimestamp (
                    id INTEGER PRIMARY KEY,
                    headId INTEGER NOT NULL,
                    headHash TEXT NOT NULL,
                    authority TEXT NOT NULL,
                    answer BLOB NOT NULL,
                    stampedAt TEXT NOT NULL
                );
                """)
            try sealExistingRows(db)
        }
        migrator.registerMigration("v8-disposal", migrate: DisposalSchema.migrate)
        migrator.registerMigration("v9-access-requests") { db in
            try db.execute(sql: """
                -- Answered access requests (innsynskrav / begäran om allmän handling): who
                -- answered which request, when, in which format and language, and the SHA-256
                -- of the document handed over. Sealed in the change log like every record.
                CREATE TABLE accessRequest (
                    id INTEGER PRIMARY KEY,
                    reference TEXT NOT NULL,
                    answeredAt TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    format TEXT NOT NULL,
                    language TEXT NOT NULL,
                    documentSha256 TEXT NOT NULL
                );
                CREATE INDEX accessRequestReference ON accessRequest(reference);

                -- Each item an answer covered: released whole, in part (what was withheld
                -- and on which legal basis), or withheld whole. `show ID` lists these.
                CREATE TABLE accessRequestItem (
                    id INTEGER PRIMARY KEY,
                    requestId INTEGER NOT NULL REFERENCES accessRequest(id),
                    itemId INTEGER NOT NULL REFERENCES item(id),
                    outcome TEXT NOT NULL CHECK (outcome IN ('released', 'partly', 'withheld')),
                    withheld TEXT NOT NULL
                );
                CREATE INDEX accessRequestItemItem ON accessRequestItem(itemId);
                """)
        }
        migrator.registerMigration("v10-version-returns", migrate: VersionReturnSchema.migrate)
        migrator.registerMigration("v11-lookup-indexes") { db in
            try db.execute(sql: """
                -- Lookups that read a whole table once per item, found by `make bench`'s
                -- lifecycle rows (an access answer of 500 items took 24 s on 20,000 items;
                -- a disposal ran at 172 items/s and slowed as it went):
                -- an item's history (show, the item page, the access answer, the exports' change log),
                CREATE INDEX changeLogSubject ON changeLog(subject);
                -- whether a captured body is still needed by a kept item (disposal),
                CREATE INDEX itemVersionCapture ON itemVersion(captureId);
                -- and an item's media, and a body's or a capture's media (show, disposal).
                CREATE INDEX mediaItem ON media(itemId);
                CREATE INDEX mediaCapture ON media(captureId);
                CREATE INDEX mediaBody ON media(sha256);
                """)
        }
        return migrator
    }

    /// Seals every existing row of every kind, at most 5,000 seals per change-log entry.
    static func sealExistingRows(_ db: Database, now: Date = Date()) throws {
        var log = try ChangeLogWriter(db)
        var scratch: [UInt8] = []
        // Only the kinds whose table exists at this step: a later migration creates its
        // tables empty, with nothing to seal.
        for kind in SealKind.allCases where try db.tableExists(kind.table) {
            let page = try db.makeStatement(sql: kind.selectPage)
            var after: Int64 = Int64.min
            while true {
                var seals: [RowSeal] = []
                try RawStatement(statement: page).forEach({ b in b.int(after) }) { row in seals.append(RowSeal.of(kind, row, scratch: &scratch)) }
                guard let last = seals.last else { break }
                for seal in seals { log.add(seal) }
                try log.flush(db, at: now, actor: "diarium", subject: "registry")
                after = last.rowID
            }
        }
    }
}
