import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// The auditor's attack: write access to a copy of the registry file. Each tampering runs
/// on its own registry, built by every normal action first (cycles, an edit, a deletion,
/// a quarantined payload, an account event, a media download, approval, overrides, user
/// changes), so a passing `verify` before it shows the seals follow the program, and a
/// failing one after it shows they catch the change, named.
@Suite("Integrity")
struct IntegrityTests {
    typealias R = RegistryTests

    /// Every kind of write the program makes, on a fresh registry at `path`.
    static func everyNormalAction(_ registry: Registry) throws {
        let now = Date()
        var post = R.item("1", text: "Ny ordning for bostøtte", agency: true, kind: .post)
        post.attachments = [Attachment(url: "https://files.example.org/plakat.png", mediaType: "image", description: "Plakat")]
        let question = R.item("2", text: "Hvordan søker jeg?", replyTo: "1", root: "1")
        let comment = R.item("3", text: "Fint!", replyTo: "1", root: "1")
        let other = R.item("4", text: "Jeg vil klage på vedtaket", replyTo: "1", root: "1")
        let proposal = R.item("5", text: "Hva koster det?", replyTo: "1", root: "1")
        var first = R.batch([(post, R.decision("1", journal: false)), (question, R.decision("2", journal: true)),
                             (comment, R.decision("3", journal: false)), (other, R.decision("4", journal: false)),
                             (proposal, R.decision("5", journal: true))])
        first.captures.append(R.capture("{not json", url: "https://social.example.org/api/v1/notifications"))
        first.quarantined = [QuarantineMark(problem: "malformed JSON at byte 1", captureIndex: 1)]
        first.accountEvents = [AccountEventMark(kind: "renamed", detail: "handle changed from @etat to @etaten", detectedAt: now, captureIndex: nil, unavailable: false)]
        try registry.commit(first, now: now)

        // An edit (a second version) and a deletion with its evidence.
        var edited = question
        edited.text = "Hvordan søker jeg om bostøtte?"
        var second = R.batch([(edited, R.decision("2", journal: true))], body: "[edited]")
        second.captures.append(R.capture("{\"error\":\"Record not found\"}", url: "https://social.example.org/api/v1/statuses/3"))
        second.deletions = [DeletionMark(itemID: "3", detectedAt: now, how: "lookup 404", captureIndex: 1)]
        try registry.commit(second, now: now)

        let pending = try registry.pendingMedia(account: "etaten", limit: 5, now: now)
        try #require(pending.count == 1)
        try registry.storeMedia(id: pending[0].id, download: Capture(url: pending[0].url, status: 200, headers: [HTTPHeader("Content-Type", "image/png")],
                                                                     body: Data([0x89, 0x50, 0x4E, 0x47]), capturedAt: now), now: now)
        try registry.recordFailure(account: "etaten", platform: .mastodon, message: "timeout", at: now)

        try registry.setUser(name: "kari", role: .officer, passwordHash: "pbkdf2-sha256$1$00$00", actor: "root", now: now)
        try registry.setUser(name: "kari", role: .auditor, passwordHash: "pbkdf2-sha256$1$00$11", actor: "root", now: now)
        try registry.setUser(name: "ola", role: .officer, passwordHash: "pbkdf2-sha256$1$00$22", actor: "root", now: now)
        try registry.removeUser(name: "ola", actor: "root", now: now)

        _ = try registry.override(ItemReference(account: "etaten", id: "4"), actor: "kari", change: OfficerOverride(journal: true, reason: "En klage"), day: "2026-11-21", now: now)
        _ = try registry.override(ItemReference(account: "etaten", id: "5"), actor: "kari", change: OfficerOverride(journal: false, reason: "Besvart i tråden"), day: "2026-11-21", now: now)
        _ = try registry.override(ItemReference(account: "etaten", id: "1"), actor: "kari", change: OfficerOverride(restricted: true, basis: "offl. § 13", reason: "Navn"), day: "2026-11-21", now: now)
        _ = try registry.approve(ItemReference(account: "etaten", id: "2"), actor: "kari", day: "2026-11-21", now: now)
    }

