import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

@Suite struct FeedParserTests {
    let feedURL = "https://etaten.example.org/nyheter/feed"

    func items(_ name: String) throws -> [Item] {
        try FeedNormaliser.items(fromFeed: Fixture.data("feed/\(name)"), accountKey: "news", feedURL: feedURL)
    }

    @Test func detectsTheFormatFromTheBody() throws {
        #expect(FeedFormat.detect(try Fixture.data("feed/rss-guid.xml")) == .rss)
        #expect(FeedFormat.detect(try Fixture.data("feed/rss-bom.xml")) == .rss)
        #expect(FeedFormat.detect(try Fixture.data("feed/atom-v1.xml")) == .atom)
        #expect(FeedFormat.detect(try Fixture.data("feed/jsonfeed-1.0.json")) == .jsonFeed)
        #expect(FeedFormat.detect(try Fixture.data("feed/error-page.html")) == nil)
        #expect(FeedFormat.detect(Data("<!-- c --><!DOCTYPE x><?pi?>\n<rdf:RDF>".utf8)) == .rss)
    }

    @Test func rssWithGuidPrefersContentEncoded() throws {
        let all = try items("rss-guid.xml")
        #expect(all.map(\.id) == ["nyhet-2026-0412", "nyhet-2026-0411"])
        #expect(all.allSatisfy { $0.kind == .post && $0.author.agency && $0.threadRoot == $0.id && $0.platform == .feed && $0.account == "news" && $0.visibility == .public })
        let first = all[0]
        #expect(first.text == "Ny søknadsfrist for bostøtte\n\nFristen for å søke om bostøtte er forlenget til 1. desember. Les mer på våre sider om bostøtte (https://etaten.example.org/bostotte).")
        #expect(first.author.name == "Ingrid Solberg")   // dc:creator
        #expect(first.url == "https://etaten.example.org/nyheter/2026/11/ny-soknadsfrist")
        #expect(iso(first.createdAt) == "2026-11-20T09:00:00Z")
        #expect(first.editedAt == nil)
        #expect(first.language == "nb-no")
        #expect(all[1].author.name == "Etaten – Nyheter")   // the channel names the author
        #expect(all[1].text == "Stengt kontor fredag\n\nKontoret i Storgata holder stengt fredag 20. november & lørdag 21. november.")
        #expect(iso(all[1].createdAt) == "2026-11-16T12:00:00Z")
    }

