import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

/// The identifiers of the X fixtures (`Tests/Fixtures/x/`).
enum XIDs {
    static let agency = "1600000000000000101", kari = "1600000000000000202", per = "1600000000000000404", ola = "1600000000000000303"
    static let t1 = "2123687789982647506", t2 = "2123702889477047506", t2edit = "2123705406059447506"
    static let retweet = "2123717988971447506", t3 = "2123733088465847506", t4 = "2123763287454647506"
    static let k1 = "2123690809881527506", a1 = "2123697856312247506", p1 = "2123710439224247506"
    static let dm = "2123751962833847506"
}

@Suite struct XNormaliserTests {
    func items(_ name: String) throws -> [Item] {
        XNormaliser.items(from: try XNormaliser.decodeTweets(Fixture.data("x/\(name).json")), accountKey: "etaten-x", agencyUserID: XIDs.agency)
    }

    @Test func timelineKindsAndAuthors() throws {
        let page = try items("timeline-page1")
        #expect(page.map(\.id) == [XIDs.t3, XIDs.retweet, XIDs.t2])
        #expect(page.map(\.kind) == [.post, .share, .post])
        #expect(page.allSatisfy { $0.platform == .x && $0.account == "etaten-x" && $0.visibility == .public })
        #expect(page.allSatisfy { $0.author == Author(id: XIDs.agency, handle: "etaten", name: "Etaten", agency: true) })
        #expect(page[0].text == "Husk fristen for å søke om tilskudd: 1. desember & ikke senere!")
        #expect(page[0].url == "https://x.com/etaten/status/\(XIDs.t3)")
        #expect(page[0].threadRoot == XIDs.t3)
        #expect(page[0].language == "no")
        #expect(iso(page[0].createdAt) == "2026-11-20T11:00:00Z")
        #expect(page[0].editedAt == nil)
    }

    @Test func retweetIsAShareWithItsLinkExpanded() throws {
        let share = try #require(try items("timeline-page1").item(XIDs.retweet))
        #expect(share.kind == .share)
        #expect(share.text == "RT @kommunen: Biblioteket har nye åpningstider fra 1. desember. https://kommunen.example.com/bibliotek")
        #expect(share.threadRoot == XIDs.retweet)
    }

