import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// Polls, shared and quoted posts go into the registry and come back out of every reader.
@Suite("Polls, shared and quoted posts in the registry")
struct ItemPartsTests {
    static let boost: Item = {
        var item = RegistryTests.item("5", text: "Influensavaksinen er klar.", agency: true, kind: .share)
        item.shared = SharedPost(id: "99", url: "https://helse.example.net/@helse/99",
                                 author: Author(id: "55", handle: "helse@helse.example.net", name: "Helseetaten i Eksempel", agency: false))
        return item
    }()

    static let poll: Item = {
        var item = RegistryTests.item("6", text: "Når passer det?\n\nPoll (choose one):\n- Morgen\n- Kveld", agency: true, kind: .post)
        item.poll = Poll(options: ["Morgen", "Kveld"], expiresAt: Timestamp.parse("2026-11-27T09:00:00Z"))
        item.quoted = SharedPost(id: nil, state: "revoked")
        return item
    }()

    @Test("the fast record reader reads them as the Codable reader does")
    func recordReader() throws {
        for item in [Self.boost, Self.poll] {
            #expect(RecordReader.item(item.jsonText) == item)
            #expect(RecordReader.item(item.jsonText) == (try JSONLines.decode(Item.self, from: item.jsonText)))
        }
    }

    @Test("they are stored with the version and read back; a changed poll option is a new version")
    func stored() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("registry.sqlite").path)
        try registry.commit(RegistryTests.batch([(Self.boost, RegistryTests.decision("5", journal: false)),
                                                 (Self.poll, RegistryTests.decision("6", journal: false))]))
        let boost = try #require(try registry.detail(of: ItemReference(account: "etaten", id: "5")))
        #expect(boost.record.item.shared == Self.boost.shared)
        #expect(boost.versions.first?.item == Self.boost)

        var edited = Self.poll
        edited.poll?.options = ["Morgen", "Lørdag"]
        let summary = try registry.commit(RegistryTests.batch([(edited, RegistryTests.decision("6", journal: false))]))
        #expect(summary.newVersions == 1)
        let poll = try #require(try registry.detail(of: ItemReference(account: "etaten", id: "6")))
        #expect(poll.versions.map(\.item.poll?.options) == [["Morgen", "Kveld"], ["Morgen", "Lørdag"]])
        #expect(poll.record.item.poll == edited.poll)
        #expect(poll.record.item.quoted == SharedPost(id: nil, state: "revoked"))
        #expect(try registry.verify().problem == nil)
    }
}
