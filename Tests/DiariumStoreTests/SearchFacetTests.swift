import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

@Suite("Search facets and the record reader")
struct SearchFacetTests {
    @Test("the journal filters follow every change of journal state: a new entry, approval, an override, rejection, a new version")
    func journalFacets() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        try registry.commit(RegistryTests.batch([
            (RegistryTests.item("q", text: "Hvordan søker jeg om bostøtte?"), RegistryTests.decision("q", journal: true)),
            (RegistryTests.item("c", text: "Takk for hjelpen med bostøtte"), RegistryTests.decision("c", journal: false)),
            (RegistryTests.item("r", text: "Bostøtte er tull"), RegistryTests.decision("r", journal: true)),
        ]))
        func ids(_ query: String, _ configure: (inout SearchFilter) -> Void) throws -> Set<String> {
            var filter = SearchFilter()
            configure(&filter)
            let newest = Set(try registry.search(query, filter: filter).map(\.item.id))
            filter.order = .relevance
            #expect(Set(try registry.search(query, filter: filter).map(\.item.id)) == newest, "both orders filter alike")
            return newest
        }
        #expect(try ids("bostøtte") { $0.journaled = true } == ["q", "r"])
        #expect(try ids("bostøtte") { $0.journaled = false } == ["c"])
        #expect(try ids("bostøtte") { $0.status = .M } == ["q", "r"])
        #expect(try ids("bostøtte") { $0.status = .J }.isEmpty)

        _ = try registry.approve(ItemReference(account: nil, id: "q"), actor: "ola", day: "2026-11-21")
        #expect(try ids("bostøtte") { $0.status = .J } == ["q"])
        #expect(try ids("bostøtte") { $0.status = .M } == ["r"])

        _ = try registry.override(ItemReference(account: nil, id: "c"), actor: "ola",
                                  change: OfficerOverride(journal: true, reason: "Feedback kept in the case."), day: "2026-11-21")
        _ = try registry.override(ItemReference(account: nil, id: "r"), actor: "ola",
                                  change: OfficerOverride(journal: false, reason: "Not addressed to the agency."), day: "2026-11-21")
        #expect(try ids("bostøtte") { $0.journaled = true } == ["q", "c"])
        #expect(try ids("bostøtte") { $0.journaled = false } == ["r"])
        #expect(try ids("bostøtte") { $0.status = .U } == ["r"])
        #expect(try ids("bostøtte") { $0.journaled = true; $0.status = .U }.isEmpty)

        var edited = RegistryTests.item("q", text: "Hvordan søker jeg om husbanken?")
        edited.editedAt = Date()
        try registry.commit(RegistryTests.batch([(edited, RegistryTests.decision("q", journal: true))], body: "edit"))
        #expect(try ids("husbanken") { $0.status = .J } == ["q"], "a new version of a journaled item carries its state")
        #expect(try ids("bostøtte") { $0.status = .J } == ["q", "c"], "and so do its earlier versions")
        #expect(try ids("husbanken") { $0.journaled = false }.isEmpty)
        #expect(try ids("J") { $0.journaled = true }.isEmpty, "facet tokens are not searchable words")
        #expect(try ids("N") { _ in }.isEmpty, "in the main index either")
        #expect(try ids("u*") { _ in }.isEmpty)
        #expect(try ids("husbanken -u") { _ in } == ["q"])
        #expect(try ids("husbanken OR j") { $0.journaled = false }.isEmpty)
        #expect(try ids("") { $0.journaled = true } == ["q", "c"], "without words, the journal's own index is listed")
        #expect(try ids("husbanken OR tull") { $0.journaled = true } == ["q"])

