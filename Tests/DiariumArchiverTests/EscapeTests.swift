import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation
import Testing

/// Text from the internet in every format the program writes (DESIGN invariant 9).
@Suite("Hostile text in outputs")
struct EscapeTests {
    @Test("a CSV cell that starts like a formula is neutralised; quotes and line breaks are quoted", arguments: [
        ("=HYPERLINK(\"http://evil.example\")", "\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain, with comma", "\"plain, with comma\""),
        ("two\nlines", "\"two\nlines\""),
        ("Kari", "Kari"),
    ])
    func csv(cell: String, expected: String) {
        #expect(Escape.csv(cell) == expected)
    }

    @Test("HTML escaping leaves no markup")
    func html() {
        let escaped = Escape.html(#"<script>alert("x")</script><img src=x onerror='y'> & more"#)
        #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
        #expect(escaped.hasPrefix("&lt;script&gt;"))
    }

    @Test("a journal of hostile items is escaped in HTML and CSV")
    func journal() throws {
        let item = Item(platform: .mastodon, account: "etaten", id: "1", kind: .reply,
                        author: Author(id: "9", name: "=cmd|' /C calc'!A0", agency: false),
                        createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: "<script>alert(1)</script> Hvordan søker jeg?")
        let decision = Decision(id: "1", account: "etaten", journal: true, type: .I, status: .M, access: .open, retention: .B,
                                rules: ["NO-case"], reason: "NO-case: test.", profile: "no@test")
        let record = ItemRecord(item: item, decision: decision, versions: 1, journalNumber: "2026/000001", status: .M,
                                journalDate: nil, caseNumber: "2026/000001", answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: Date())
        for isPublic in [false, true] {
            let renderer = JournalRenderer(agencyName: "Etaten <Test>", day: "2026-11-20", isPublic: isPublic)
            let html = try renderer.render([record], as: .html)
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("Etaten &lt;Test&gt;"))
            let csv = try renderer.render([record], as: .csv)
            #expect(csv.contains(",'=cmd|"))
        }
    }
}
