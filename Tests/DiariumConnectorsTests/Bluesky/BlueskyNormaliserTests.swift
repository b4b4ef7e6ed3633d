import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

/// The identifiers of the Bluesky fixtures (`Tests/Fixtures/bluesky/`).
enum BskyIDs {
    static let agency = "did:plc:etaten4sq7hkzmfw2xdl5c3v"
    static let kari = "did:plc:kari6nordmn3xqz4tlp7wbe2"
    static func post(_ did: String, _ rkey: String) -> String { "at://\(did)/app.bsky.feed.post/\(rkey)" }
    static let p1 = post(agency, "3mbqa1bostot2"), p2 = post(agency, "3mbqa2kontor2"), p3 = post(agency, "3mbqa3tilsk2")
    static let p4 = post(agency, "3mbqa4apning2"), p5 = post(agency, "3mbqa5frist02")
    static let repost = "at://\(agency)/app.bsky.feed.repost/3mbqa3repost2"
    static let kommunePost = post("did:plc:kommune7bn2xq5rzt4wlk6p3", "3mbqa0biblio2")
    static let k1 = post(kari, "3mbqa1sporsm2"), a1 = post(agency, "3mbqa1svar002"), k2 = post(kari, "3mbqa1takk002")
    static let klage = post("did:plc:per3provmn6kxw2qzt5ylb4j", "3mbqa5klage2p")
}

@Suite struct BlueskyNormaliserTests {
    func feed(_ name: String) throws -> [Item] {
        try BlueskyNormaliser.decodeFeed(Fixture.data("bluesky/\(name).json")).feed.compactMap {
            BlueskyNormaliser.item(from: $0, accountKey: "etaten-bsky", agencyDID: BskyIDs.agency)
        }
    }

    @Test func pageOneSkipsThePinAndKeepsOrder() throws {
        let items = try feed("feed-page1")
        #expect(items.map(\.id) == [BskyIDs.p4, BskyIDs.repost, BskyIDs.p3])
        #expect(items.map(\.kind) == [.post, .share, .post])
        #expect(items.allSatisfy { $0.platform == .bluesky && $0.account == "etaten-bsky" && $0.author.agency && $0.visibility == .public })
    }