        // The journal's own index holds exactly the rows of standing entries (M or J).
        let (standing, journalRows) = try registry.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM versionText WHERE facet IN ('M', 'J')") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM journalText") ?? -2)
        }
        #expect(standing == 3 && journalRows == standing)
    }

    @Test("a registry written before the journal's own index finds its journaled items after the upgrade")
    func journalTextMigration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("r.sqlite").path
        // The registry as the previous release left it: migrated up to v4, two items
        // indexed, one of them journaled.
        do {
            let queue = try DatabaseQueue(path: path)
            try RegistrySchema.migrator.migrate(queue, upTo: "v4-search-facets")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO account (key, platform) VALUES ('etaten', 'mastodon');
                    INSERT INTO blob (sha256, size, body) VALUES ('b', 2, x'5B5D');
                    INSERT INTO numberSeries (series, year, last) VALUES ('journal', 2026, 1);
                    INSERT INTO capture (id, account, method, url, status, headers, sha256, capturedAt)
                        VALUES (1, 'etaten', 'GET', 'https://social.example.org/x', 200, '[]', 'b', '2026-11-20T09:00:00Z');
                    """)
                for (n, (id, text, journaled)) in [("q", "Hvordan søker jeg om bostøtte?", true), ("c", "Takk for hjelpen med bostøtte", false)].enumerated() {
                    let rowID = Int64(n + 1)
                    let item = RegistryTests.item(id, text: text)
                    try db.execute(sql: """
                        INSERT INTO item (id, account, platformId, platform, kind, agency, threadRoot, createdAt, day, firstCapturedAt, currentVersion)
                        VALUES (?, 'etaten', ?, 'mastodon', 'reply', 0, ?, '2026-11-20T09:00:00Z', '2026-11-20', '2026-11-20T09:00:00Z', 1)
                        """, arguments: [rowID, id, id])
                    try db.execute(sql: "INSERT INTO itemVersion (id, itemId, number, contentHash, json, captureId) VALUES (?, ?, 1, ?, ?, 1)",
                                   arguments: [rowID, rowID, Registry.contentHash(of: item), item.jsonText])
                    try db.execute(sql: """
                        INSERT INTO decision (itemId, versionId, json, journal, restricted, profile, decidedAt)
                        VALUES (?, ?, ?, ?, 0, 'no@test', '2026-11-20T09:00:00Z')
                        """, arguments: [rowID, rowID, RegistryTests.decision(id, journal: journaled).jsonText, journaled])
                    if journaled {
                        try db.execute(sql: "INSERT INTO journalEntry (itemId, year, sequence, type, status, registeredAt) VALUES (?, 2026, 1, 'I', 'M', '2026-11-20T09:00:00Z')",
                                       arguments: [rowID])
                    }
                    let key = SearchIndex.key(createdAt: item.createdAt!, versionID: rowID)
                    try db.execute(sql: "INSERT INTO versionText (rowid, text, author, facet, versionId) VALUES (?, ?, 'Kari Nordmann kari', ?, ?)",
                                   arguments: [key, text, journaled ? "M" : "N", rowID])
                    try db.execute(sql: "INSERT INTO searchKey (versionId, key) VALUES (?, ?)", arguments: [rowID, key])
                }
            }
        }
        let registry = try Registry(path: path)
        var journaled = SearchFilter()
        journaled.journaled = true
        #expect(try registry.search("bostøtte", filter: journaled).map(\.item.id) == ["q"])
        #expect(try registry.search("", filter: journaled).map(\.item.id) == ["q"])
        journaled.journaled = false
        #expect(try registry.search("bostøtte", filter: journaled).map(\.item.id) == ["c"])
        // The upgraded index follows later changes: an officer takes c into the journal.
        _ = try registry.override(ItemReference(account: nil, id: "c"), actor: "ola",
                                  change: OfficerOverride(journal: true, reason: "Feedback kept in the case."), day: "2026-11-21")
        journaled.journaled = true
        #expect(Set(try registry.search("bostøtte", filter: journaled).map(\.item.id)) == ["q", "c"])
    }

    @Test("the record reader reads what the registry writes exactly as the Codable reader does")
    func recordReader() throws {
        var item = RegistryTests.item("1", text: "Linje 1\nLinje \"2\"\t\\ æøå 👍🏽 \u{1}", agency: true, replyTo: "0")
        item.attachments = [Attachment(url: "https://example.org/a.jpg", mediaType: "image", description: nil),
                            Attachment(url: "https://example.org/b.mp4", mediaType: nil, description: "Båt / \"video\"")]
        item.editedAt = Timestamp.parse("2026-11-20T09:00:01.250Z")
        item.deletedAt = Timestamp.parse("2026-11-21T10:00:00Z")
        item.visibility = .unlisted
        item.language = "nb"
        item.url = "https://social.example.org/@etaten/1"
        let plain = RegistryTests.item("2", text: "")
        for candidate in [item, plain] {
            let json = candidate.jsonText
            #expect(RecordReader.item(json) == (try JSONLines.decode(Item.self, from: json)))
            #expect(RecordReader.item(json) == candidate)
        }
        let decision = Decision(id: "1", account: "etaten", journal: true, type: .U, status: .M,
                                access: Access(restricted: true, basis: "offl. § 13", screen: ["NA", "TRO"]),
                                retention: .B, rules: ["NO-case", "NO-health"], reason: "Helse: \"sykdom\".", profile: "no@test")
        #expect(RecordReader.decision(decision.jsonText) == decision)
        #expect(RecordReader.author(#"{"agency":true,"handle":null,"id":"7","name":"Kari"}"#) == Author(id: "7", name: "Kari", agency: true))

        // JSON other writers may produce: escapes, spacing, unknown keys, missing optional keys.
        let foreign = #" { "id" : "9", "kind":"post", "extra": {"a": [1, -2.5e3, true, null, "x"]}, "text": "\u00e6\ud83d\udc4d\/", "author": {"id": "1", "agency": null} } "#
        #expect(RecordReader.item(foreign) == (try JSONLines.decode(Item.self, from: foreign)))
        // What the Codable reader refuses or defaults differently is left to it.
        for refused in [#"{"id":"9","kind":"tweet"}"#, #"{"kind":"post"}"#, #"{"id":"9","kind":"post","createdAt":"yesterday"}"#,
                        #"{"id":"9","kind":"post","id":"8"}"#, #"{"id":"9","kind":"post","text":"\ud800"}"#, #"{"id":"9","kind":"post"} x"#] {
            #expect(RecordReader.item(refused) == nil, "\(refused)")
        }
    }
}
