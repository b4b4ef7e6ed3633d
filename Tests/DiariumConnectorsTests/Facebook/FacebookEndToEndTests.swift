import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The Facebook connector against a real `ReplayServer` over the real libcurl client.
@Suite struct FacebookEndToEndTests {
    static let page = "104857290000001"
    static let postA = "104857290000001_2000000000000003", postB = "104857290000001_2000000000000002"
    static let postC = "104857290000001_2000000000000001", postD = "104857290000001_2000000000000004"
    static let k1 = "2000000000000003_3000000000000001", k3 = "2000000000000003_3000000000000003"
    static let feed = "/\(page)/feed", conversations = "/\(page)/conversations"
    static func comments(_ id: String) -> String { "/\(id)/comments" }

    let connector = FacebookConnector(client: Replay.client(), options: .init(pageSize: 2))

    func account(_ server: ReplayServer, credentials: String? = nil) -> AccountConfig {
        AccountConfig(key: "etaten-fb", platform: .facebook, baseURL: server.baseURL, handle: Self.page, credentials: credentials)
    }

    static func firstPollRoutes(page2: String = "facebook/feed-page2.json") throws -> [ReplayRoute] {
        [
            try Replay.route(feed, query: ["limit": "2"], "facebook/feed-page1.json"),
            try Replay.route(feed, query: ["limit": "2", "after": "QVFIUmV0YXRlbjI"], page2),
            try Replay.route(comments(postA), query: ["filter": "stream"], "facebook/comments-thread.json"),
            try Replay.route(comments(postB), "facebook/comments-empty.json"),
            try Replay.route(comments(postC), "facebook/comments-empty.json"),
            try Replay.route(conversations, "facebook/conversations.json"),
        ]
    }

    @Test func firstArchivePagesThreadsAndMessages() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("EAAGsecretPageToken\n".utf8).write(to: dir.file("fb-token"))
        let harvest = try await connector.harvest(account: account(server, credentials: dir.file("fb-token").path), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint.values == ["newestCreated": "2026-11-19T09:00:00Z", "newestId": Self.postA, "newestMessage": "2026-11-20T07:45:00Z"])
        #expect(harvest.observations.map(\.items.count) == [2, 1, 4, 2])
        #expect(harvest.observations[0].capture.body == (try Fixture.data("facebook/feed-page1.json")))
        #expect(harvest.observations[1].capture.url.hasSuffix("&limit=2&after=QVFIUmV0YXRlbjI"))
        #expect(harvest.items.prefix(3).map(\.id) == [Self.postA, Self.postB, Self.postC])
        #expect(harvest.items.item(Self.postB)?.kind == .share)

        // The thread: replies to a comment keep that comment as inReplyTo.
        let thread = harvest.observations[2].items
        #expect(thread.map(\.inReplyTo) == [Self.postA, Self.k1, Self.k1, Self.postA])
        #expect(thread.allSatisfy { $0.threadRoot == Self.postA && $0.kind == .comment })
        #expect(thread.first?.text.hasPrefix("Hvordan søker jeg om") == true)
        #expect(thread.last?.text.hasPrefix("Jeg vil klage på") == true)

        let messages = harvest.observations[3].items
        #expect(messages.map(\.kind) == [.message, .message])
        #expect(messages.allSatisfy { $0.visibility == .direct && $0.threadRoot == "t_5000000000000001" })
        #expect(messages.map(\.author.agency) == [true, false])