    static func withFixture(witness: Bool = false, _ body: (Registry, TemporaryDirectory) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("registry.sqlite").path,
                                    witness: witness ? ChainWitness(path: dir.file("witness").path) : nil)
        try everyNormalAction(registry)
        try body(registry, dir)
    }

    @Test("every normal action leaves a registry that verifies, and every row it wrote is sealed")
    func normalActionsVerify() throws {
        try Self.withFixture { registry, _ in
            let report = try registry.verify()
            #expect(report.problems == [], "\(report.problems)")
            #expect(report.warnings.isEmpty)
            #expect(report.rowsChecked > 20)
            let unsealed = try registry.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM changeLog WHERE seals IS NULL") }
            #expect(unsealed == 0)
        }
    }

    /// Each: the SQL an adversary runs (triggers dropped first where they stand in the
    /// way), and words the one-sentence report must hold.
    static let tamperings: [(sql: String, expect: [String])] = [
        // Provenance of a capture.
        ("UPDATE capture SET url = 'https://forged.example.org/' WHERE id = 1", ["capture 1", "url"]),
        ("UPDATE capture SET status = 203 WHERE id = 1", ["capture 1", "status"]),
        ("UPDATE capture SET capturedAt = '2020-01-01T00:00:00Z' WHERE id = 1", ["capture 1", "capturedAt"]),
        ("UPDATE capture SET headers = '[]' WHERE id = 1", ["capture 1", "headers"]),
        ("UPDATE capture SET method = 'POST' WHERE id = 2", ["capture 2", "method"]),
        ("UPDATE capture SET redirects = '[{\"url\":\"https://social.example.org/old\",\"status\":301,\"location\":\"/api/v1/statuses/1/context\"}]' WHERE id = 1", ["capture 1", "redirects"]),
        // Deletion marks.
        ("UPDATE item SET deletedAt = '2026-11-22T00:00:00Z', deletedHow = 'lookup 404', deletionCaptureId = 1 WHERE platformId = '2'", ["deletion mark", "etaten:2", "added"]),
        ("UPDATE item SET deletedAt = NULL, deletedHow = NULL, deletionCaptureId = NULL WHERE platformId = '3'", ["deletion mark", "etaten:3", "erased"]),
        ("UPDATE item SET deletedHow = 'officer' WHERE platformId = '3'", ["etaten:3", "deletedHow"]),
        // Item facts.
        ("UPDATE item SET createdAt = '2026-10-01T09:00:00Z' WHERE platformId = '2'", ["item", "etaten:2", "createdAt"]),
        ("UPDATE item SET day = '2026-10-01' WHERE platformId = '2'", ["etaten:2", "day"]),
        ("UPDATE item SET kind = 'message' WHERE platformId = '2'", ["etaten:2", "kind"]),
        ("UPDATE item SET agency = 1 WHERE platformId = '2'", ["etaten:2", "agency"]),
        ("UPDATE item SET caseFileId = NULL WHERE platformId = '2'", ["etaten:2", "caseFileId"]),
        ("UPDATE item SET currentVersion = 1 WHERE platformId = '2'", ["etaten:2", "current"]),
        // Versions: fields outside the text too.
        ("DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET json = replace(json, 'Kari Nordmann', 'Per Hansen') WHERE id = 2", ["item version 2", "etaten:2", "json"]),
        ("DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET json = replace(json, 'https://', 'http://') WHERE id = 1", ["item version 1", "json"]),
        ("DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET editedAt = '2026-11-20T10:00:00Z' WHERE id = 1", ["item version 1", "editedAt"]),
        ("DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET captureId = 2 WHERE id = 1", ["item version 1", "captureId"]),
        ("DROP TRIGGER itemVersionNeverDeleted; DELETE FROM decision WHERE versionId = 6; DELETE FROM itemVersion WHERE id = 6", ["item version row 6", "deleted"]),
        // Journal entries.
        ("UPDATE journalEntry SET status = 'M' WHERE itemId = 2", ["journal entry", "etaten:2", "status"]),
        ("UPDATE journalEntry SET status = 'U' WHERE itemId = 2", ["journal entry", "status"]),
        ("UPDATE journalEntry SET journalDate = '2026-12-24' WHERE itemId = 2", ["journal entry", "journalDate"]),
        ("UPDATE journalEntry SET type = 'N' WHERE itemId = 2", ["journal entry", "type"]),
        ("DROP TRIGGER journalEntryNeverDeleted; DELETE FROM journalEntry WHERE itemId = 2", ["journal entry row", "deleted"]),
        ("DROP TRIGGER journalEntryNumberFrozen; UPDATE journalEntry SET sequence = 77 WHERE itemId = 2", ["journal entry", "sequence"]),
        ("INSERT INTO journalEntry (itemId, year, sequence, type, status, registeredAt) VALUES (3, 2026, 50, 'I', 'J', '2026-11-20T09:00:00Z')", ["journal entry", "added"]),
        // Decisions: the JSON and the columns queries filter on.
        ("UPDATE decision SET journal = 0 WHERE id = 2", ["decision 2", "journal"]),
        ("UPDATE decision SET restricted = 0 WHERE id = (SELECT MAX(id) FROM decision)", ["decision", "restricted"]),
        ("UPDATE decision SET json = replace(json, '\"journal\":true', '\"journal\":false') WHERE id = 2", ["decision 2", "json"]),
        ("DELETE FROM decision WHERE id = 3", ["decision row 3", "deleted"]),
        ("INSERT INTO decision (itemId, versionId, json, journal, restricted, profile, decidedAt) SELECT itemId, versionId, json, 0, 0, profile, decidedAt FROM decision WHERE id = 2", ["decision", "added"]),
        // Case files.
        ("UPDATE caseFile SET sequence = 99", ["case file", "sequence"]),
        ("UPDATE caseFile SET threadRoot = '2'", ["case file", "threadRoot"]),
        // Media, quarantine, account events, users.
        ("UPDATE media SET url = 'https://forged.example.org/x.png'", ["media file", "url"]),
        ("UPDATE media SET description = 'Noe annet'", ["media file", "description"]),
        ("UPDATE media SET contentType = 'text/html'", ["media download", "contentType"]),
        ("UPDATE quarantine SET problem = 'nothing wrong'", ["quarantine record", "problem"]),
        ("DELETE FROM quarantine", ["quarantine record row", "deleted"]),
        ("UPDATE accountEvent SET detail = 'nothing happened'", ["account event", "detail"]),
        ("UPDATE webUser SET role = 'admin' WHERE name = 'kari'", ["web user", "kari", "role"]),
        ("UPDATE webUser SET passwordHash = 'pbkdf2-sha256$1$00$ff' WHERE name = 'kari'", ["web user", "passwordHash"]),
        ("INSERT INTO webUser (name, role, passwordHash, createdAt, updatedAt) VALUES ('mallory', 'admin', 'x', 'now', 'now')", ["web user", "mallory", "behind the program's back"]),
        ("DELETE FROM webUser WHERE name = 'kari'", ["web user row", "deleted"]),
        // Bodies and derived consistency.
        ("INSERT INTO blob (sha256, size, body) VALUES ('\(SHA256.hexDigest(Data("forged".utf8)))', 6, CAST('forged' AS BLOB))", ["belongs to no capture", "added"]),
        ("UPDATE blob SET body = CAST('tampered' AS BLOB) WHERE rowid = 1", ["altered after capture"]),
        ("UPDATE numberSeries SET last = 1 WHERE series = 'journal'", ["number series", "repeat"]),
        // The full-text indexes search reads.
        ("DELETE FROM versionText WHERE versionId = 2", ["search index", "etaten:2", "missing"]),
        ("UPDATE versionText SET text = 'casino bitcoin' WHERE versionId = 1", ["search index", "etaten:1", "text"]),
        ("UPDATE versionText SET facet = 'N' WHERE versionId = 6", ["search index", "journal state"]),
        ("DELETE FROM journalText WHERE versionId = 6", ["journal's search index", "missing"]),
        ("INSERT INTO versionText (rowid, text, author, facet, versionId) VALUES (42, 'forged', 'x', 'N', 1)", ["search index holds"]),
        // The chain itself.
        ("UPDATE changeLog SET seals = NULL WHERE id = 3", ["entry 3", "altered"]),
        ("UPDATE changeLog SET seals = replace(seals, 'capture 1 ', 'capture 9 ') WHERE id = (SELECT MIN(id) FROM changeLog WHERE seals LIKE '%capture 1 %')", ["altered"]),
        ("UPDATE changeLog SET details = 'rewritten' WHERE id = 2", ["entry 2", "altered"]),
        ("DELETE FROM changeLog WHERE id = 2", ["entry 2 is missing"]),
    ]

    @Test("verify names every tampering: table, row, item and field", arguments: 0..<tamperings.count)
    func tampering(index: Int) throws {
        let (sql, expected) = Self.tamperings[index]
        try Self.withFixture { registry, _ in
            try registry.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.inTransaction { try db.execute(sql: sql); return .commit }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
            let report = try registry.verify()
            let problem = try #require(report.problems.first, "no mismatch reported after: \(sql)")
            let all = report.problems.joined(separator: " | ")
            for word in expected {
                #expect(all.contains(word), "after \(sql): \(all)")
            }
            #expect(!problem.contains("\n"))
        }
    }

    @Test("an approval undone consistently (status back, its entry removed) passes alone, fails against the witness and an anchor")
    func truncation() throws {
        try Self.withFixture(witness: true) { registry, dir in
            let head = try #require(try registry.head())
            let witness = ChainWitness(path: dir.file("witness").path)
            #expect(try witness.heads().last == ChainHead(id: head.id, hash: head.hash, at: head.at))
            #expect(try registry.verify(anchors: [head], witness: witness).problems == [])

            try registry.pool.write { db in
                try db.execute(sql: "UPDATE journalEntry SET status = 'M', journalDate = NULL WHERE itemId = 2")
                try db.execute(sql: "DELETE FROM changeLog WHERE id = ?", arguments: [head.id])
            }
            // The chain alone cannot tell: it is consistent, only shorter.
            #expect(try registry.verify().problems == [])
            let witnessed = try registry.verify(witness: witness).problems
            #expect(witnessed.count == 1)
            #expect(witnessed.first?.contains("entry \(head.id)") == true)
            #expect(witnessed.first?.contains("removed") == true)
            let anchored = try registry.verify(anchors: [head]).problems
            #expect(anchored.first?.contains("anchor \(head.id):") == true)
        }
    }

    @Test("a chain rewritten from an entry on (every hash recomputed) fails against the witness")
    func rewrittenChain() throws {
        try Self.withFixture(witness: true) { registry, dir in
            let witness = ChainWitness(path: dir.file("witness").path)
            try registry.pool.write { db in
                // Recompute every hash after a changed detail, as a careful forger would.
                try db.execute(sql: "UPDATE changeLog SET details = details || ' ' WHERE id = 3")
                try Self.rehash(db)
            }
            #expect(try registry.verify().problems == [])
            let problems = try registry.verify(witness: witness).problems
            #expect(problems.contains { $0.contains("rewritten") })
        }
    }

    /// Recomputes every entry's hash, as a forger with the program's source would; with
    /// `dropSeals`, in the form entries had before rows were sealed.
    static func rehash(_ db: Database, dropSeals: Bool = false) throws {
        if dropSeals { try db.execute(sql: "UPDATE changeLog SET seals = NULL") }
        var previous = ChangeLogWriter.genesis
        for row in try Row.fetchAll(db, sql: "SELECT * FROM changeLog ORDER BY id") {
            let hash = ChangeLogWriter.hash(previous: previous, at: row["at"], actor: row["actor"], action: row["action"], subject: row["subject"], details: row["details"], seals: row["seals"])
            try db.execute(sql: "UPDATE changeLog SET previousHash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, row["id"] as Int64])
            previous = hash
        }
    }

    @Test("the witness gets every head a writer makes, one line each, in order")
    func witnessLines() throws {
        try Self.withFixture(witness: true) { registry, dir in
            let heads = try ChainWitness(path: dir.file("witness").path).heads()
            #expect(heads.count >= 10)
            #expect(heads.map(\.id) == heads.map(\.id).sorted())
            #expect(heads.last?.id == (try registry.head()?.id))
        }
    }

    @Test("a stored value that cannot be read (an older Diarium's year-10000 date) is a warning naming the item, not a tamper alarm")
    func undecodableIsNotTampering() throws {
        try Self.withFixture { registry, _ in
            try registry.pool.write { db in
                // As an older Diarium stored it, then sealed as it stood by the upgrade.
                try db.execute(sql: "DROP TRIGGER itemVersionNeverChanged")
                try db.execute(sql: "UPDATE itemVersion SET json = replace(json, '2026-11-20T09:00:00Z', '+10000-01-04T23:59:59Z') WHERE id = 3")
                try RegistrySchema.sealExistingRows(db)
            }
            let report = try registry.verify()
            #expect(report.problems == [], "\(report.problems)")
            #expect(report.warnings.count == 1)
            #expect(report.warnings.first?.contains("version 1 of etaten:3") == true)
        }
    }

    @Test("an anchor that is not ID:HASH is not read as one")
    func anchorSyntax() {
        #expect(ChainHead(anchor: "12:" + String(repeating: "a", count: 64)) != nil)
        #expect(ChainHead(anchor: "12:abc") == nil)
        #expect(ChainHead(anchor: "x:" + String(repeating: "a", count: 64)) == nil)
        #expect(ChainHead(anchor: "0:" + String(repeating: "a", count: 64)) == nil)
    }

    @Test("an older registry is sealed as it stands when upgraded, and verifies")
    func upgradeSeals() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("registry.sqlite").path
        do {
            let registry = try Registry(path: path)
            try Self.everyNormalAction(registry)
            // Back to before sealing: the column gone, the migration not applied.
            try registry.pool.write { db in
                try db.execute(sql: "DELETE FROM changeLog WHERE action = 'seal' AND subject = 'registry'")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-integrity'")
                try Self.rehash(db, dropSeals: true)
                try db.execute(sql: "ALTER TABLE changeLog DROP COLUMN seals")
                try db.execute(sql: "DROP TABLE chainTimestamp")
            }
        }
        // A read command refuses the old schema and changes nothing.
        #expect(throws: RegistryError.self) { try Registry(path: path, access: .read) }
        let registry = try Registry(path: path, access: .write)
        let report = try registry.verify()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.rowsChecked > 20)
    }

    @Test("read access: a missing file is one sentence and creates nothing; a foreign file is refused untouched")
    func openModes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = dir.file("sub/registry.sqlite").path
        for access in [RegistryAccess.read, .write] {
            #expect { try Registry(path: missing, access: access) } throws: { error in
                (error as? RegistryError)?.message.contains(missing) == true
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("sub").path))

        let foreign = dir.file("other.sqlite").path
        let queue = try DatabaseQueue(path: foreign)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        for access in [RegistryAccess.read, .write, .create] {
            #expect { try Registry(path: foreign, access: access) } throws: { error in
                (error as? RegistryError)?.message.contains("not a Diarium registry") == true
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
        #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))

        let text = dir.file("notes.txt").path
        try Data("hello, not a database at all".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: RegistryError.self) { try Registry(path: text, access: .read) }
    }

    @Test("a registry in a folder nobody may write (chattr +i) is read and verified; read access refuses writes")
    func immutableFolder() throws {
        try Self.withFixture { registry, dir in
            let path = registry.path
            // Leave no -wal or -shm behind, as a clean snapshot has none.
            try registry.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try (registry.pool as? DatabasePool)?.close()
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let locked = runProgram("/usr/bin/chattr", ["+i", dir.url.path]) == 0
            defer { _ = runProgram("/usr/bin/chattr", ["-i", dir.url.path]) }
            try #require(locked, "chattr +i is needed to make a folder read-only for root")
            let reader = try Registry(path: path, access: .read)
            #expect(try reader.verify().problems == [])
            #expect(try reader.journal(day: "2026-11-20").count == 5)
            #expect(throws: RegistryError.self) { try reader.approve(ItemReference(account: "etaten", id: "2"), actor: "x", day: "2026-11-21") }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        }
    }
}
