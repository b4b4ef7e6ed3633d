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

    static let hostile = "A\u{1B}[2J\u{1B}]0;t\u{07}\u{1B}[1A\u{1B}[2K\u{1B}]8;;https://x.example/\u{1B}\\l\u{1B}]8;;\u{1B}\\ \u{00}\u{7F}\u{9B}\u{202E}r\u{2066}\r\tZ\nB"

    @Test("terminal text: C0 as control pictures, DEL as ␡, C1 and bidi overrides as U+FFFD; newline and tab kept")
    func terminalText() {
        #expect(TerminalText.clean(Self.hostile) == "A␛[2J␛]0;t␇␛[1A␛[2K␛]8;;https://x.example/␛\\l␛]8;;␛\\ ␀␡\u{FFFD}\u{FFFD}r\u{FFFD}␍\tZ\nB")
        #expect(TerminalText.clean("Kari Nordmann — ‏שלום‎ ok") == "Kari Nordmann — ‏שלום‎ ok", "text without controls is untouched")
    }

    @Test("JSON for a terminal: DEL, C1 and bidi overrides escaped too, and the value is unchanged")
    func terminalJSON() throws {
        let line = TerminalText.json(try JSONLines.encode(["text": Self.hostile]))
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || TerminalText.isUnsafe($0) })
        #expect(line.contains("\\u001b[2J") && line.contains("\\u007f\\u009b\\u202e"))
        #expect(try JSONLines.decode([String: String].self, from: line)["text"] == Self.hostile)
    }

    @Test("a journal of items carrying escape sequences: text and CSV show stand-ins, JSON keeps them escaped, HTML has no control")
    func journalControls() throws {
        let item = Item(platform: .mastodon, account: "etaten", id: "1\u{1B}[2J", kind: .reply,
                        author: Author(id: "9", name: "Eve\u{1B}]0;owned\u{07}", agency: false),
                        createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: Self.hostile)
        let decision = Decision(id: "1", account: "etaten", journal: true, type: .I, status: .M, access: .open, retention: .B,
                                rules: ["NO-case"], reason: "NO-case: test.", profile: "no@test")
        let record = ItemRecord(item: item, decision: decision, versions: 1, journalNumber: "2026/000001", status: .M,
                                journalDate: nil, caseNumber: "2026/000001", answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: Date())
        func unsafe(_ s: String) -> Bool {
            s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || TerminalText.isUnsafe($0) }
        }
        for isPublic in [false, true] {
            let renderer = JournalRenderer(agencyName: "Etaten\u{1B}[2J", day: "2026-11-20", isPublic: isPublic)
            let text = try renderer.render([record], as: .text)
            #expect(!unsafe(text), "\(text)")
            #expect(text.contains("Etaten␛[2J"))
            let csv = try renderer.render([record], as: .csv)
            #expect(!unsafe(csv.replacingOccurrences(of: "\r\n", with: "\n")), "\(csv)")
            #expect(csv.contains("Eve␛]0;owned␇") || isPublic)
            let html = try renderer.render([record], as: .html)
            #expect(!html.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }, "\(html)")
            let json = try renderer.render([record], as: .json)
            #expect(!unsafe(json))
            #expect(json.contains("\\u001b"))
        }
    }

    @Test("a title whose first line ends in CR LF, or a name with a newline, cannot start a line of its own in the text journal")
    func oneLineFields() throws {
        let item = Item(platform: .feed, account: "etaten", id: "1", kind: .reply,
                        author: Author(id: "9", name: "Eve\n    Access: open", agency: false),
                        createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: "Hei\r\n    Access: open\r\nmore")
        let record = ItemRecord(item: item, decision: nil, versions: 1, journalNumber: nil, status: nil,
                                journalDate: nil, caseNumber: nil, answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: Date())
        let text = try JournalRenderer(agencyName: "Etaten", day: "2026-11-20", isPublic: false).render([record], as: .text)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("    Access") }, "\(text)")
        #expect(text.contains("by Eve␤    Access: open") && text.contains("Title: Hei␍␤    Access: open␍␤more"), "\(text)")
        #expect(TerminalText.line("a\tb") == "a\tb")
    }
}
