import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// A row edited behind the registry's back (or written by a version that stored a date it
/// cannot read back) is named by every read, and never blinds the read to the other items.
@Suite("Damaged rows")
struct DamagedRecordTests {
    typealias R = RegistryTests

    /// A post, a journaled question edited once, a comment and a restricted message, all
    /// in one thread of one day.
    func withThread(_ body: (Registry, String) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("registry.sqlite").path
        let registry = try Registry(path: path)
        let post = (R.item("1", text: "Ny ordning for bostøtte", agency: true, kind: .post), R.decision("1", journal: false))
        let question = (R.item("2", text: "Hvordan søker jeg?", replyTo: "1", root: "1"), R.decision("2", journal: true))
        let comment = (R.item("3", text: "Bra tiltak!", replyTo: "1", root: "1"), R.decision("3", journal: false))
        let message = (R.item("4", text: "Jeg har en diagnose og trenger hjelp?", replyTo: "1", root: "1"), R.decision("4", journal: true, restricted: true))
        _ = try registry.commit(R.batch([post, question, comment, message]))
        var edited = question
        edited.0.text = "Hvordan søker jeg om bostøtte?"
        edited.0.editedAt = Timestamp.parse("2026-11-20T10:00:00Z")
        _ = try registry.commit(R.batch([edited], body: "[edited]"))
        try body(registry, path)
    }

