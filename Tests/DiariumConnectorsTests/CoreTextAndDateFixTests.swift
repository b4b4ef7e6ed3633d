import DiariumCore
import Testing

/// Fixes made in DiariumCore's HTMLText and Timestamp while writing the connectors.
@Suite struct CoreTextAndDateFixTests {
    @Test func aLessThanSignThatOpensNoTagIsText() {
        #expect(HTMLText.plainText("<p>3 < 5 and 6 > 4</p>") == "3 < 5 and 6 > 4")
        #expect(HTMLText.plainText("Svar innen <5 dager> takk") == "Svar innen <5 dager> takk")
        #expect(HTMLText.plainText("a <b>bold</b> move") == "a bold move")
        #expect(HTMLText.plainText("tail <") == "tail <")
    }

    @Test func commentsEndAtTheirOwnEnd() {
        #expect(HTMLText.plainText("<p>før<!-- a > b --> etter</p>") == "før etter")
        #expect(HTMLText.plainText("<p>x</p><!-- unterminated > y") == "x")
    }

    @Test func impossibleCalendarDatesAreRejected() {
        #expect(Timestamp.parseRFC3339("2026-02-31T10:00:00Z") == nil)
        #expect(Timestamp.parseRFC3339("2026-04-31") == nil)
        #expect(Timestamp.parseRFC3339("2028-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parseRFC3339("2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp.parseRFC822("Tue, 31 Nov 2026 10:00:00 +0000") == nil)
        #expect(Timestamp.parseRFC822("Mon, 30 Nov 2026 10:00:00 +0000").map(Timestamp.format) == "2026-11-30T10:00:00Z")
    }
}