    @Test func mastodonStyleRSSUsesTheLinkAsIdentity() throws {
        let all = try items("rss-mastodon.xml")
        #expect(all.map(\.id) == ["https://social.example.org/@etaten/113500000000000700", "https://social.example.org/@etaten/113500000000000300"])
        #expect(all[0].text == "Oppdatering: søknadsfristen for bostøtte er forlenget til 1. desember.")   // no title
        #expect(all[1].attachments == [Attachment(
            url: "https://files.social.example.org/media_attachments/files/113/500/000/000/030/001/original/030001.png",
            mediaType: "image/png", description: "Table of the new opening hours, Monday to Friday 08–15")])
        #expect(all[0].author.name == "Etaten")
    }

    @Test func rssEnclosureAndMediaContent() throws {
        let item = try #require(try items("rss-media.xml").first)
        #expect(item.id == "https://etaten.example.org/media/episode-12")
        #expect(item.attachments == [
            Attachment(url: "https://etaten.example.org/media/episode-12.mp3", mediaType: "audio/mpeg"),
            Attachment(url: "https://etaten.example.org/media/episode-12-cover.jpg", mediaType: "image/jpeg", description: "Illustrasjon: en person som skriver et brev"),
        ])
        #expect(iso(item.createdAt) == "2026-11-18T05:00:00Z")   // +0100
        #expect(item.text == "Episode 12: Slik klager du på et vedtak\n\nI denne episoden forklarer vi hvordan du klager.")
    }

    @Test func atomUpdateBecomesEditedAt() throws {
        let v1 = try items("atom-v1.xml")
        let v2 = try items("atom-v2.xml")
        #expect(v1.map(\.id) == ["tag:etaten.example.org,2026:nyheter/0412", "tag:etaten.example.org,2026:nyheter/0410"])
        #expect(v1[0].editedAt == nil)   // updated == published
        #expect(iso(v2[0].editedAt) == "2026-11-20T11:45:00Z")
        #expect(iso(v2[0].createdAt) == "2026-11-20T09:00:00Z")
        #expect(v1[0].id == v2[0].id)
        #expect(v2[0].text == "Ny søknadsfrist for bostøtte\n\nFristen for å søke om bostøtte er forlenget til 8. desember.\n\nRettet 20. november: datoen var feil.")
        #expect(v1[0].url == "https://etaten.example.org/nyheter/2026/11/ny-soknadsfrist")   // relative href resolved
        #expect(v1[0].language == "nb")   // xml:lang on the feed
        #expect(v1[0].author.name == "Etaten")
        // No published: created from updated; type="text" keeps '<' literally.
        #expect(iso(v1[1].createdAt) == "2026-11-15T09:00:00Z")
        #expect(v1[1].editedAt == nil)
        #expect(v1[1].author.name == "Service Centre")
        #expect(v1[1].text == "Opening hours <Dec>\n\nOur service centre opens at 8 & closes at 15.")
    }

    @Test func atomTombstoneAndXHTML() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/atom-tombstone.xml"))
        #expect(feed.tombstones == [FeedTombstone(ref: "tag:etaten.example.org,2026:nyheter/0409", when: "2026-11-21T07:30:00Z")])
        let all = FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL)
        #expect(all.map(\.id) == ["tag:etaten.example.org,2026:nyheter/0413"])
        #expect(all[0].text == "Ny kunngjøring om åpningstider\n\nNye åpningstider gjelder fra 1. desember.\n\nSe oversikten (https://etaten.example.org/apningstider).")
        #expect(all[0].attachments == [Attachment(url: "https://etaten.example.org/dokumenter/apningstider.pdf", mediaType: "application/pdf", description: "Åpningstider (PDF)")])
    }

    @Test func jsonFeed11() throws {
        let all = try items("jsonfeed-1.1.json")
        #expect(all.map(\.id) == ["https://etaten.example.org/nyheter/2026/11/ny-soknadsfrist", "nyhet-2026-0411"])
        #expect(iso(all[0].createdAt) == "2026-11-20T09:00:00Z")
        #expect(iso(all[0].editedAt) == "2026-11-20T11:45:00Z")
        #expect(all[0].text == "Ny søknadsfrist for bostøtte\n\nFristen for å søke om bostøtte er forlenget til 1. desember. Se bostøtte (https://etaten.example.org/bostotte).")
        #expect(all[0].author.name == "Etaten")
        #expect(all[0].language == "nb-NO")
        #expect(all[0].attachments == [Attachment(url: "https://etaten.example.org/dokumenter/frister.pdf", mediaType: "application/pdf", description: "Frister (PDF)")])
        #expect(all[1].text == "Kontoret i Storgata holder stengt fredag 20. november.")   // content_text, no title
        #expect(all[1].author.name == "Ingrid Solberg")
        #expect(all[1].language == "nb")
        #expect(iso(all[1].createdAt) == "2026-11-16T11:00:00Z")
    }

    @Test func jsonFeed10SingularAuthorAndBadDate() throws {
        let all = try items("jsonfeed-1.0.json")
        #expect(all.map(\.author.name) == ["Sam Taylor", "Etaten Communications"])
        #expect(all[0].text == "How to apply for housing benefit\n\nYou can apply online or on paper — see https://etaten.example.org/en/apply.")
        #expect(all[1].createdAt == nil)   // "not a date"
        #expect(all[1].text == "Service notice")
    }

    @Test func byteOrderMark() throws {
        let all = try items("rss-bom.xml")
        #expect(all.map(\.id) == ["https://etaten.example.org/kunngjoringer/horing-bostotte"])
        #expect(iso(all[0].createdAt) == "2026-11-19T09:00:00Z")
    }

    @Test func cdataHTMLEntitiesAndBadDates() throws {
        let all = try items("rss-cdata.xml")
        #expect(all.map(\.id) == ["blogg-77", "blogg-78"])
        #expect(all[0].createdAt == nil)   // an impossible RFC 822 date
        #expect(all[0].text == "Spørsmål & svar om bostøtte\n\nMange spør: Hvordan søker jeg om bostøtte?\n\nSvaret står i ofte stilte spørsmål (https://etaten.example.org/faq) & i brosjyren.")
        #expect(all[0].author.name == "Etaten – Blogg")   // channel title in CDATA
        // &nbsp; and &shy; are not XML entities: rewritten and parsed on a second try.
        #expect(all[1].text == "Åpent møte om klagesaker\n\nVelkommen til åpent møte – ta med spørsmål!")
        #expect(iso(all[1].createdAt) == "2026-11-19T17:00:00Z")
        #expect(all[1].url == nil)
    }

    /// Issue 14: a billion-laughs feed was quarantined as "invalidURIError", the name
    /// `XMLParser.ErrorCode` gives libxml2's entity-loop code. The reason now says what
    /// happened, and no error is named by a Swift enum case.
    @Test func anEntityBombIsRefusedInWordsAPersonReads() throws {
        var doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doctype += " <!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        let xml = doctype + "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><guid>1</guid></item></channel></rss>\n"
        let error = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Data(xml.utf8)) }
        let reason = try #require(error?.reason)
        #expect(reason.contains("entity expansion refused"), "\(reason)")
        #expect(!reason.contains("invalidURI") && !reason.contains("URI"), "\(reason)")
        let loop = #expect(throws: FeedParseError.self) {
            try FeedNormaliser.parse(Data("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><rss><channel><title>&a;</title></channel></rss>".utf8))
        }
        #expect(loop?.reason.contains("entity expansion refused") == true, "\(loop?.reason ?? "")")
    }

    @Test("each kind of malformed XML is named in words, never by an XMLParser.ErrorCode case", arguments: [
        ("<rss><channel><title>1 < 2</title></channel></rss>", "&lt;"),
        ("<rss><channel><title>A & B</title></channel></rss>", "&amp;"),
        ("<rss><channel><title>T</titel></channel></rss>", "does not match its opening tag"),
        ("<rss><channel a='1' a='2'><title>T</title></channel></rss>", "given twice"),
        ("<rss><channel><title>\u{1}</title></channel></rss>", "an invalid character"),
        ("<rss><channel></channel></rss><rss></rss>", "after the end of the root element"),
        ("<rss><channel><!-- a -- b --></channel></rss>", "-- inside a comment"),
        ("<rss><channel a=1></channel></rss>", "without quotes"),
        ("<rss><channel><x:title>T</x:title></channel></rss>", "no namespace declared"),
        ("<?xml version=\"1.0\"?><rss><?xml version=\"1.0\"?></rss>", "not at the very start"),
    ])
    func malformedXMLIsNamedInWords(xml: String, words: String) throws {
        let error = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Data(xml.utf8)) }
        let reason = try #require(error?.reason)
        #expect(reason.hasPrefix("malformed XML (line "), "\(reason)")
        #expect(reason.contains(words), "\(reason)")
        #expect(reason.range(of: "[a-z]+(Error|Required|Mismatch)\\b", options: .regularExpression) == nil, "no enum case names: \(reason)")
    }

    @Test func malformedInputIsAnErrorNamingWhatIsWrong() throws {
        let xml = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Fixture.data("feed/malformed.xml")) }
        #expect(xml?.reason.hasPrefix("malformed XML (line ") == true)
        let html = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Fixture.data("feed/error-page.html")) }
        #expect(html?.reason == "an HTML page, not a feed")
        let json = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Data("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":7}]}".utf8)) }
        #expect(json?.reason == "a JSON Feed with a wrong type at items[0].id: expected a string")
        #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Data()) }
        #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Data("<html-ish><b>".utf8)) }
    }
}
