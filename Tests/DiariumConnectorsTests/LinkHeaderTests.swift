import DiariumConnectors
import Testing

@Suite struct LinkHeaderTests {
    @Test func mastodonNextAndPrev() {
        let value = "<https://social.example.org/api/v1/accounts/1/statuses?limit=40&max_id=113500000000000400>; rel=\"next\", <https://social.example.org/api/v1/accounts/1/statuses?limit=40&min_id=113500000000000700>; rel=\"prev\""
        let links = LinkHeader.parse(value)
        #expect(links.count == 2)
        #expect(LinkHeader.target(rel: "next", in: [value]) == "https://social.example.org/api/v1/accounts/1/statuses?limit=40&max_id=113500000000000400")
        #expect(LinkHeader.target(rel: "prev", in: [value]) == "https://social.example.org/api/v1/accounts/1/statuses?limit=40&min_id=113500000000000700")
    }

    @Test func prevOnlyHasNoNext() {
        #expect(LinkHeader.target(rel: "next", in: ["<https://x.example/a?min_id=3>; rel=\"prev\""]) == nil)
    }

    @Test func quotedCommasSemicolonsCaseAndSeveralRelations() {
        let value = #"<https://a.example/1>; title="one, two; three"; REL="Next Last", <https://a.example/2>;rel=prev;type=text/html"#
        let links = LinkHeader.parse(value)
        #expect(links.count == 2)
        #expect(links[0].relations == ["next", "last"])
        #expect(links[0].parameters["title"] == "one, two; three")
        #expect(links[1].target == "https://a.example/2")
        #expect(links[1].relations == ["prev"])
        #expect(links[1].parameters["type"] == "text/html")
        #expect(LinkHeader.target(rel: "last", in: [value]) == "https://a.example/1")
    }

    @Test func severalHeadersAndOnlyTheFirstRelCounts() {
        let links = LinkHeader.parse(["<https://a.example/1>; rel=next; rel=prev", "<https://a.example/2>; rel=\"prev\""])
        #expect(links.map(\.target) == ["https://a.example/1", "https://a.example/2"])
        #expect(links[0].relations == ["next"])
    }

    @Test func garbageIsSkippedNotFatal() {
        #expect(LinkHeader.parse("").isEmpty)
        #expect(LinkHeader.parse("rel=next").isEmpty)
        #expect(LinkHeader.parse("<https://a.example/unterminated; rel=next").isEmpty)
        let mixed = LinkHeader.parse("junk, <https://a.example/ok>; rel=next, ; ; ,<>")
        #expect(mixed.first?.target == "https://a.example/ok")
        #expect(LinkHeader.target(rel: "next", in: ["junk, <https://a.example/ok>; rel=next"]) == "https://a.example/ok")
    }
}