    @Test func tcoLinksExpandAndMediaBecomesAnAttachment() throws {
        let post = try #require(try items("timeline-page2").first)
        #expect(post.text == "Fra mandag kan du søke om bostøtte digitalt. Les mer: https://etaten.example.org/bostotte")
        #expect(post.attachments == [Attachment(url: "https://media.example.com/img/bostotte-skjema.jpg", mediaType: "photo",
                                                description: "Skjermbilde av søknadsskjemaet for bostøtte")])
    }

    @Test func editKeepsTheOriginalIDAsIdentity() throws {
        let edited = try #require(try items("timeline-new").item(XIDs.t2))
        #expect(edited.text == "Kontoret i Storgata er stengt fredag 21. november.")
        #expect(edited.url == "https://x.com/etaten/status/\(XIDs.t2edit)")
        #expect(iso(edited.editedAt) == "2026-11-20T09:10:00Z")
        // The original's time, read from its snowflake id.
        #expect(iso(edited.createdAt) == "2026-11-20T09:00:00Z")
        #expect(edited.threadRoot == XIDs.t2)
    }

    @Test func repliesCarryParentAndConversation() throws {
        let thread = try items("search-thread")
        #expect(thread.map(\.id) == [XIDs.p1, XIDs.a1, XIDs.k1])
        #expect(thread.map(\.kind) == [.reply, .reply, .reply])
        #expect(thread.map(\.inReplyTo) == [XIDs.t1, XIDs.k1, XIDs.t1])
        #expect(thread.allSatisfy { $0.threadRoot == XIDs.t1 })
        #expect(thread.map(\.author.agency) == [false, true, false])
        #expect(thread[0].text == "@etaten Jeg vil klage på vedtaket om bostøtte.")
        #expect(thread[0].author == Author(id: XIDs.per, handle: "per_p", name: "Per Prøvemann", agency: false))
        #expect(thread[1].text == "@kari_n Du kan søke på papir. Skjemaet finner du her: https://etaten.example.org/skjema")
        #expect(thread[2].text == "@etaten Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?")
    }

    // MARK: Long posts, quotes, retweets, polls (timeline-references.json)

    static let long = "2124050177848253778", quote = "2124065277342653778", quoted = "2124042628101053778"
    static let retweet = "2124080376837053778", retweeted = "2124019978859453778", poll = "2124095476331453778"
    static let quotesGone = "2124110575825853778", gone = "2123793486443453778"

    @Test func longPostKeepsItsWholeNoteText() throws {
        let post = try #require(try items("timeline-references").item(Self.long))
        #expect(post.text == "Slik søker du om bostøtte for 2027: Søknadsfristen er 1. desember, og du søker digitalt med BankID. "
                + "Har du ikke BankID, kan du bestille papirskjema på telefon eller hente det på servicetorget i Storgata. "
                + "Husk å legge ved lønnsslipper for de tre siste månedene og husleiekontrakten. "
                + "Har du spørsmål, ring oss mellom kl. 9 og 15. Les alt om ordningen her: https://etaten.example.org/bostotte/2027")
        #expect(post.kind == .post)
    }

    @Test func quoteNamesTheQuotedPostFromIncludes() throws {
        let post = try #require(try items("timeline-references").item(Self.quote))
        // The t.co link X appends for the quoted post is dropped: the line names it.
        #expect(post.text == "Vi anbefaler dette!\n\n"
                + "Quoting @kommunen (Eksempel kommune): Biblioteket har nye åpningstider fra 1. desember & lengre kveldsåpent. "
                + "https://kommunen.example.com/bibliotek — https://x.com/kommunen/status/\(Self.quoted)")
        #expect(post.quoted?.id == Self.quoted)
        #expect(post.quoted?.author?.handle == "kommunen")
        #expect(post.quoted?.author?.agency == false)
        #expect(post.quoted?.url == "https://x.com/kommunen/status/\(Self.quoted)")
        #expect(post.shared == nil)
        #expect(post.kind == .post)
        #expect(post.author.agency)
    }

    @Test func retweetIsTheRetweetedPostInFullWithItsMedia() throws {
        let share = try #require(try items("timeline-references").item(Self.retweet))
        #expect(share.kind == .share)
        #expect(share.author == Author(id: XIDs.agency, handle: "etaten", name: "Etaten", agency: true))
        #expect(share.text == "Sharing @kommunen (Eksempel kommune): Vinteren kommer: Fra mandag gjelder vinterrutene for bussene i hele kommunen. "
                + "Rute 12 og 14 kjører sjeldnere på kveldstid, mens skolebussene går som før. Strøing av fortau starter kl. 06. "
                + "Meld fra om glatte veier i appen eller på nettsiden vår, så rykker vi ut så fort vi kan. "
                + "Alle tider: https://kommunen.example.com/vinterruter — https://x.com/kommunen/status/\(Self.retweeted)")
        #expect(share.attachments == [Attachment(url: "https://media.example.com/img/vinterruter.jpg", mediaType: "photo", description: "Kart over vinterrutene")])
        #expect(share.threadRoot == Self.retweet)
        #expect(share.shared?.id == Self.retweeted)
        #expect(share.shared?.author?.name == "Eksempel kommune")
    }

    @Test func pollChoicesAreKeptInOrderWithoutCounts() throws {
        let post = try #require(try items("timeline-references").item(Self.poll))
        #expect(post.text == "Hva synes du om de nye åpningstidene på servicetorget?\n\nPoll: Gode / Dårlige / Vet ikke")
    }

    @Test func quoteOfADeletedPostIsNamedByItsAddress() throws {
        let post = try #require(try items("timeline-references").item(Self.quotesGone))
        #expect(post.text == "Dette stemmer ikke lenger.\n\nQuoting an unavailable post — https://x.com/i/web/status/\(Self.gone)")
        let page = try XNormaliser.decodeTweets(Fixture.data("x/timeline-references.json"))
        #expect(page.errors?.map(\.parameter) == ["referenced_tweets.id"])
    }

    @Test func languageCodesThatNameNoLanguageAreLeftOut() throws {
        let json = { (lang: String) in
            ##"{"data": [{"id": "2124125675320253778", "text": "#bostøtte", "author_id": "1600000000000000101", "lang": "\##(lang)"}]}"##
        }
        for (lang, expected) in [("no", "no"), ("und", nil), ("zxx", nil), ("qht", nil), ("qme", nil), ("en", "en")] as [(String, String?)] {
            let page = try XNormaliser.decodeTweets(Data(json(lang).utf8))
            let item = try #require(XNormaliser.items(from: page, accountKey: "etaten-x", agencyUserID: XIDs.agency).first)
            #expect(item.language == expected, "lang \(lang)")
        }
    }

    @Test func staleVersionIsRecognised() throws {
        let page = try XNormaliser.decodeTweets(Fixture.data("x/lookup-deleted.json"))
        #expect(page.data?.map(XNormaliser.isCurrentVersion) == [true, false])
        #expect(page.errors?.first?.isNotFound == true)
    }

    @Test func directMessage() throws {
        let page = try XNormaliser.decodeMessages(Fixture.data("x/dm-events.json"))
        let users = Dictionary(uniqueKeysWithValues: (page.includes?.users ?? []).map { ($0.id, $0) })
        let dm = XNormaliser.item(from: try #require(page.data?.first), users: users, accountKey: "etaten-x", agencyUserID: XIDs.agency)
        #expect(dm.id == "dm-\(XIDs.dm)")
        #expect(dm.kind == .message)
        #expect(dm.visibility == .direct)
        #expect(dm.isPrivateMessage)
        #expect(dm.text == "Hei, jeg vil klage på vedtaket mitt. Kan dere ringe meg?")
        #expect(dm.author == Author(id: XIDs.ola, handle: "ola_eks", name: "Ola Eksempel", agency: false))
        #expect(dm.threadRoot == "dm-1600000000000000101-1600000000000000303")
        #expect(iso(dm.createdAt) == "2026-11-20T12:15:00Z")
    }

    @Test func snowflakeDatesAndOrder() {
        #expect(XID.date(of: XIDs.t1) == Timestamp.parse("2026-11-20T08:00:00Z")?.timeIntervalSince1970)
        #expect(XID.newest([XIDs.t1, XIDs.t4, XIDs.t2]) == XIDs.t4)
        #expect(XID.date(of: "not-a-number") == nil)
    }

    @Test func wrongTypeFailsTheDecode() {
        #expect(throws: DecodingError.self) { try XNormaliser.decodeTweets(Fixture.data("x/timeline-wrong-type.json")) }
        #expect(throws: DecodingError.self) { try XNormaliser.decodeTweets(Fixture.data("x/timeline-truncated.json")) }
    }
}
