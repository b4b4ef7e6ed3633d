import DiariumCore
import Foundation
import Testing

@Suite("Fast JSON writer")
struct JSONTextTests {
    static let item = Item(
        platform: .mastodon, account: "etaten", id: "42", url: "https://social.example.org/@etaten/42", kind: .reply,
        author: Author(id: "9", handle: "kari@social.example.net", name: "Kari \"K\" Nordmann\\", agency: false),
        inReplyTo: "41", threadRoot: "40", createdAt: Timestamp.parse("2026-11-20T09:00:00.123Z"), visibility: .public,
        language: "nb", text: "Linje 1\nLinje 2\t«sitat» </script> \u{01} 😀 https://a.example/b",
        attachments: [Attachment(url: "https://files.example.org/1.png", mediaType: "image", description: nil)])

    @Test("writes exactly what JSONEncoder writes for an item")
    func item() throws {
        #expect(Self.item.jsonText == (try JSONLines.encode(Self.item)))
        #expect(try JSONLines.decode(Item.self, from: Self.item.jsonText) == Self.item)
    }

    @Test("writes exactly what JSONEncoder writes for a decision")
    func decision() throws {
        let decision = Decision(id: "42", account: "etaten", journal: true, type: .I, status: .M,
                                access: Access(restricted: true, basis: "offl. § 13", screen: ["NA", "TRO"]), retention: .B,
                                rules: ["NO-case", "NO-health"], reason: "NO-case: \"quoted\".", profile: "no@2026.1")
        #expect(decision.jsonText == (try JSONLines.encode(decision)))
        var open = decision
        open.status = nil
        open.access = .open
        #expect(open.jsonText == (try JSONLines.encode(open)))
    }
}
