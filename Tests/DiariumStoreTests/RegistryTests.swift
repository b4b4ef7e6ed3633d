import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// Tests on real SQLite files in temporary folders.
@Suite("Registry")
struct RegistryTests {
    static func item(_ id: String, text: String, agency: Bool = false, replyTo: String? = nil, root: String? = nil, kind: ItemKind = .reply) -> Item {
        Item(platform: .mastodon, account: "etaten", id: id, kind: kind,
             author: Author(id: agency ? "1" : "9", handle: agency ? "etaten" : "kari", name: agency ? "Etaten" : "Kari Nordmann", agency: agency),
             inReplyTo: replyTo, threadRoot: root ?? id, createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: text)
    }

    static func decision(_ id: String, journal: Bool, restricted: Bool = false) -> Decision {
        Decision(id: id, account: "etaten", journal: journal, type: .I, status: journal ? .M : nil,
                 access: Access(restricted: restricted, basis: restricted ? "offl. § 13" : nil, screen: restricted ? ["NA"] : []),
                 retention: journal ? .B : .G, rules: [journal ? "NO-case" : "NO-comment"], reason: "test", profile: "no@test")
    }

    static func capture(_ body: String, url: String = "https://social.example.org/api/v1/statuses/1/context") -> Capture {
        Capture(url: url, status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: Data(body.utf8), capturedAt: Date())
    }

    static func batch(_ items: [(Item, Decision)], body: String = "[...]", checkpoint: [String: String] = ["newestId": "2"]) -> RegistryBatch {
        RegistryBatch(account: "etaten", platform: .mastodon, checkpoint: Checkpoint(checkpoint), captures: [capture(body)],
                      versions: items.map { DecidedVersion(item: $0.0, decision: $0.1, captureIndex: 0) })
    }

    func withRegistry(_ body: (Registry) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try body(try Registry(path: dir.file("registry.sqlite").path))
    }

