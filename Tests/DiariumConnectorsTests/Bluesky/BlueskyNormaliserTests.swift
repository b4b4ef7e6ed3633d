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

    @Test func repostIsAShareByTheAgencyNamingTheRepostedPost() throws {
        let share = try #require(try feed("feed-page1").item(BskyIDs.repost))
        #expect(share.kind == .share)
        #expect(share.author.id == BskyIDs.agency)
        #expect(share.author.agency)
        #expect(share.text == "Sharing @kommunen.example.com (Eksempel kommune): Biblioteket har nye åpningstider fra 1. desember."
                + " — https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
        #expect(share.threadRoot == BskyIDs.repost)
        #expect(iso(share.createdAt) == "2026-11-20T11:30:00.205Z")
        #expect(share.url == "https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
        #expect(share.shared?.url == "https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
        #expect(share.shared?.author?.handle == "kommunen.example.com")
        #expect(share.shared?.author?.agency == false)
    }

    @Test func linkCardIsAnAttachment() throws {
        let post = try #require(try feed("feed-page1").item(BskyIDs.p3))
        #expect(post.attachments == [Attachment(url: "https://etaten.example.org/tilskudd", mediaType: "link",
                                                description: "Tilskudd til lag og foreninger — Slik søker du.")])
    }

    @Test func shortenedLinkBecomesItsFullURIAndUnknownEmbedIsIgnored() throws {
        let post = try #require(try feed("feed-page2").item(BskyIDs.p1))
        #expect(post.text == "Fra mandag kan du søke om bostøtte digitalt. Les mer: https://etaten.example.org/bostotte-digitalt")
        #expect(post.attachments.isEmpty)
        #expect(post.language == "nb")
    }

    @Test func quoteNamesTheQuotedPostsAuthorTextAndAddress() throws {
        let post = try #require(try feed("feed-page2").item(BskyIDs.p2))
        #expect(post.text == "Kontoret i Storgata er stengt fredag.\n\n"
                + "Quoting @kommunen.example.com (Eksempel kommune): Biblioteket har nye åpningstider fra 1. desember."
                + " — https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
        #expect(post.quoted?.id?.hasPrefix("at://") == true)
        #expect(post.quoted?.author?.name == "Eksempel kommune")
        #expect(post.quoted?.url == "https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2")
    }

    @Test func linkLabelWithoutTheSchemeBecomesTheFullURI() throws {
        let thread = try BlueskyNormaliser.decodeThread(Fixture.data("bluesky/thread-p1.json"))
        let posts = BlueskyNormaliser.posts(in: thread.thread)
        let answer = try #require(posts.first { $0.uri == BskyIDs.a1 })
        #expect(BlueskyNormaliser.text(answer) == "Hei Kari! Du kan søke på papir. Skjema: https://etaten.example.org/skjema")
    }

    // MARK: Quotes, record embeds, links and languages (feed-quotes.json)

    @Test func quotedPostKeepsItsAuthorTextAndLinks() throws {
        let post = try #require(try feed("feed-quotes").item(BskyIDs.post(BskyIDs.agency, "3mbqb1sitat02")))
        // Own link: a label of words keeps them and gains the URI; the quoted post's
        // shortened label gives way to its full URI.
        #expect(post.text == "Vi har svart Kari. Alt står i søknadsskjemaet (https://etaten.example.org/skjema/bostotte).\n\n"
                + "Quoting @kari.example.net (Kari Nordmann): Hvor finner jeg skjemaet? Jeg fant bare https://etaten.example.org/skjema/bostotte-2026"
                + " — https://bsky.app/profile/kari.example.net/post/3mbqb1hvor002")
        #expect(post.kind == .post)
        #expect(post.attachments.isEmpty)
        #expect(post.language == "nn")   // the first of `langs: ["nn", "en"]`
    }

    @Test func recordWithMediaKeepsTheImagesAndTheQuote() throws {
        let post = try #require(try feed("feed-quotes").item(BskyIDs.post(BskyIDs.agency, "3mbqb2media02")))
        #expect(post.text == "Nye åpningstider i biblioteket, se tabellen.\n\n"
                + "Quoting @kommunen.example.com (Eksempel kommune): Biblioteket holder åpent til kl. 20 fra 1. desember."
                + " — https://bsky.app/profile/kommunen.example.com/post/3mbqb2biblo02")
        #expect(post.attachments == [Attachment(
            url: "https://cdn.example.org/img/feed_fullsize/plain/did:plc:etaten4sq7hkzmfw2xdl5c3v/bafkreibibliotabell@jpeg",
            mediaType: "image", description: "Tabell over bibliotekets åpningstider")])
        #expect(post.language == "nb")
    }

    @Test func deletedOrBlockedQuotedPostIsNamedByItsAddress() throws {
        let items = try feed("feed-quotes")
        let deleted = try #require(items.item(BskyIDs.post(BskyIDs.agency, "3mbqb3rettet2")))
        #expect(deleted.text == "Denne opplysningen er rettet.\n\n"
                + "Quoting an unavailable post — https://bsky.app/profile/did:plc:per3provmn6kxw2qzt5ylb4j/post/3mbqb3borte02")
        #expect(deleted.language == nil)   // no `langs`
        let blocked = try #require(items.item(BskyIDs.post(BskyIDs.agency, "3mbqb4svar002")))
        #expect(blocked.text == "Vi kan ikke svare på dette her.\n\n"
                + "Quoting an unavailable post — https://bsky.app/profile/did:plc:per3provmn6kxw2qzt5ylb4j/post/3mbqb4blokk02")
    }

    @Test func embeddedFeedIsNamedByItsCreatorAndName() throws {
        let post = try #require(try feed("feed-quotes").item(BskyIDs.post(BskyIDs.agency, "3mbqb5feed002")))
        #expect(post.text == "Følg nyhetsstrømmen vår.\n\n"
                + "Quoting @etaten.example.org (Etaten): feed “Nyheter fra Etaten” — https://bsky.app/profile/etaten.example.org/feed/nyheter")
    }

    @Test func quotedRecordOfAnOddShapeCostsOnlyItsFields() throws {
        // `value` is typed "unknown" by the lexicon: a quoted record that does not read
        // as a post keeps the quoting post, and the quote is named by its address.
        let json = #"""
            {"feed": [{"post": {"uri": "at://did:plc:etaten4sq7hkzmfw2xdl5c3v/app.bsky.feed.post/3mbqb6rart002", "cid": "bafyreirart",
              "author": {"did": "did:plc:etaten4sq7hkzmfw2xdl5c3v", "handle": "etaten.example.org"},
              "record": {"$type": "app.bsky.feed.post", "createdAt": "2026-11-21T13:00:00.000Z", "text": "Se her."},
              "embed": {"$type": "app.bsky.embed.record#view", "record": {"$type": "app.bsky.embed.record#viewRecord",
                "uri": "at://did:plc:kari6nordmn3xqz4tlp7wbe2/app.bsky.feed.post/3mbqb6kari002", "author": {"handle": 7},
                "value": {"text": ["not", "a", "string"]}, "indexedAt": "2026-11-21T12:59:00.000Z"}},
              "indexedAt": "2026-11-21T13:00:00.100Z"}}]}
            """#
        let page = try BlueskyNormaliser.decodeFeed(Data(json.utf8))
        let post = try #require(BlueskyNormaliser.item(from: page.feed[0], accountKey: "etaten-bsky", agencyDID: BskyIDs.agency))
        #expect(post.text == "Se her.\n\nQuoting — https://bsky.app/profile/did:plc:kari6nordmn3xqz4tlp7wbe2/post/3mbqb6kari002")
    }

    @Test func linkLabelsShowTheirFullAddress() {
        let link = { (label: String, uri: String) in
            BlueskyNormaliser.expandLinks("Se \(label).", facets: [BlueskyFacet(
                index: .init(byteStart: 3, byteEnd: 3 + label.utf8.count),
                features: [.init(type: "app.bsky.richtext.facet#link", uri: uri)])])
        }
        #expect(link("https://example.org/a", "https://example.org/a") == "Se https://example.org/a.")
        #expect(link("example.org/a", "https://example.org/a") == "Se https://example.org/a.")
        #expect(link("example.org/a", "https://www.example.org/a") == "Se https://www.example.org/a.")
        #expect(link("example.org/søknad/skj...", "https://example.org/søknad/skjema-2026") == "Se https://example.org/søknad/skjema-2026.")
        #expect(link("example.org/abc…", "https://example.org/abcdef") == "Se https://example.org/abcdef.")
        #expect(link("skjemaet", "https://example.org/skjema") == "Se skjemaet (https://example.org/skjema).")
        // A cut label that is not the start of its target is words, not a short form.
        #expect(link("example.com/abc...", "https://example.org/abcdef") == "Se example.com/abc... (https://example.org/abcdef).")
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
