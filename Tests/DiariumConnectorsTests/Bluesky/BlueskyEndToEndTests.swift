import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The Bluesky fixture account's XRPC paths.
enum BskyPaths {
    static let resolve = "/xrpc/com.atproto.identity.resolveHandle"
    static let profile = "/xrpc/app.bsky.actor.getProfile"
    static let feed = "/xrpc/app.bsky.feed.getAuthorFeed"
    static let thread = "/xrpc/app.bsky.feed.getPostThread"
    static let posts = "/xrpc/app.bsky.feed.getPosts"
}

/// The Bluesky connector against a real `ReplayServer` over the real libcurl client.
@Suite struct BlueskyEndToEndTests {
    let connector = BlueskyConnector(client: Replay.client())
    static let cursor = "1795593600000__bafyreigt3kq2tilskudd3p3aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let known = Checkpoint(["did": BskyIDs.agency, "handle": "etaten.example.org", "platformHandle": "etaten.example.org",
                                   "newestIndexedAt": "2026-11-20T12:00:00.412Z", "newestUri": BskyIDs.p4])

    func account(_ server: ReplayServer, handle: String = "etaten.example.org") -> AccountConfig {
        AccountConfig(key: "etaten-bsky", platform: .bluesky, baseURL: server.baseURL, handle: handle)
    }

    static func thread(_ uri: String, _ fixture: String, status: Int = 200) throws -> ReplayRoute {
        try Replay.route(BskyPaths.thread, query: ["uri": uri], status: status, "bluesky/\(fixture)")
    }

    static func firstPollRoutes(page2: String = "bluesky/feed-page2.json") throws -> [ReplayRoute] {
        [
            try Replay.route(BskyPaths.resolve, query: ["handle": "etaten.example.org"], "bluesky/resolve-handle.json"),
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency, "limit": "100"], "bluesky/feed-page1.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency, "limit": "100", "cursor": cursor], page2),
            try thread(BskyIDs.p1, "thread-p1.json"), try thread(BskyIDs.p2, "thread-p2.json"),
            try thread(BskyIDs.p3, "thread-p3.json"), try thread(BskyIDs.p4, "thread-p4.json"),
        ]
    }

    @Test func firstArchivePagesTheFeedAndFetchesNestedThreads() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.deletions.isEmpty)
        #expect(harvest.checkpoint.values == ["did": BskyIDs.agency, "handle": "etaten.example.org", "platformHandle": "etaten.example.org",
                                              "newestIndexedAt": "2026-11-20T12:00:00.412Z", "newestUri": BskyIDs.p4])
        #expect(harvest.observations.map(\.items.count) == [3, 2, 4])
        #expect(harvest.items.map(\.id) == [BskyIDs.p4, BskyIDs.repost, BskyIDs.p3, BskyIDs.p2, BskyIDs.p1,
                                           BskyIDs.k1, BskyIDs.a1, BskyIDs.k2, BskyIDs.klage])
        // The thread's capture is the thread response, byte for byte.
        #expect(harvest.observations[2].capture.body == (try Fixture.data("bluesky/thread-p1.json")))
        #expect(harvest.observations[2].items.allSatisfy { $0.threadRoot == BskyIDs.p1 })
        #expect(harvest.observations[2].items.item(BskyIDs.k2)?.inReplyTo == BskyIDs.a1)
        // Threads oldest first; the repost has none of its own.
        #expect(server.requests(to: BskyPaths.thread).map { $0.query["uri"] } == [BskyIDs.p1, BskyIDs.p2, BskyIDs.p3, BskyIDs.p4])
        #expect(server.requests(to: BskyPaths.thread).allSatisfy { $0.query["depth"] == "1000" && $0.query["parentHeight"] == "0" })
        #expect(server.requests.allSatisfy { $0.header("Authorization") == nil })
    }

    @Test func incrementalPollStopsAtTheKnownPost() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], "bluesky/feed-new.json"),
            try Self.thread(BskyIDs.p5, "thread-p5.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())

        #expect(harvest.items.map(\.id) == [BskyIDs.p5])
        #expect(harvest.items.first?.text == "Husk fristen for å søke om tilskudd: 1. desember.")
        #expect(harvest.checkpoint["newestUri"] == BskyIDs.p5)
        #expect(harvest.checkpoint["newestIndexedAt"] == "2026-11-20T13:30:00.560Z")
        // The stored DID spares the lookup; one page from the top, no cursor, by DID.
        #expect(server.requests(to: BskyPaths.resolve).isEmpty)
        let feeds = server.requests(to: BskyPaths.feed)
        #expect(feeds.count == 1)
        #expect(feeds.first?.query["cursor"] == nil)
        #expect(feeds.first?.query["actor"] == BskyIDs.agency)
        #expect(harvest.quarantined.isEmpty)
    }

    @Test func editIsANewVersionAndDeletionNeedsTheDirectLookup() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], "bluesky/feed-new.json"),
            try Self.thread(BskyIDs.p5, "thread-p5.json"),
            try Replay.route(BskyPaths.posts, "bluesky/posts-recheck.json"),
            // Missing from getPosts: the klage is gone, Kari's thanks is still there.
            try Self.thread(BskyIDs.klage, "thread-notfound.json", status: 400),
            try Self.thread(BskyIDs.k2, "thread-k2.json"),
        ])
        defer { server.stop() }
        let known = KnownItems(recentItemIDs: [BskyIDs.p5, BskyIDs.p2, BskyIDs.k1, BskyIDs.klage, BskyIDs.k2, BskyIDs.repost])
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: known)

        #expect(harvest.quarantined.isEmpty)
        // The new post, then the re-checked posts (the edit first), then Kari's thanks.
        #expect(harvest.items.map(\.id) == [BskyIDs.p5, BskyIDs.p2, BskyIDs.k1, BskyIDs.k2])
        let edited = try #require(harvest.items.item(BskyIDs.p2))
        #expect(edited.text == "Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.")
        #expect(iso(edited.editedAt) == "2026-11-20T09:20:00.045Z")
        // Only the lookup that answered NotFound makes a deletion, with that answer as evidence.
        #expect(harvest.deletions.map(\.itemID) == [BskyIDs.klage])
        let evidence = try #require(harvest.deletions.first?.evidence)
        #expect(evidence.status == 400)
        #expect(evidence.body == (try Fixture.data("bluesky/thread-notfound.json")))
        #expect(evidence.url.contains(BskyPaths.thread))
        // One batch; the new post (seen on the feed) and the repost are not asked for.
        let batch = try #require(server.requests(to: BskyPaths.posts).first)
        #expect(batch.queryItems.filter { $0.name == "uris" }.map(\.value) == [BskyIDs.p2, BskyIDs.k1, BskyIDs.klage, BskyIDs.k2])
    }

    @Test func editAcrossTwoPollsGivesTwoVersions() async throws {
        let server = try ReplayServer(routes: try Self.firstPollRoutes() + [
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency, "limit": "100"], "bluesky/feed-new.json", stage: 1),
            try Self.thread(BskyIDs.p5, "thread-p5.json"),
            try Replay.route(BskyPaths.posts, "bluesky/posts-recheck.json", stage: 1),
        ])
        defer { server.stop() }
        let first = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        server.setStage(1)
        let second = try await connector.harvest(account: account(server), checkpoint: first.checkpoint,
                                                 known: KnownItems(recentItemIDs: [BskyIDs.p2, BskyIDs.k1]))
        let versions = (first.items + second.items).filter { $0.id == BskyIDs.p2 }
        #expect(versions.map(\.text) == ["Kontoret i Storgata er stengt fredag.\n\nQuoting @kommunen.example.com (Eksempel kommune): Biblioteket har nye åpningstider fra 1. desember. — https://bsky.app/profile/kommunen.example.com/post/3mbqa0biblio2",
                                         "Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje."])
        #expect(versions.map { iso($0.editedAt) } == [nil, "2026-11-20T09:20:00.045Z"])
    }

    @Test func rateLimitIsHonouredBeforeTheNextRequest() async throws {
        var limited = try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], status: 429, "bluesky/error-429.json")
        limited.times = 1
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile.json"),
            limited,
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], "bluesky/feed-new.json"),
            try Self.thread(BskyIDs.p5, "thread-p5.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())
        #expect(harvest.items.map(\.id) == [BskyIDs.p5])
        #expect(harvest.quarantined.isEmpty)
        let feeds = server.requests(to: BskyPaths.feed)
        #expect(feeds.count == 2)
        if feeds.count == 2 {
            #expect(feeds[1].receivedAt.timeIntervalSince(feeds[0].receivedAt) >= 0.95)   // Retry-After: 1
        }
    }

    @Test func malformedSecondPageIsQuarantinedAndTheCursorStays() async throws {
        for (fixture, problem) in [
            ("bluesky/feed-truncated.json", "returned malformed JSON where a Bluesky author feed was expected."),
            ("bluesky/feed-wrong-type.json", "returned a Bluesky author feed with a wrong type at feed[0].post.uri: expected a string."),
        ] {
            let server = try ReplayServer(routes: Self.firstPollRoutes(page2: fixture))
            defer { server.stop() }
            let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
            #expect(harvest.observations.first?.items.map(\.id) == [BskyIDs.p4, BskyIDs.repost, BskyIDs.p3])
            let url = "\(server.baseURL)\(BskyPaths.feed)?actor=\(URLText.queryEscape(BskyIDs.agency))&limit=100&cursor=\(Self.cursor)"
            #expect(harvest.quarantined.map(\.problem) == ["\(url) \(problem)"])
            #expect(harvest.quarantined.first?.capture.body == (try Fixture.data(fixture)))
            // A walk that broke off must start again from the top next time.
            #expect(harvest.checkpoint["newestIndexedAt"] == nil)
            #expect(harvest.checkpoint["did"] == BskyIDs.agency)
        }
    }

    @Test(arguments: [
        (401, "bluesky/error-401.json", "answered HTTP 401 (“AuthMissing: Authentication Required”)."),
        (503, "bluesky/error-503.json", "answered HTTP 503 (“UpstreamFailure: Upstream Failure”)."),
        (429, "bluesky/error-429.json", "answered HTTP 429 (“RateLimitExceeded: Rate Limit Exceeded”), rate limited until 2026-11-20T09:15:00Z."),
        (404, "bluesky/error-401.json", "answered HTTP 404 (“AuthMissing: Authentication Required”)."),
        (200, "bluesky/error-page.html", "returned an HTML page (text/html; charset=utf-8) where JSON was expected."),
    ])
    func badAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], status: status, fixture, contentType: "text/html; charset=utf-8"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())
        let url = "\(server.baseURL)\(BskyPaths.feed)?actor=\(URLText.queryEscape(BskyIDs.agency))&limit=100"
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.map(\.problem) == ["\(url) \(problem)"])
        #expect(harvest.checkpoint == Self.known)
    }

    @Test func renamedHandleWithTheSameDIDIsAnEvent() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.resolve, query: ["handle": "etaten-ny.example.org"], "bluesky/resolve-handle.json"),
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], "bluesky/profile-renamed.json"),
            try Replay.route(BskyPaths.feed, query: ["actor": BskyIDs.agency], "bluesky/feed-new.json"),
            try Self.thread(BskyIDs.p5, "thread-p5.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server, handle: "@etaten-ny.example.org"), checkpoint: Self.known, known: KnownItems())
        #expect(harvest.accountEvents.map(\.kind) == [.renamed])
        #expect(harvest.accountEvents.first?.detail == "handle changed from @etaten.example.org to @etaten-ny.example.org; still \(BskyIDs.agency)")
        // Followed by the DID: the cursor survived the rename.
        #expect(harvest.items.map(\.id) == [BskyIDs.p5])
        #expect(harvest.checkpoint["handle"] == "etaten-ny.example.org")
        #expect(harvest.checkpoint["platformHandle"] == "etaten-ny.example.org")
    }

    @Test(arguments: [("bluesky/profile-takedown.json", "taken down"), ("bluesky/profile-not-found.json", "deleted or deactivated")])
    func goneAccountIsAConnectorError(fixture: String, words: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.profile, query: ["actor": BskyIDs.agency], status: 400, fixture),
        ])
        defer { server.stop() }
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())
        }
        #expect(error?.message.contains("etaten-bsky") == true)
        #expect(error?.message.contains(words) == true)
        #expect(server.requests(to: BskyPaths.feed).isEmpty)
    }

    @Test func unknownHandleThrows() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(BskyPaths.resolve, query: ["handle": "etaten.example.org"], status: 400, "bluesky/resolve-handle-400.json"),
        ])
        defer { server.stop() }
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        }
        #expect(error == .accountNotFound(account: "etaten-bsky", handle: "etaten.example.org",
                                          url: "\(server.baseURL)\(BskyPaths.resolve)?handle=etaten.example.org"))
    }
}