    @Test("many openers of a new registry at once (the daemon and a command) all get a migrated registry")
    func concurrentFirstOpen() async throws {
        for _ in 0..<3 {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let path = dir.file("registry.sqlite").path
            let failures = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do { _ = try Registry(path: path).counts(); return nil } catch { return "\(error)" }
                    }
                }
                var failures: [String] = []
                for await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            #expect(failures.isEmpty)
        }
    }

    @Test("a commit stores items, decisions, journal numbers and the checkpoint; the same harvest again stores nothing")
    func idempotent() throws {
        try withRegistry { registry in
            let post = (Self.item("1", text: "Ny ordning", agency: true, kind: .post), Self.decision("1", journal: false))
            let question = (Self.item("2", text: "Hvordan søker jeg?", replyTo: "1", root: "1"), Self.decision("2", journal: true))
            let first = try registry.commit(Self.batch([post, question]))
            #expect(first.newItems == 2)
            #expect(first.journalEntries == 1)
            #expect(first.capturesStored == 1)
            #expect(try registry.checkpoint(account: "etaten")["newestId"] == "2")

            let second = try registry.commit(Self.batch([post, question], checkpoint: ["newestId": "3"]))
            #expect(second.newItems == 0 && second.newVersions == 0 && second.capturesStored == 0)
            #expect(second.unchanged == 2)
            #expect(try registry.counts().versions == 2)
            #expect(try registry.checkpoint(account: "etaten")["newestId"] == "3")

            let journal = try registry.journal(day: "2026-11-20")
            #expect(journal.map(\.item.id) == ["2", "1"])
            #expect(journal[0].journalNumber?.hasSuffix("/000001") == true)
            #expect(journal[0].status == .M)
            #expect(journal[0].caseNumber == journal[1].caseNumber)
            #expect(journal[0].answeredAuthor?.agency == true)
            // The journal reads its rows straight from SQLite; search reads the same rows
            // through GRDB's Row: every field of every record must agree.
            var day = SearchFilter()
            day.from = "2026-11-20"
            day.to = "2026-11-20"
            #expect(Set(journal) == Set(try registry.search("", filter: day)))
        }
    }

    @Test("an edit is a new version; the journal number stays; search finds the old text too")
    func versions() throws {
        try withRegistry { registry in
            try registry.commit(Self.batch([(Self.item("2", text: "Hvordan søker jeg om bostøtte?"), Self.decision("2", journal: true))]))
            var edited = Self.item("2", text: "Hvordan søker jeg om tilskudd?")
            edited.editedAt = Timestamp.parse("2026-11-20T10:00:00Z")
            let summary = try registry.commit(Self.batch([(edited, Self.decision("2", journal: true))], body: "[edited]"))
            #expect(summary.newVersions == 1 && summary.newItems == 0 && summary.journalEntries == 0)
            let detail = try #require(try registry.detail(of: ItemReference(account: nil, id: "2")))
            #expect(detail.versions.map(\.number) == [1, 2])
            #expect(detail.versions[1].item.editedAt != nil)
            #expect(detail.record.journalNumber?.hasSuffix("/000001") == true)
            #expect(try registry.search("bostøtte", limit: 100).map(\.item.id) == ["2"])
            #expect(try registry.search("tilskudd", limit: 100).first?.item.text == "Hvordan søker jeg om tilskudd?")
            #expect(try registry.search("bost*", limit: 100).count == 1)
            #expect(throws: RegistryError.self) { try registry.search("\"unbalanced", limit: 10) }
            let priors = try registry.priorStates(account: "etaten", ids: ["2", "404"])
            #expect(priors["2"]?.journalNumber != nil)
            #expect(priors["404"] == nil)
        }
    }

    @Test("an edit back to earlier text is a new version and the current text is the platform's; an undated repeat of an older state is not")
    func editBackToEarlierText() throws {
        try withRegistry { registry in
            func state(_ text: String, edited: String?) -> Item {
                var item = Self.item("5", text: text)
                item.editedAt = edited.flatMap(Timestamp.parse)
                return item
            }
            func commit(_ item: Item) throws -> CommitSummary { try registry.commit(Self.batch([(item, Self.decision("5", journal: false))], body: item.text)) }
            #expect(try commit(state("Møtet er tirsdag.", edited: nil)).newVersions == 1)
            #expect(try commit(state("Møtet er onsdag.", edited: "2026-11-20T10:00:00Z")).newVersions == 1)
            // Back to A, dated after B: the platform shows A again, and so must the record.
            #expect(try commit(state("Møtet er tirsdag.", edited: "2026-11-20T11:00:00Z")).newVersions == 1)
            var detail = try #require(try registry.detail(of: ItemReference(account: nil, id: "5")))
            #expect(detail.versions.map(\.item.text) == ["Møtet er tirsdag.", "Møtet er onsdag.", "Møtet er tirsdag."])
            #expect(detail.record.item.text == "Møtet er tirsdag.")
            // The same state again, and an older state repeated without a later date (two
            // answers that disagree, or an old edit-history entry): no version.
            #expect(try commit(state("Møtet er tirsdag.", edited: "2026-11-20T11:00:00Z")).newVersions == 0)
            #expect(try commit(state("Møtet er onsdag.", edited: "2026-11-20T10:00:00Z")).newVersions == 0)
            #expect(try commit(state("Møtet er onsdag.", edited: nil)).newVersions == 0)
            detail = try #require(try registry.detail(of: ItemReference(account: nil, id: "5")))
            #expect(detail.versions.count == 3 && detail.record.item.text == "Møtet er tirsdag.")
            // A new edit to B later still is a version.
            #expect(try commit(state("Møtet er onsdag.", edited: "2026-11-20T12:00:00Z")).newVersions == 1)
            #expect(try registry.verify().problem == nil)
        }
    }

    @Test("journal numbers are sequential and never reused; entries cannot be deleted or renumbered")
    func journalNumbers() throws {
        try withRegistry { registry in
            for n in 1...5 {
                try registry.commit(Self.batch([(Self.item("q\(n)", text: "Spørsmål \(n)?"), Self.decision("q\(n)", journal: true))], body: "\(n)"))
            }
            let numbers = try registry.journal(day: "2026-11-20").compactMap(\.journalNumber)
            #expect(numbers.count == 5)
            #expect(Set(numbers).count == 5)
            #expect(numbers.last?.hasSuffix("/000005") == true)
            #expect(throws: (any Error).self) { try registry.pool.write { db in try db.execute(sql: "DELETE FROM journalEntry") } }
            #expect(throws: (any Error).self) { try registry.pool.write { db in try db.execute(sql: "UPDATE journalEntry SET sequence = 99") } }
            #expect(throws: (any Error).self) { try registry.pool.write { db in try db.execute(sql: "UPDATE itemVersion SET json = '{}'") } }
        }
    }

    @Test("a deletion is a mark with evidence; the item and its versions stay")
    func deletion() throws {
        try withRegistry { registry in
            try registry.commit(Self.batch([(Self.item("7", text: "Hei"), Self.decision("7", journal: false))]))
            var batch = RegistryBatch(account: "etaten", platform: .mastodon, checkpoint: nil,
                                      captures: [Self.capture(#"{"error":"Record not found"}"#, url: "https://social.example.org/api/v1/statuses/7")])
            batch.deletions = [DeletionMark(itemID: "7", detectedAt: Date(), how: "direct lookup answered 404", captureIndex: 0)]
            #expect(try registry.commit(batch).deletions == 1)
            let detail = try #require(try registry.detail(of: ItemReference(account: "etaten", id: "7")))
            #expect(detail.record.item.deletedAt != nil)
            #expect(detail.deletedHow == "direct lookup answered 404")
            #expect(detail.deletionCapture?.status == 200)
            #expect(detail.versions.count == 1)
        }
    }

    @Test("verify passes untouched and names the first broken link after tampering", arguments: [
        "UPDATE blob SET body = CAST('tampered' AS BLOB) WHERE rowid = 1",
        "UPDATE changeLog SET details = 'rewritten' WHERE id = 2",
        "DELETE FROM changeLog WHERE id = 2",
        "UPDATE changeLog SET hash = (SELECT hash FROM changeLog WHERE id = 1) WHERE id = 3",
        // Edits that leave the chain intact but change what it vouches for:
        "DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET json = replace(json, 'A?', 'B?') WHERE id = 1",
        "DROP TRIGGER itemVersionNeverDeleted; DELETE FROM versionText WHERE rowid = 2; DELETE FROM decision WHERE versionId = 2; DELETE FROM itemVersion WHERE id = 2",
        "UPDATE decision SET json = replace(json, '\"journal\":true', '\"journal\":false') WHERE id = 1",
        "DROP TRIGGER journalEntryNumberFrozen; UPDATE journalEntry SET sequence = 7",
        "UPDATE itemVersion SET captureId = captureId WHERE 0; INSERT INTO blob VALUES ('00', 1, x'00'); UPDATE capture SET sha256 = '00' WHERE id = 1",
    ])
    func verify(tampering: String) throws {
        try withRegistry { registry in
            try registry.commit(Self.batch([(Self.item("1", text: "A?"), Self.decision("1", journal: true)),
                                            (Self.item("2", text: "B"), Self.decision("2", journal: false))]))
            #expect(try registry.verify().problem == nil)
            try registry.pool.write { db in try db.execute(sql: tampering) }
            let problem = try #require(try registry.verify().problem)
            #expect(!problem.contains("\n"))
        }
    }

    @Test("a registry from a newer Diarium is refused, not touched")
    func newer() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("registry.sqlite").path
        let registry = try Registry(path: path)
        try registry.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        #expect(throws: RegistryError.self) { try Registry(path: path) }
    }

    @Test("an ambiguous bare id names the accounts; ACCOUNT:ID resolves it")
    func ambiguous() throws {
        try withRegistry { registry in
            try registry.commit(Self.batch([(Self.item("5", text: "x"), Self.decision("5", journal: false))]))
            var other = RegistryBatch(account: "etaten-2", platform: .mastodon, checkpoint: nil, captures: [Self.capture("y")])
            other.versions = [DecidedVersion(item: Self.item("5", text: "y"), decision: Self.decision("5", journal: false), captureIndex: 0)]
            try registry.commit(other)
            #expect(throws: RegistryError.self) { try registry.resolve(ItemReference(account: nil, id: "5")) }
            #expect(try registry.detail(of: ItemReference(account: "etaten-2", id: "5"))?.record.item.text == "y")
        }
    }
}
