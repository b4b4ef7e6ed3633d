import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The feed connector against a real `ReplayServer` over the real libcurl client.
@Suite struct FeedEndToEndTests {
    let connector = FeedConnector(client: Replay.client())

    func account(_ server: ReplayServer, _ path: String) -> AccountConfig {
        AccountConfig(key: "etaten-news", platform: .feed, url: server.baseURL + path)
    }

    @Test func conditionalGetStoresValidatorsThenGets304() async throws {
        let etag = "\"5f2a-1763629800\""
        let modified = "Fri, 20 Nov 2026 09:10:00 GMT"
        let server = try ReplayServer(routes: [
            try Replay.route("/nyheter/rss.xml", "feed/rss-guid.xml", contentType: "application/rss+xml; charset=utf-8", etag: etag, lastModified: modified),
        ])
        defer { server.stop() }
        let first = try await connector.harvest(account: account(server, "/nyheter/rss.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(first.items.map(\.id) == ["nyhet-2026-0412", "nyhet-2026-0411"])
        #expect(first.items.allSatisfy { $0.account == "etaten-news" && $0.author.agency && $0.kind == .post })
        #expect(first.checkpoint["etag"] == etag)
        #expect(first.checkpoint["lastModified"] == modified)
        #expect(first.observations.first?.capture.body == (try Fixture.data("feed/rss-guid.xml")))

        let second = try await connector.harvest(account: account(server, "/nyheter/rss.xml"), checkpoint: first.checkpoint, known: KnownItems())
        #expect(second.observations.isEmpty && second.quarantined.isEmpty && second.deletions.isEmpty)
        #expect(second.checkpoint == first.checkpoint)
        let requests = server.requests(to: "/nyheter/rss.xml")
        #expect(requests.count == 2)
        #expect(requests[0].header("If-None-Match") == nil)
        #expect(requests[1].header("If-None-Match") == etag)
        #expect(requests[1].header("If-Modified-Since") == modified)
    }

    @Test func unchangedBodyWithoutValidatorsYieldsNothingNew() async throws {
        let server = try ReplayServer(routes: [try Replay.route("/feed.json", "feed/jsonfeed-1.1.json", contentType: "application/feed+json")])
        defer { server.stop() }
        let first = try await connector.harvest(account: account(server, "/feed.json"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(first.items.count == 2)
        #expect(first.checkpoint["etag"] == nil)
        #expect(first.checkpoint["sha256"] == SHA256.hexDigest(try Fixture.data("feed/jsonfeed-1.1.json")))
        let second = try await connector.harvest(account: account(server, "/feed.json"), checkpoint: first.checkpoint, known: KnownItems())
        #expect(second.observations.isEmpty)
        #expect(server.requests.count == 2)
    }

    @Test func atomUpdateGivesANewEditedAt() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route("/nyheter/atom.xml", "feed/atom-v1.xml", contentType: "application/atom+xml"),
            try Replay.route("/nyheter/atom.xml", "feed/atom-v2.xml", contentType: "application/atom+xml", stage: 1),
        ])
        defer { server.stop() }
        let id = "tag:etaten.example.org,2026:nyheter/0412"
        let first = try await connector.harvest(account: account(server, "/nyheter/atom.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(first.items.item(id)?.editedAt == nil)
        server.setStage(1)
        let second = try await connector.harvest(account: account(server, "/nyheter/atom.xml"), checkpoint: first.checkpoint, known: KnownItems())
        let updated = try #require(second.items.item(id))
        #expect(iso(updated.editedAt) == "2026-11-20T11:45:00Z")
        #expect(iso(updated.createdAt) == "2026-11-20T09:00:00Z")
        #expect(updated.text.contains("8. desember"))
        #expect(second.checkpoint["sha256"] != first.checkpoint["sha256"])
        #expect(second.deletions.isEmpty)
    }

    @Test func aDateThatIsNoDateIsLeftOutAndNamedWhileTheRawFeedKeepsIt() async throws {
        let server = try ReplayServer(routes: [try Replay.route("/kunngjoringer.xml", "feed/rss-absurd-dates.xml", contentType: "application/rss+xml")])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server, "/kunngjoringer.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.items.map(\.id) == ["kunngjoring-evig", "kunngjoring-1969", "kunngjoring-2200", "kunngjoring-frist"])
        #expect(harvest.items.item("kunngjoring-evig")?.createdAt == nil)
        #expect(harvest.items.item("kunngjoring-evig")?.text.hasPrefix("Ny åpningstid") == true)
        #expect(harvest.problems == [
            "item kunngjoring-evig: published date '9999-12-31T23:59:59-99:99' is not a date; stored without it, the raw capture keeps what the feed sent",
        ])
        // Dates that parse are the connector's to pass on; the archiver judges whether they are plausible.
        #expect(iso(harvest.items.item("kunngjoring-1969")?.createdAt) == "1969-12-31T23:00:00Z")
        #expect(iso(harvest.items.item("kunngjoring-2200")?.createdAt) == "2200-01-01T00:00:00Z")
        #expect(harvest.observations.first?.capture.body == (try Fixture.data("feed/rss-absurd-dates.xml")))
    }

    @Test func tombstoneBecomesADeletionWithTheFeedAsEvidence() async throws {
        let server = try ReplayServer(routes: [try Replay.route("/nyheter/atom.xml", "feed/atom-tombstone.xml", contentType: "application/atom+xml")])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server, "/nyheter/atom.xml"), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.items.map(\.id) == ["tag:etaten.example.org,2026:nyheter/0413"])
        let deletion = try #require(harvest.deletions.first)
        #expect(harvest.deletions.count == 1)
        #expect(deletion.itemID == "tag:etaten.example.org,2026:nyheter/0409")
        #expect(deletion.how.contains("when=2026-11-21T07:30:00Z"))
        #expect(deletion.evidence.body == (try Fixture.data("feed/atom-tombstone.xml")))
        #expect(deletion.evidence.url == server.baseURL + "/nyheter/atom.xml")
    }

    @Test(arguments: [
        ("feed/malformed.xml", "application/rss+xml", 200, "returned malformed XML (line "),
        ("feed/error-page.html", "text/html; charset=utf-8", 200, "returned an HTML page (text/html; charset=utf-8) where a feed was expected."),
        ("feed/error-page.html", "application/rss+xml", 200, "returned an HTML page (application/rss+xml) where a feed was expected."),
        ("feed/error-page.html", "text/html", 404, "answered HTTP 404."),
        ("mastodon/error-503.json", "application/json", 503, "answered HTTP 503 (“There was a temporary problem serving your request, please try again”)."),
    ])
    func badFeedsAreQuarantinedAndTheCheckpointStays(fixture: String, contentType: String, status: Int, problem: String) async throws {
        let server = try ReplayServer(routes: [try Replay.route("/news.xml", status: status, fixture, contentType: contentType)])
        defer { server.stop() }
        let before = Checkpoint(["etag": "\"old\"", "sha256": "0000"])
        let harvest = try await connector.harvest(account: account(server, "/news.xml"), checkpoint: before, known: KnownItems())
        #expect(harvest.observations.isEmpty)
        #expect(harvest.checkpoint == before)
        let bad = try #require(harvest.quarantined.first)
        #expect(bad.problem.hasPrefix("\(server.baseURL)/news.xml \(problem)"))
        #expect(bad.capture.body == (try Fixture.data(fixture)))
        #expect(bad.account == "etaten-news")
    }

    @Test func unreachableFeedThrowsAConnectorError() async throws {
        let server = try ReplayServer()
        let url = server.baseURL + "/news.xml"
        server.stop()
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: AccountConfig(key: "etaten-news", platform: .feed, url: url), checkpoint: Checkpoint(), known: KnownItems())
        }
        #expect(error?.message.hasPrefix("Account 'etaten-news': no response from \(url)") == true)
    }

    @Test func registryBuildsSupportedConnectorsOnly() {
        let client = Replay.client()
        #expect(makeConnector(for: .mastodon, client: client)?.platform == .mastodon)
        #expect(makeConnector(for: .feed, client: client)?.platform == .feed)
        for platform in Platform.allCases {
            #expect((makeConnector(for: platform, client: client) != nil) == supportedPlatforms.contains(platform))
            #expect(makeConnector(for: platform, client: client).map { $0.platform == platform } ?? true)
        }
        #expect(Set(supportedPlatforms).isSuperset(of: [.mastodon, .feed, .bluesky, .x]))
    }
}