    @Test func imagesKeepTheirAltText() throws {
        let post = try #require(try feed("feed-page1").item(BskyIDs.p4))
        #expect(post.text == "Our office hours for December are now online.")
        #expect(post.language == "en")
        #expect(post.url == "https://bsky.app/profile/etaten.example.org/post/3mbqa4apning2")
        #expect(post.attachments == [Attachment(
            url: "https://cdn.example.org/img/feed_fullsize/plain/did:plc:etaten4sq7hkzmfw2xdl5c3v/bafkreiapningstabell@jpeg",
            mediaType: "image", description: "Tabell over åpningstider i desember")])
        #expect(iso(post.createdAt) == "2026-11-20T12:00:00Z")
        #expect(post.editedAt == nil)
        #expect(post.threadRoot == BskyIDs.p4)
        #expect(post.inReplyTo == nil)
        #expect(post.author == Author(id: BskyIDs.agency, handle: "etaten.example.org", name: "Etaten", agency: true))
    }

    @Test func repostIsAShareByTheAgencyWithTheRepostedText() throws {
        let share = try #require(try feed("feed-page1").item(BskyIDs.repost))
        #expect(share.kind == .share)
        #expect(share.author.id == BskyIDs.agency)
        #expect(share.author.agency)
        #expect(share.text == "Biblioteket har nye åpningstider fra 1. desember.")
        #expect(share.threadRoot == BskyIDs.repost)
        #expect(iso(share.createdAt) == "2026-11-20T11:30:00.205Z")
        #expect(share.url == "https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
    }

    @Test func linkCardIsAnAttachment() throws {
        let post = try #require(try feed("feed-page1").item(BskyIDs.p3))
        #expect(post.attachments == [Attachment(url: "https://etaten.example.org/tilskudd", mediaType: "link",
                                                description: "Tilskudd til lag og foreninger — Slik søker du.")])
    }

    @Test func shortenedLinkGetsItsTargetAndUnknownEmbedIsIgnored() throws {
        let post = try #require(try feed("feed-page2").item(BskyIDs.p1))
        #expect(post.text == "Fra mandag kan du søke om bostøtte digitalt. Les mer: etaten.example.org/bostotte-digit... (https://etaten.example.org/bostotte-digitalt)")
        #expect(post.attachments.isEmpty)
        #expect(post.language == "nb")
    }

    @Test func quoteNamesTheQuotedPost() throws {
        let post = try #require(try feed("feed-page2").item(BskyIDs.p2))
        #expect(post.text == "Kontoret i Storgata er stengt fredag.\n\nQuoted post: \(BskyIDs.kommunePost)")
    }

    @Test func fullLinkLabelIsNotRepeated() throws {
        let thread = try BlueskyNormaliser.decodeThread(Fixture.data("bluesky/thread-p1.json"))
        let posts = BlueskyNormaliser.posts(in: thread.thread)
        let answer = try #require(posts.first { $0.uri == BskyIDs.a1 })
        #expect(BlueskyNormaliser.text(answer) == "Hei Kari! Du kan søke på papir. Skjema: etaten.example.org/skjema")
    }

    @Test func threadIsWalkedDepthFirstWithoutPlaceholders() throws {
        let thread = try BlueskyNormaliser.decodeThread(Fixture.data("bluesky/thread-p1.json"))
        let items = BlueskyNormaliser.posts(in: thread.thread).map {
            BlueskyNormaliser.item(from: $0, accountKey: "etaten-bsky", agencyDID: BskyIDs.agency)
        }
        #expect(items.map(\.id) == [BskyIDs.p1, BskyIDs.k1, BskyIDs.a1, BskyIDs.k2, BskyIDs.klage])
        #expect(items.map(\.kind) == [.post, .reply, .reply, .reply, .reply])
        #expect(items.map(\.inReplyTo) == [nil, BskyIDs.p1, BskyIDs.k1, BskyIDs.a1, BskyIDs.p1])
        #expect(items.allSatisfy { $0.threadRoot == BskyIDs.p1 })
        #expect(items.map(\.author.agency) == [true, false, true, false, false])
        #expect(items[1].text == "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?")
        #expect(items[1].author == Author(id: BskyIDs.kari, handle: "kari.example.net", name: "Kari Nordmann", agency: false))
        #expect(items[4].text == "Jeg vil klage på vedtaket om bostøtte.")
    }

    @Test func replacedRecordCountsAsEditedAtItsIndexTime() throws {
        let posts = try BlueskyNormaliser.decodePosts(Fixture.data("bluesky/posts-recheck.json")).posts
        let edited = BlueskyNormaliser.item(from: posts[0], accountKey: "etaten-bsky", agencyDID: BskyIDs.agency)
        #expect(edited.id == BskyIDs.p2)
        #expect(iso(edited.createdAt) == "2026-11-20T09:00:00Z")
        #expect(iso(edited.editedAt) == "2026-11-20T09:20:00.045Z")
        #expect(edited.text == "Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.")
    }

    @Test func facetsOutsideTheTextOrInsideACharacterAreIgnored() {
        let facet = { (start: Int, end: Int) in
            BlueskyFacet(index: .init(byteStart: start, byteEnd: end), features: [.init(type: "app.bsky.richtext.facet#link", uri: "https://example.org/a")])
        }
        #expect(BlueskyNormaliser.expandLinks("søk", facets: [facet(0, 2)]) == "søk")   // ends inside "ø"
        #expect(BlueskyNormaliser.expandLinks("søk", facets: [facet(0, 99)]) == "søk")
        #expect(BlueskyNormaliser.expandLinks("søk her", facets: [facet(5, 8)]) == "søk her (https://example.org/a)")
    }

    @Test func wrongTypeFailsTheDecode() {
        #expect(throws: DecodingError.self) { try BlueskyNormaliser.decodeFeed(Fixture.data("bluesky/feed-wrong-type.json")) }
        #expect(throws: DecodingError.self) { try BlueskyNormaliser.decodeFeed(Fixture.data("bluesky/feed-truncated.json")) }
    }
}