        // Comments asked for oldest post first, all with filter=stream; the token only
        // ever travels in the Authorization header.
        #expect(server.requests.map(\.path).filter { $0.hasSuffix("/comments") } == [Self.postC, Self.postB, Self.postA].map(Self.comments))
        #expect(server.requests.filter { $0.path.hasSuffix("/comments") }.allSatisfy { $0.query["filter"] == "stream" })
        #expect(server.requests.allSatisfy { $0.header("Authorization") == "Bearer EAAGsecretPageToken" && $0.query["access_token"] == nil })
        #expect(harvest.observations.allSatisfy { !$0.capture.url.contains("EAAGsecret") })
    }

    @Test func incrementalPollAsksSinceTheNewestPostAndReturnsOnlyNewAndEdited() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes() + [
            try Replay.route(Self.feed, query: ["limit": "2", "since": "1795078800"], "facebook/feed-new.json"),
            try Replay.route(Self.comments(Self.postD), "facebook/comments-empty.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["newestCreated": "2026-11-19T09:00:00Z", "newestId": Self.postA, "newestMessage": "2026-11-20T07:45:00Z"])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: KnownItems())

        // The new post, and the known post A again as a second version: it was edited.
        #expect(harvest.items.map(\.id) == [Self.postD, Self.postA])
        let edited = try #require(harvest.items.item(Self.postA))
        #expect(iso(edited.editedAt) == "2026-11-20T09:15:00Z")
        #expect(edited.text.hasPrefix("Fra mandag 23. november"))
        #expect(harvest.checkpoint["newestCreated"] == "2026-11-20T08:30:00Z")
        #expect(harvest.checkpoint["newestId"] == Self.postD)
        #expect(harvest.checkpoint["newestMessage"] == "2026-11-20T07:45:00Z")
        // One feed request, with since=, no paging past the known post.
        #expect(server.requests(to: Self.feed).map { $0.query["since"] } == ["1795078800"])
        #expect(server.requests(to: Self.feed).allSatisfy { $0.query["after"] == nil })
        #expect(server.requests.map(\.path).filter { $0.hasSuffix("/comments") } == [Self.comments(Self.postD)])
    }

    @Test func anEditAlreadyStoredIsNotEmittedAgain() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes() + [
            try Replay.route(Self.feed, query: ["limit": "2", "since": "1795078800"], "facebook/feed-new.json"),
            try Replay.route(Self.comments(Self.postD), "facebook/comments-empty.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["newestCreated": "2026-11-19T09:00:00Z", "newestId": Self.postA, "newestMessage": "2026-11-20T07:45:00Z"])
        let known = KnownItems(lastEdited: [Self.postA: try #require(Timestamp.parse("2026-11-20T09:15:00Z"))])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: known)
        #expect(harvest.items.map(\.id) == [Self.postD])
    }

    @Test func deletionIsConfirmedByDirectLookupNotByAbsence() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.feed, query: ["since": "1795078800"], "facebook/comments-empty.json"),
            try Replay.route(Self.comments(Self.postA), "facebook/comments-empty.json"),
            try Replay.route(Self.conversations, status: 403, "facebook/conversations-permission.json"),
            try Replay.route("/", query: ["fields": "id"], status: 400, "facebook/ids-batch-missing.json"),
            try Replay.route("/\(Self.k1)", "facebook/lookup-ok.json"),
            try Replay.route("/\(Self.postA)", "facebook/lookup-ok.json"),
            try Replay.route("/\(Self.k3)", status: 400, "facebook/lookup-deleted.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["newestCreated": "2026-11-19T09:00:00Z", "newestId": Self.postA])
        let known = KnownItems(recentThreadRoots: [Self.postA], recentItemIDs: [Self.k3, Self.k1, Self.postA])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: known)

        // Both comments were absent from their post's comment list; only k3's own
        // lookup said it is gone.
        #expect(harvest.deletions.map(\.itemID) == [Self.k3])
        let deletion = try #require(harvest.deletions.first)
        #expect(deletion.evidence.status == 400)
        #expect(deletion.evidence.url == "\(server.baseURL)/\(Self.k3)?fields=id")
        #expect(deletion.how.contains("Graph error 100/33"))
        #expect(harvest.quarantined.isEmpty)
        // The Page's messages are not readable with this token: a problem, not a failure.
        #expect(harvest.problems.count == 1)
        #expect(harvest.problems.first?.hasPrefix("etaten-fb: Page messages not read") == true)
        #expect(server.requests(to: "/").first?.query["ids"] == "\(Self.k3),\(Self.k1),\(Self.postA)")
    }

    @Test(arguments: ["throttle-4", "throttle-17", "throttle-32"])
    func throttlingBodyStopsTheHarvest(fixture: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.feed, query: ["limit": "2"], status: 400, "facebook/\(fixture).json"),
            try Replay.route(Self.conversations, "facebook/conversations.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems(recentThreadRoots: [Self.postA]))
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.count == 1)
        #expect(harvest.quarantined.first?.problem.contains("rate limited") == true)
        #expect(server.requests.count == 1)
        #expect(harvest.checkpoint == Checkpoint())
    }

    @Test func highUsageHeaderStopsAfterTheGoodPage() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes(page2: "facebook/usage-high.json"))
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.items.map(\.id) == [Self.postA, Self.postB, Self.postC])
        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.count == 1)
        let problem = try #require(harvest.problems.first)
        #expect(problem.hasPrefix("etaten-fb: Graph API usage reached 96 % (X-App-Usage); the harvest stopped early, come back after 20"))
        // Every feed page was read, so the cursor moves; nothing was asked after the limit.
        #expect(harvest.checkpoint["newestId"] == Self.postA)
        #expect(server.requests.count == 2)
    }

    @Test(arguments: [
        ("facebook/truncated.json", "returned malformed JSON where a Facebook feed page was expected."),
        ("facebook/wrong-type.json", "returned a Facebook feed page with a wrong type at data[0].message: expected a string."),
    ])
    func malformedPageIsQuarantinedAndTheCursorStays(fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes(page2: fixture))
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.first?.items.map(\.id) == [Self.postA, Self.postB])
        #expect(harvest.quarantined.map(\.problem) == ["\(server.baseURL)\(Self.feed)?fields=\(FacebookEndToEndTests.fields)&limit=2&after=QVFIUmV0YXRlbjI \(problem)"])
        #expect(harvest.quarantined.first?.capture.body == (try Fixture.data(fixture)))
        #expect(harvest.checkpoint["newestCreated"] == nil)
        // The good posts' comments and the messages are still harvested.
        #expect(harvest.items.count == 2 + 4 + 2)
    }

    static let attachmentFields = "media_type,type,url,unshimmed_url,title,description,media%7Bimage%7Bsrc%7D,source%7D,target%7Bid,url%7D"
    static let fields = "id,message,story,created_time,updated_time,from%7Bid,name%7D,permalink_url"
        + ",attachments%7B\(attachmentFields),subattachments%7B\(attachmentFields)%7D%7D,status_type,parent_id"

    @Test(arguments: [
        (400, "facebook/error-auth.json", "answered HTTP 400 (Graph error 104: “An access token is required to request this resource.”). No access token was sent: the account 'etaten-fb' has no credentials key in the configuration."),
        (404, "facebook/error-404.json", "answered HTTP 404 (Graph error 803: “(#803) Some of the aliases you requested do not exist: 104857290000001”)."),
        (500, "facebook/error-500.json", "answered HTTP 500 (Graph error 1: “An unknown error has occurred.”)."),
        (200, "facebook/error-page.html", "returned an HTML page (text/html; charset=utf-8) where JSON was expected."),
    ])
    func unexpectedAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.feed, query: ["limit": "2"], status: status, fixture, contentType: "text/html; charset=utf-8"),
            try Replay.route(Self.conversations, "facebook/comments-empty.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.map(\.problem) == ["\(server.baseURL)\(Self.feed)?fields=\(Self.fields)&limit=2 \(problem)"])
        #expect(harvest.quarantined.first?.capture.status == status)
        #expect(harvest.checkpoint["newestCreated"] == nil)
        if status == 500 { #expect(server.requests(to: Self.feed).count == 2) }   // the client retried
    }
}
