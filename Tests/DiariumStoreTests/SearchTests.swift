import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

@Suite("Search")
struct SearchTests {
    @Test("the search language becomes FTS5 that cannot fail", arguments: [
        ("bostøtte", #""bostøtte""#),
        ("søk* klage", #""søk"* AND "klage""#),
        (#""søke om" bostøtte"#, #""søke om" AND "bostøtte""#),
        ("klage OR anke", #"("klage" OR "anke")"#),
        ("bostøtte -spam", #"("bostøtte") NOT "spam""#),
        ("NEAR(a b) AND", #""NEAR(a" AND "b)" AND "AND""#),
    ])
    func language(query: String, fts: String) throws {
        #expect(try SearchQuery.ftsExpression(query) == fts)
    }

    @Test("a query that could match a one-letter token is told apart from one that cannot", arguments: [
        ("bostøtte", false), ("casino -bitcoin", false), ("klage OR anke", false), ("\"søke om\"", false), ("ab*", false), ("", false),
        ("m", true), ("n*", true), ("bostøtte -u", true), ("\"a b\"", true), ("x.y", true), ("ñ", true), ("9", true),
    ])
    func oneLetterTokens(query: String, may: Bool) {
        #expect(SearchQuery.mayMatchOneLetterTokens(query) == may)
    }

    @Test("malformed queries are one sentence that explains the language", arguments: ["\"open", "OR klage", "klage OR", "-only -negations", "a*b", "\"\""])
    func malformed(query: String) {
        do {
            _ = try SearchQuery.ftsExpression(query)
            Issue.record("expected an error for \(query)")
        } catch let error as RegistryError {
            #expect(error.message.contains(SearchQuery.syntax))
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("filters: day range, platform, kind, journaled, status, restricted, edited, deleted; relevance order")
    func filters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        var health = RegistryTests.item("h", text: "Jeg har en sykdom, kan dere hjelpe?")
        health.createdAt = Timestamp.parse("2026-11-21T09:00:00Z")
        try registry.commit(RegistryTests.batch([
            (RegistryTests.item("p", text: "Ny ordning for bostøtte", agency: true, kind: .post), RegistryTests.decision("p", journal: false)),
            (RegistryTests.item("q", text: "Hvordan søker jeg om bostøtte? bostøtte bostøtte"), RegistryTests.decision("q", journal: true)),
            (health, RegistryTests.decision("h", journal: true, restricted: true)),
        ]))
        var edited = RegistryTests.item("p", text: "Ny ordning for bostøtte fra mandag", agency: true, kind: .post)
        edited.editedAt = Date()
        try registry.commit(RegistryTests.batch([(edited, RegistryTests.decision("p", journal: false))], body: "edit"))
        func ids(_ query: String = "", _ configure: (inout SearchFilter) -> Void = { _ in }) throws -> [String] {
            var filter = SearchFilter()
            configure(&filter)
            return try registry.search(query, filter: filter).map(\.item.id)
        }
        #expect(try ids() == ["h", "q", "p"] || ids() == ["h", "p", "q"])
        #expect(try ids { $0.from = "2026-11-21" } == ["h"])
        #expect(try Set(ids { $0.to = "2026-11-20" }) == ["p", "q"])
        #expect(try ids { $0.kind = .post } == ["p"])
        #expect(try Set(ids { $0.journaled = true }) == ["q", "h"])
        #expect(try ids { $0.journaled = false } == ["p"])
        #expect(try ids { $0.restricted = true } == ["h"])
        #expect(try ids { $0.edited = true } == ["p"])
        #expect(try ids { $0.deleted = true }.isEmpty)
        #expect(try ids { $0.platform = .bluesky }.isEmpty)
        #expect(try ids { $0.status = .M }.count == 2)
        #expect(try ids("Kari") .count == 2, "author names are searched")
        #expect(try ids("mandag") == ["p"], "the newest version")
        #expect(try ids("bostøtte") .count == 2)
        #expect(try ids("bostøtte") { $0.order = .relevance }.first == "q", "more matches rank first")
    }
}