    /// Writes `json` over a version's JSON straight through SQL, as someone editing the
    /// file would: the trigger that forbids it goes first.
    static func corruptVersion(_ path: String, id: String, number: Int = 1, _ json: (String) -> String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS itemVersionNeverChanged")
            let rowID = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE platformId = ?", arguments: [id]))
            let old = try #require(try String.fetchOne(db, sql: "SELECT json FROM itemVersion WHERE itemId = ? AND number = ?", arguments: [rowID, number]))
            try db.execute(sql: "UPDATE itemVersion SET json = ? WHERE itemId = ? AND number = ?", arguments: [json(old), rowID, number])
        }
    }

    static func corruptDecision(_ path: String, id: String, _ json: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE decision SET json = ? WHERE itemId = (SELECT id FROM item WHERE platformId = ?)", arguments: [json, id])
        }
    }

    /// The ways a stored item JSON goes bad, and the words that name each.
    static let corruptions: [(name: String, edit: @Sendable (String) -> String, says: String)] = [
        ("malformed JSON", { _ in "{\"id\": \"3\", \"kind\": " }, "not valid JSON"),
        ("a date that does not parse", { $0.replacingOccurrences(of: "2026-11-20T09:00:00Z", with: "10000-12-31T23:59:59Z") },
         "createdAt '10000-12-31T23:59:59Z' is not a date"),
        ("a wrong type", { $0.replacingOccurrences(of: "\"text\":\"Bra tiltak!\"", with: "\"text\":42") }, "text is not a string"),
        ("an unknown enum value", { $0.replacingOccurrences(of: "\"kind\":\"reply\"", with: "\"kind\":\"story\"") }, "kind:"),
    ]

    @Test("one damaged version: search, journal, review queue, thread, show and the export selection read every other item and name it",
          arguments: 0..<4)
    func damagedVersion(index: Int) throws {
        let corruption = Self.corruptions[index]
        try withThread { registry, path in
            try Self.corruptVersion(path, id: "3", corruption.edit)
            func check(_ records: [ItemRecord], _ what: String) throws {
                let damaged = try #require(records.first { $0.item.id == "3" }, "\(what): the damaged item is listed")
                #expect(damaged.damaged.count == 1, "\(what)")
                let d = try #require(damaged.damaged.first)
                #expect(d.reference == "etaten:3" && d.version == 1 && d.part == .item, "\(what)")
                #expect(d.problem.contains(corruption.says), "\(what): \(d.problem)")
                #expect(d.description.hasPrefix("etaten:3 version 1: the stored item could not be read: "))
                #expect(damaged.item.kind == .reply && damaged.item.threadRoot == "1" && damaged.item.inReplyTo == "1", "\(what): the facts of its columns")
                for record in records where record.item.id != "3" {
                    #expect(record.damaged.isEmpty && !record.item.text.isEmpty, "\(what): \(record.item.id)")
                }
            }
            let all = try registry.search("")
            #expect(Set(all.map(\.item.id)) == ["1", "2", "3", "4"])
            try check(all, "search")
            try check(try registry.search("bra"), "search for a word")
            let journal = try registry.journal(day: "2026-11-20")
            #expect(journal.count == 4)
            try check(journal, "journal")
            try check(try registry.thread(of: ItemReference(account: "etaten", id: "2")), "thread")
            let selection = try registry.exportSelection(from: "2026-11-20", to: "2026-11-20")
            #expect(selection.items.count == 4)
            #expect(selection.damaged.map(\.reference) == ["etaten:3"])
            try check(selection.items.map(\.record), "export")
            #expect(try registry.reviewQueue().map(\.item.id) == ["2", "4"])

            let detail = try #require(try registry.detail(of: ItemReference(account: nil, id: "3")))
            #expect(detail.damaged.map(\.reference) == ["etaten:3"])
            #expect(detail.record.decision?.rules == ["NO-comment"], "the decision still reads")
            #expect(detail.versions.count == 1 && detail.versions[0].capture.sha256.count == 64)
        }
    }

    @Test("a date that does not parse is the only thing left out: the rest of the item reads")
    func badDateKeepsTheText() throws {
        try withThread { registry, path in
            try Self.corruptVersion(path, id: "3", Self.corruptions[1].edit)
            let record = try #require(try registry.search("").first { $0.item.id == "3" })
            #expect(record.item.text == "Bra tiltak!" && record.item.author.name == "Kari Nordmann" && record.item.createdAt == nil)
            #expect(record.damaged.first?.problem == "createdAt '10000-12-31T23:59:59Z' is not a date; shown without it")
        }
    }

    @Test("an older damaged version is named in show; the current version and the lists are sound")
    func olderVersion() throws {
        try withThread { registry, path in
            try Self.corruptVersion(path, id: "2", number: 1) { _ in "[]" }
            #expect(try registry.search("").allSatisfy(\.damaged.isEmpty))
            let detail = try #require(try registry.detail(of: ItemReference(account: "etaten", id: "2")))
            #expect(detail.record.item.text == "Hvordan søker jeg om bostøtte?")
            #expect(detail.versions.map(\.number) == [1, 2])
            #expect(detail.versions[0].damaged.map(\.version) == [1])
            #expect(detail.versions[0].item.id == "2" && detail.versions[0].item.text.isEmpty)
            #expect(detail.versions[1].damaged.isEmpty && detail.versions[1].item.text == "Hvordan søker jeg om bostøtte?")
            #expect(detail.damaged.map(\.description) == ["etaten:2 version 1: the stored item could not be read: not a JSON object; shown from the item's columns (no text or author)"])
            let selection = try registry.exportSelection(from: "2026-11-20", to: "2026-11-20")
            #expect(selection.damaged.map(\.version) == [1])
            #expect(selection.items.first { $0.record.item.id == "2" }?.versions.map(\.number) == [1, 2])
        }
    }

    @Test("a damaged item that others answer does not fail their reads (its author is what they would show)")
    func damagedParent() throws {
        try withThread { registry, path in
            try Self.corruptVersion(path, id: "1") { _ in "{not json" }
            let journal = try registry.journal(day: "2026-11-20")
            #expect(journal.count == 4)
            #expect(journal.filter { !$0.damaged.isEmpty }.map(\.item.id) == ["1"])
            #expect(journal.first { $0.item.id == "1" }?.item.author.agency == true, "agency from the item's columns")
            #expect(journal.first { $0.item.id == "2" }?.answeredAuthor == nil)
            #expect(try registry.reviewQueue().count == 2)
        }
    }

    @Test("a journaled item whose decision cannot be read stays journaled and screened for the next version's decision")
    func damagedDecisionKeepsJournaled() throws {
        try withThread { registry, path in
            try Self.corruptDecision(path, id: "2", "{not json")
            try Self.corruptDecision(path, id: "3", "{not json")
            let prior = try registry.priorStates(account: "etaten", ids: ["2", "3"])
            let question = try #require(prior["2"])
            #expect(question.journalNumber != nil)
            #expect(question.decision.journal)
            #expect(question.decision.access.restricted)
            #expect(prior["3"] == nil, "a comment with no entry and no readable decision is decided afresh")
        }
    }

    @Test("a decision that cannot be read leaves the item without one, named, and screened as restricted", arguments: [
        "{broken", #"{"id":"4","journal":true,"type":"Q","retention":"B"}"#, #"{"id":"4","journal":"yes","type":"I","retention":"B"}"#,
    ])
    func damagedDecision(json: String) throws {
        try withThread { registry, path in
            try Self.corruptDecision(path, id: "4", json)
            for records in [try registry.search(""), try registry.journal(day: "2026-11-20"), try registry.reviewQueue(),
                            try registry.thread(of: ItemReference(account: "etaten", id: "1"))] {
                let record = try #require(records.first { $0.item.id == "4" })
                #expect(record.decision == nil)
                #expect(record.item.text == "Jeg har en diagnose og trenger hjelp?")
                #expect(record.damaged.map(\.part) == [.decision])
                #expect(record.damaged.first?.description.hasPrefix("etaten:4 version 1: the stored decision could not be read: ") == true)
                #expect(record.access == .unreadable && record.access.screensName && record.access.screensTitle)
                #expect(records.filter { $0.item.id != "4" }.allSatisfy { $0.damaged.isEmpty && $0.decision != nil })
            }
            let detail = try #require(try registry.detail(of: ItemReference(account: "etaten", id: "4")))
            #expect(detail.damaged.map(\.part) == [.decision])
            #expect(detail.versions[0].decision == nil && detail.versions[0].item.text.hasPrefix("Jeg har"))
            #expect(try registry.exportSelection(from: "2026-11-20", to: "2026-11-20").damaged.map(\.part) == [.decision])
        }
    }
}
