import GRDB

/// The tables of the records officer's disposal workflow (migration `v8-disposal`):
/// legal holds, numbered disposal plans and the items they list, and the tombstones of
/// disposed items with the captured bodies their disposal removed. Every row is sealed
/// in the change log (`SealKind.hold` … `.disposedBody`), so `verify` tells a lawful
/// disposal from a deletion behind the program's back.
enum DisposalSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            -- A legal hold: while it stands (releasedAt NULL) no item it covers is disposed.
            -- scope 'item': target is a JSON array of "ACCOUNT:ID"; 'thread': "ACCOUNT:ROOT";
            -- 'account': the account key; 'query': {"query", "from", "to"} as JSON.
            CREATE TABLE legalHold (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                scope TEXT NOT NULL CHECK (scope IN ('item', 'thread', 'account', 'query')),
                target TEXT NOT NULL,
                reason TEXT NOT NULL,
                placedAt TEXT NOT NULL,
                placedBy TEXT NOT NULL,
                releasedAt TEXT,
                releasedBy TEXT,
                releaseReason TEXT
            );

            -- A numbered disposal plan (kassasjonsliste / gallringsunderlag): the items due
            -- on `asOf`, and once executed, when, by whom and why.
            CREATE TABLE disposalPlan (
                id INTEGER PRIMARY KEY,
                asOf TEXT NOT NULL,
                madeAt TEXT NOT NULL,
                madeBy TEXT NOT NULL,
                executedAt TEXT,
                executedBy TEXT,
                executeReason TEXT
            );

            -- Each item a plan lists: 'due' (K, period ended, not held, not journaled),
            -- 'held' (due but covered by the holds named), 'review' (G, review day passed).
            CREATE TABLE disposalPlanItem (
                id INTEGER PRIMARY KEY,
                planId INTEGER NOT NULL REFERENCES disposalPlan(id),
                itemId INTEGER NOT NULL REFERENCES item(id),
                status TEXT NOT NULL CHECK (status IN ('due', 'held', 'review')),
                rule TEXT NOT NULL,
                retention TEXT NOT NULL,
                period TEXT,
                ends TEXT NOT NULL,
                basis TEXT,
                holds TEXT,
                UNIQUE (planId, itemId)
            );
            CREATE INDEX disposalPlanItemPlan ON disposalPlanItem(planId, status);

            -- What stays of a disposed item besides its item row (account, platform, kind,
            -- creation, case file): the decision it was disposed under, the plan, when,
            -- by whom and why, and the hashes of every version's content ("N:HASH ...").
            -- The bodies removed, and those kept as evidence of other items, by SHA-256.
            CREATE TABLE tombstone (
                id INTEGER PRIMARY KEY,
                itemId INTEGER NOT NULL UNIQUE REFERENCES item(id),
                planId INTEGER REFERENCES disposalPlan(id),
                rule TEXT NOT NULL,
                retention TEXT NOT NULL,
                period TEXT,
                basis TEXT,
                contentHashes TEXT NOT NULL,
                removedBodies TEXT NOT NULL,
                keptBodies TEXT NOT NULL,
                disposedAt TEXT NOT NULL,
                disposedBy TEXT NOT NULL,
                reason TEXT NOT NULL
            );

            -- A captured body removed by a disposal: `verify` accepts its absence only
            -- because this sealed row says so.
            CREATE TABLE disposedBody (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                size INTEGER NOT NULL,
                tombstoneId INTEGER NOT NULL REFERENCES tombstone(id),
                disposedAt TEXT NOT NULL
            );

            -- A version is still never changed, except that a disposed item's content is
            -- blanked (its number, hash and capture stay as the tombstone's evidence).
            DROP TRIGGER itemVersionNeverChanged;
            CREATE TRIGGER itemVersionNeverChanged BEFORE UPDATE ON itemVersion
            WHEN NOT EXISTS (SELECT 1 FROM tombstone t WHERE t.itemId = OLD.itemId)
              OR NEW.itemId IS NOT OLD.itemId OR NEW.number IS NOT OLD.number
              OR NEW.contentHash IS NOT OLD.contentHash OR NEW.captureId IS NOT OLD.captureId
              OR NEW.editedAt IS NOT OLD.editedAt
            BEGIN SELECT RAISE(ABORT, 'an item version is never changed'); END;
            """)
    }
}
