import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Issue 13: feeds written by others, archived as they are. One fixture per finding.
@Suite struct FeedFaithfulnessTests {
    let feedURL = "https://etaten.example.org/feed"

    func items(_ name: String, contentType: String? = nil) throws -> [Item] {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/\(name)"), contentType: contentType)
        return FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL)
    }

    // MARK: fields at their own depth

    @Test func aPlanetFeedKeepsEveryEntryAndNotTheSourcesFields() throws {
        let all = try items("atom-planet.xml")
        #expect(all.map(\.id) == ["tag:nordby.example.org,2026:nyheter/31", "tag:sorby.example.org,2026:post-7", "tag:nordby.example.org,2026:nyheter/30"])
        #expect(all.map(\.url) == ["https://nordby.example.org/nyheter/31", "https://sorby.example.org/post-7", "https://nordby.example.org/nyheter/30"])
        #expect(all[0].text == "Brøytekart for vinteren\n\nNå kan du se hvilke veier som brøytes først.")
        #expect(all[1].text == "Høring om ny skolestruktur\n\nForslaget er ute på høring til 15. januar.")
        #expect(all[2].text == "Stengt bibliotek mandag")
        #expect(all.map { iso($0.createdAt) } == ["2026-11-21T08:00:00Z", "2026-11-20T11:00:00Z", "2026-11-19T07:15:00Z"])
        #expect(all.map { iso($0.editedAt) } == [nil, "2026-11-20T12:30:00Z", nil])
        // The entry's author, else its source's (RFC 4287 § 4.2.1), never the aggregator's.
        #expect(all.map(\.author.name) == ["Nordby kommune", "Aud Lie", "Nordby kommune"])
    }

    @Test func rssSourceAndImageInsideAnItemAreNotTheItem() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/rss-nested.xml"))
        #expect(feed.title == "Etaten – Utvalgte saker")
        #expect(feed.link == "https://etaten.example.org/utvalgt")
        let all = FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL)
        #expect(all.map(\.id) == ["utvalgt-101", "utvalgt-102"])
        #expect(all.map(\.url) == ["https://etaten.example.org/utvalgt/parkering", "https://etaten.example.org/utvalgt/tilsyn"])
        #expect(all[0].text == "Nye regler for parkering\n\nFra 1. januar gjelder nye regler.")
        #expect(all[1].text == "Tilsynsrapport publisert\n\nRapporten fra tilsynet er nå offentlig.")
        #expect(all.allSatisfy { $0.author.name == "Etaten – Utvalgte saker" && $0.attachments.isEmpty })
    }

    // MARK: markup written inside a text field

    @Test func markupInsideDescriptionAndTitleBecomesText() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/rss-inline-markup.xml"))
        #expect(feed.title == "Etaten Kunngjøringer")
        let item = try #require(FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL).first)
        #expect(item.text == "Ny frist for søknader\n\nSøknader må være levert innen 1. desember.\n\nLes reglene (https://etaten.example.org/regler) før du søker.\nSpørsmål? Ring 3 < 4 ganger.")
    }

    @Test func markupInsideAtomSummaryContentAndTitleBecomesText() throws {
        let all = try items("atom-inline-markup.xml")
        #expect(all[0].text == "Stengt fredag\n\nKontoret er stengt.")
        #expect(all[1].text == "Åpent igjen\n\nVi åpner igjen mandag.\n\n- Skranke\n\n- Telefon")
    }

    // MARK: RSS in a namespace

    @Test func rssWithADefaultNamespaceIsRead() throws {
        let all = try items("rss-default-namespace.xml")
        #expect(all.map(\.id) == ["presse-51", "presse-50"])
        #expect(all[0].text == "Nytt servicesenter i Nordby\n\nServicesenteret åpner 1. desember.")
        #expect(all[0].author.name == "Per Hagen")
        #expect(all[0].url == "https://etaten.example.org/presse/servicesenter")
        #expect(iso(all[0].createdAt) == "2026-11-18T07:00:00Z")
        #expect(all[0].language == "nb-no")
        #expect(all[0].attachments == [Attachment(url: "https://etaten.example.org/presse/servicesenter.jpg", mediaType: "image/jpeg")])
        #expect(all[1].author.name == "Etaten – Pressemeldinger")
    }

    @Test func rssWithAPrefixIsRead() throws {
        let all = try items("rss-prefixed.xml")
        #expect(all.map(\.id) == ["stilling-9"])
        #expect(all[0].text == "Rådgiver, arkiv\n\nSøknadsfrist 10. desember.")
        #expect(all[0].url == "https://etaten.example.org/stillinger/radgiver-arkiv")
        #expect(iso(all[0].createdAt) == "2026-11-19T12:00:00Z")
        #expect(all[0].author.name == "Etaten – Ledige stillinger")
    }

    @Test func aWellFormedFeedWithoutEntriesSaysWhy() throws {
        let rss = try FeedNormaliser.parse(Fixture.data("feed/rss-stray-items.xml"))
        #expect(rss.entries.isEmpty)
        #expect(rss.emptyReason == "the document has 1 <item> element(s) (no namespace), but none where RSS puts items (in <channel>, or under the root for RDF)")
        let atom = try FeedNormaliser.parse(Data("<feed xmlns='http://www.w3.org/2005/Atom'><title>Tom</title></feed>".utf8))
        #expect(atom.emptyReason == "the feed holds no <entry> (an empty feed)")
        #expect(try FeedNormaliser.parse(Fixture.data("feed/rss-guid.xml")).emptyReason == nil)
        #expect(try FeedNormaliser.parse(Data("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]}".utf8)).emptyReason == "its items list is empty")
    }

    // MARK: the HTTP charset

    @Test func theHTTPCharsetIsHonoured() throws {
        let windows = try items("rss-windows-1252.xml", contentType: "text/xml; charset=windows-1252")
        #expect(windows.map(\.text) == ["Gebyret blir 250 € fra nyttår\n\nSøknadsgebyret øker – se «Gebyrer» på våre sider."])
        #expect(windows[0].author.name == "Etaten – Økonomi")
        #expect(try items("rss-windows-1252.xml", contentType: "text/xml; charset=\"Windows-1252\"").map(\.text) == windows.map(\.text))
        // Without the header these bytes are not UTF-8, which is what the document then means.
        let error = #expect(throws: FeedParseError.self) { try FeedNormaliser.parse(Fixture.data("feed/rss-windows-1252.xml")) }
        #expect(error?.reason.contains("an invalid character") == true)
    }

    @Test func theHTTPCharsetWinsOverTheDeclarationWhenItCanReadTheBytes() throws {
        // RFC 7303 § 3.2: the charset parameter is authoritative. The document says
        // ISO-8859-1, the server windows-1252; 0x80 is € only in the latter.
        #expect(try items("rss-declared-latin1.xml", contentType: "application/rss+xml; charset=windows-1252")[0].text
            == "Kopi koster 2 € per side\n\nGjelder fra 1. januar – også for «innsyn».")
        // Without a charset, the declaration decides.
        #expect(try items("rss-declared-latin1.xml")[0].text.hasPrefix("Kopi koster 2 \u{80} per side"))
        // A charset that cannot read the bytes (not UTF-8) gives way to the declaration.
        #expect(try items("rss-declared-latin1.xml", contentType: "text/xml; charset=utf-8")[0].text.hasPrefix("Kopi koster 2 \u{80} per side"))
    }

    // MARK: entities

    @Test func internalDTDEntitiesAreExpandedAndExternalOnesNeverRead() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/rss-internal-entities.xml"))
        #expect(feed.title == "Etaten – Nyheter")
        #expect(feed.link == "https://etaten.example.org/nyheter")
        let all = FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL)
        #expect(all.map(\.id) == ["flytting-1", "innspill-2"])
        #expect(all[0].text == "Etaten flytter\n\nFra mandag finner du oss i Storgata 1, 0155 Oslo.")
        #expect(all[0].url == "https://etaten.example.org/nyheter/flytting")
        #expect(all[0].attachments == [Attachment(url: "https://etaten.example.org/bilder/kart.png", mediaType: "image/png", description: "Kart over veien til Storgata 1, 0155 Oslo")])
        // An entity holding markup and one built from others; the SYSTEM entity is not fetched.
        #expect(all[1].text == "Frist for innspill\n\nSend innspill innen 1. desember til Etaten, Storgata 1, 0155 Oslo.")
        #expect(!all.contains { $0.text.contains("root:") })
    }

    @Test func anEntityBombIsNotExpanded() throws {
        var doctype = "<!DOCTYPE rss [<!ENTITY e0 \"ha\">"
        for level in 1...12 { doctype += "<!ENTITY e\(level) \"" + String(repeating: "&e\(level - 1);", count: 10) + "\">" }
        let xml = doctype + "]><rss><channel><title>T</title><item><guid>b</guid><description>&e12;</description></item></channel></rss>"
        let clock = ContinuousClock()
        let started = clock.now
        let feed = try? FeedNormaliser.parse(Data(xml.utf8))
        // Expanded, the bomb is 10¹² copies: it would never end, so any bound a loaded
        // machine meets says it was refused.
        #expect(clock.now - started < .seconds(120))
        #expect((feed?.entries.first?.body?.utf8.count ?? 0) < 10_000_000)
    }

    @Test func htmlEntitiesUnderAnExternalDTDAreDecodedNotDropped() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/rss-091-html-entities.xml"))
        #expect(feed.title == "Etaten – Arkiv")
        let item = try #require(FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL).first)
        #expect(item.url == "https://etaten.example.org/arkiv/kafe?dag=fredag&tid=12")
        // `&zzz;` is no entity anywhere: it stays as written rather than vanish.
        #expect(item.text == "Caféen i første etasje ½ dag stengt\n\nVi beklager – «kaféen» & kantina åpner kl. 12½. ™&zzz;")
    }

    @Test func htmlEntitiesInAttributesAreDecoded() throws {
        let item = try #require(try items("atom-attribute-entities.xml").first)
        #expect(item.attachments == [Attachment(url: "https://etaten.example.org/referat.pdf", mediaType: "application/pdf", description: "Referat – møte ½ time · rom på 20 m²")])
        #expect(item.text == "Referat fra møtet\n\n[Plan for 2½ etasje · kantina & kafé] Les referatet (https://etaten.example.org/referat?a=1&b=2)")
    }

    // MARK: extensions

    @Test func dublinCoreAndDCTermsFillTextAndDates() throws {
        let all = try items("rss-extensions.xml")
        let report = try #require(all.item("dc-1"))
        #expect(report.text == "Årsrapport 2025\n\nÅrsrapporten er lagt fram for styret.")
        #expect(report.author.name == "Aud Lie")
        #expect(iso(report.createdAt) == "2026-11-02T09:15:00Z")
        #expect(iso(report.editedAt) == "2026-11-03T07:00:00Z")
        #expect(report.attachments == [Attachment(url: "https://etaten.example.org/dokumenter/arsrapport-2025.pdf", mediaType: "application/pdf")])
        let budget = try #require(all.item("dcterms-2"))
        #expect(budget.text == "Budsjett\n\nBudsjettet for 2027 er vedtatt.")   // xhtml:body before description
        #expect(iso(budget.createdAt) == "2026-10-30T00:00:00Z")
    }

    @Test func mediaRSSAndITunesFillTextAndAttachments() throws {
        let all = try items("rss-extensions.xml")
        let video = try #require(all.item("media-3"))
        #expect(video.text == "Slik søker du bostøtte (video)\n\nEn gjennomgang av søknadsskjemaet, steg for steg.")
        #expect(iso(video.createdAt) == "2004-01-01T00:00:00Z")   // "Thu, 01 Jan 2004"
        #expect(video.author.name == "Etaten Kommunikasjon")      // the channel's itunes:author
        #expect(video.attachments == [
            Attachment(url: "https://etaten.example.org/video/bostotte.mp4", mediaType: "video/mp4", description: "Video: søknadsskjemaet"),
            Attachment(url: "https://etaten.example.org/video/bostotte-forside.jpg"),
            Attachment(url: "https://etaten.example.org/video/bostotte-liten.jpg"),
        ])
        let podcast = try #require(all.item("itunes-4"))
        #expect(podcast.text == "Podkast 13: Arkivet\n\nVi besøker arkivet i kjelleren.")
        #expect(podcast.author.name == "Sam Taylor")
        #expect(iso(podcast.createdAt) == "2004-01-04T16:29:06Z")   // asctime
        #expect(podcast.attachments == [
            Attachment(url: "https://etaten.example.org/podkast/13.mp3", mediaType: "audio/mpeg"),
            Attachment(url: "https://etaten.example.org/podkast/13.jpg"),
        ])
        let photo = try #require(all.item("media-5"))
        #expect(photo.text == "Bilde fra åpningen\n\nOrdføreren klipper snoren.")
        #expect(photo.attachments == [Attachment(url: "https://etaten.example.org/bilder/apning.jpg", mediaType: "image", description: "Snorklipping ved inngangen")])
    }

    @Test func atomBase64ContentIsDecoded() throws {
        let all = try items("atom-base64.xml")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]
        #expect(all[0].text == "Ikon for ny tjeneste\n\nDet nye ikonet for selvbetjening.")
        #expect(all[0].attachments == [Attachment(url: "data:image/png;base64," + Data(png).base64EncodedString(), mediaType: "image/png")])
        #expect(all[1].text == "Frister som data\n\n{\"frist\": \"2026-12-01\"}")
        #expect(all[1].attachments.isEmpty)
        #expect(all[2].text == "Rapport (lenket)\n\nRapporten ligger på egen side.")
        #expect(all[2].attachments == [Attachment(url: "https://etaten.example.org/rapport.pdf", mediaType: "application/pdf")])
    }

    @Test func atom03ModesAndDates() throws {
        let feed = try FeedNormaliser.parse(Fixture.data("feed/atom03-base64.xml"))
        #expect(feed.title == "Etaten – Gamle nyheter")
        let all = FeedNormaliser.items(from: feed, accountKey: "news", feedURL: feedURL)
        #expect(all[0].text == "Søknadsskjema på nett\n\nSkjemaet finnes på etaten.example.org/skjema – også på papir.")
        #expect(all[0].url == "https://etaten.example.org/gammelt/skjema")
        #expect(iso(all[0].createdAt) == "2004-01-04T15:29:06Z")
        #expect(iso(all[0].editedAt) == "2004-01-05T09:00:00Z")
        #expect(all[0].language == "nb")
        #expect(all[0].author.name == "Etaten")
        #expect(all[1].text == "Nytt telefonnummer\n\nNytt nummer: 22 00 00 00.")
        #expect(all[1].editedAt == nil)
    }

    @Test func rss090GivesItsItems() throws {
        #expect(FeedFormat.detect(try Fixture.data("feed/rss090.xml")) == .rss)
        let all = try items("rss090.xml")
        #expect(all.map(\.id) == ["https://etaten.example.org/nyheter/pa-nett", "https://etaten.example.org/nyheter/adresse"])
        #expect(all.map(\.text) == ["Etaten er på nett", "Ny adresse"])
        #expect(all.allSatisfy { $0.author.name == "Etaten – Eldste nyheter" })
    }
}

