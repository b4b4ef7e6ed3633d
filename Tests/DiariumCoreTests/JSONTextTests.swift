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

@Suite("Polls, shared and quoted posts in the item JSON")
struct ItemPartsJSONTests {
    static let item: Item = {
        var item = JSONTextTests.item
        item.kind = .share
        item.poll = Poll(options: ["Ja", "Nei, \"aldri\""], multiple: true, expiresAt: Timestamp.parse("2026-11-27T09:00:00Z"))
        item.shared = SharedPost(id: "7", url: "https://kommune.example.net/@kommunen/7",
                                 author: Author(id: "3", handle: "kommunen@kommune.example.net", name: "Eksempel kommune", agency: false))
        item.quoted = SharedPost(id: nil, state: "deleted")
        return item
    }()

    @Test("the fast writer writes them as JSONEncoder does, and both read back")
    func writers() throws {
        #expect(Self.item.jsonText == (try JSONLines.encode(Self.item)))
        #expect(try JSONLines.decode(Item.self, from: Self.item.jsonText) == Self.item)
        var noPollDate = Self.item
        noPollDate.poll?.expiresAt = nil
        noPollDate.shared?.author = nil
        #expect(noPollDate.jsonText == (try JSONLines.encode(noPollDate)))
    }

    @Test("an item without them is written as it always was, so stored JSON and its hashes stay")
    func absentKeysAreNotWritten() throws {
        let json = JSONTextTests.item.jsonText
        #expect(!json.contains("\"poll\"") && !json.contains("\"shared\"") && !json.contains("\"quoted\""))
        let old = #"{"id":"1","kind":"post","text":"Hei"}"#
        let item = try JSONLines.decode(Item.self, from: old)
        #expect(item.poll == nil && item.shared == nil && item.quoted == nil)
    }

    @Test("the fingerprint of an item without a poll is what registries already hold; a poll's options and choice count are in it")
    func fingerprint() {
        let plain = Item(platform: .mastodon, account: "etaten", id: "42", kind: .reply, author: Author(id: "9", agency: false),
                         inReplyTo: "41", visibility: .public, text: "Hvordan søker jeg?",
                         attachments: [Attachment(url: "https://files.example.org/1.png", mediaType: "image", description: "Skjema")])
        // sha256 of "reply␞public␞41␞Hvordan søker jeg?␞https://files.example.org/1.png␟image␟Skjema",
        // as `Registry.contentHash` has always computed it.
        #expect(plain.contentHash == "593310a67ce8947ff4b6f5b3b7c45e718b47f081f5d79727a6e028ed7d262d50")
        var shared = plain
        shared.shared = SharedPost(id: "7")
        shared.quoted = SharedPost(id: "8", state: "accepted")
        #expect(shared.contentHash == plain.contentHash)

        var polled = plain
        polled.poll = Poll(options: ["Ja", "Nei"])
        var otherOption = polled
        otherOption.poll?.options[1] = "Kanskje"
        var several = polled
        several.poll?.multiple = true
        var closes = polled
        closes.poll?.expiresAt = Timestamp.parse("2026-11-27T09:00:00Z")
        #expect(Set([plain, polled, otherOption, several].map(\.contentHash)).count == 4)
        #expect(closes.contentHash == polled.contentHash, "the closing time is not content the history can tell")
    }
}