/// The same findings through the connector: the header comes from the replay server,
/// and the raw bytes are kept.
@Suite struct FeedFaithfulnessEndToEndTests {
    func account(_ server: ReplayServer, _ path: String) -> AccountConfig {
        AccountConfig(key: "etaten-okonomi", platform: .feed, url: server.baseURL + path)
    }

    @Test func aWindows1252FeedIsReadByItsContentTypeAndKeptAsSent() async throws {
        // rss-windows-1252.headers: `Content-Type: text/xml; charset=windows-1252`.
        let server = try ReplayServer(routes: [try Replay.route("/okonomi.xml", "feed/rss-windows-1252.xml")])
        defer { server.stop() }
        let harvest = try await FeedConnector(client: Replay.client()).harvest(account: account(server, "/okonomi.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.items.map(\.id) == ["okonomi-12"])
        #expect(harvest.items.first?.text.hasPrefix("Gebyret blir 250 € fra nyttår") == true)
        #expect(harvest.observations.first?.capture.body == (try Fixture.data("feed/rss-windows-1252.xml")))
    }

    @Test func aFeedWithoutEntriesIsLoggedWithTheAccountAndURL() async throws {
        let server = try ReplayServer(routes: [try Replay.route("/arrangementer.xml", "feed/rss-stray-items.xml", contentType: "application/rss+xml")])
        defer { server.stop() }
        let log = LogRecorder()
        let connector = FeedConnector(client: Replay.client(), logger: Logger(label: "test.feed") { _ in log.handler() })
        let url = server.baseURL + "/arrangementer.xml"
        let harvest = try await connector.harvest(account: account(server, "/arrangementer.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.isEmpty && harvest.quarantined.isEmpty)
        let warnings = log.records.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.hasPrefix("\(url) gave no entries: the document has 1 <item> element(s)") == true)
        #expect(warnings.first?.metadata["account"] == "etaten-okonomi")
        #expect(warnings.first?.metadata["url"] == "\(url)")
    }
}

/// Keeps what a logger was told, for assertions.
final class LogRecorder: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Record]>([])

    var records: [Record] { storage.withLock { $0 } }

    func handler() -> some LogHandler { Handler(recorder: self) }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let record = Record(level: event.level, message: "\(event.message)", metadata: all.mapValues { "\($0)" })
            recorder.storage.withLock { $0.append(record) }
        }
    }
}
