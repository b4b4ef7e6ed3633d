import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The X fixture account's API paths.
enum XPaths {
    static let user = "/2/users/by/username/etaten"
    static let timeline = "/2/users/1600000000000000101/tweets"
    static let search = "/2/tweets/search/recent"
    static let lookup = "/2/tweets"
    static let messages = "/2/dm_events"
}

/// The X connector against a real `ReplayServer` over the real libcurl client.
@Suite struct XConnectorEndToEndTests {
    let connector = XConnector(client: Replay.client())
    static let nextToken = "7140dibdnow9c7btw4b0etaten2page"
    static let known = Checkpoint(["userId": XIDs.agency, "handle": "etaten", "username": "etaten", "newestId": XIDs.t3])

    func account(_ server: ReplayServer, credentials: String? = nil) -> AccountConfig {
        AccountConfig(key: "etaten-x", platform: .x, baseURL: server.baseURL, handle: "@etaten", credentials: credentials)
    }

    /// Messages answered as X answers them without a user-context token.
    static func noMessages() throws -> ReplayRoute {
        try Replay.route(XPaths.messages, status: 401, "x/error-401.json")
    }

    static func firstPollRoutes(page2: String = "x/timeline-page2.json") throws -> [ReplayRoute] {
        [
            try noMessages(),
            try Replay.route(XPaths.user, "x/user.json"),
            try Replay.route(XPaths.timeline, query: ["max_results": "100"], "x/timeline-page1.json"),
            try Replay.route(XPaths.timeline, query: ["max_results": "100", "pagination_token": nextToken], page2),
            try Replay.route(XPaths.search, query: ["query": "conversation_id:\(XIDs.t1)"], "x/search-thread.json"),
            try Replay.route(XPaths.search, "x/search-empty.json"),
        ]
    }

    @Test func firstArchivePagesTheTimelineAndSearchesConversations() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint.values == ["userId": XIDs.agency, "handle": "etaten", "username": "etaten", "newestId": XIDs.t3])
        #expect(harvest.observations.map(\.items.count) == [3, 1, 3])
        #expect(harvest.items.map(\.id) == [XIDs.t3, XIDs.retweet, XIDs.t2, XIDs.t1, XIDs.p1, XIDs.a1, XIDs.k1])
        #expect(harvest.observations[0].capture.body == (try Fixture.data("x/timeline-page1.json")))
        #expect(harvest.observations[0].capture.headers.value(for: "x-rate-limit-limit") == "1500")
        // Conversations oldest first; the retweet has none of its own.
        #expect(server.requests(to: XPaths.search).map { $0.query["query"] } == [XIDs.t1, XIDs.t2, XIDs.t3].map { "conversation_id:\($0)" })
        let first = try #require(server.requests(to: XPaths.timeline).first)
        #expect(first.query["tweet.fields"] == "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,edit_history_tweet_ids,attachments,entities,lang,note_tweet")
        // Quoted and retweeted posts, their authors and media come with the page.
        #expect(first.query["expansions"] == "author_id,attachments.media_keys,attachments.poll_ids,referenced_tweets.id,referenced_tweets.id.author_id,referenced_tweets.id.attachments.media_keys")
        #expect(first.query["since_id"] == nil)
        // No token configured: no Authorization header; the messages' 401 is only a log line.
        #expect(server.requests.allSatisfy { $0.header("Authorization") == nil })
        #expect(server.requests(to: XPaths.messages).count == 1)
    }

    @Test func incrementalPollAsksSinceTheNewestIDAndTheEditIsASecondVersion() async throws {
        let server = try ReplayServer(routes: try Self.firstPollRoutes() + [
            try Replay.route(XPaths.timeline, query: ["max_results": "100", "since_id": XIDs.t3], "x/timeline-new.json"),
        ])
        defer { server.stop() }
        let first = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        let before = server.requests.count
        let second = try await connector.harvest(account: account(server), checkpoint: first.checkpoint, known: KnownItems())

        let asked = server.requests.dropFirst(before).filter { $0.path == XPaths.timeline }
        #expect(asked.map { $0.query["since_id"] } == [XIDs.t3])
        #expect(asked.first?.query["pagination_token"] == nil)
        #expect(server.requests.dropFirst(before).allSatisfy { $0.path != XPaths.user })
        #expect(second.items.map(\.id) == [XIDs.t4, XIDs.t2])
        #expect(second.checkpoint["newestId"] == XIDs.t4)
        let versions = (first.items + second.items).filter { $0.id == XIDs.t2 }
        #expect(versions.map(\.text) == ["Kontoret i Storgata er stengt fredag.", "Kontoret i Storgata er stengt fredag 21. november."])
        #expect(versions.map { iso($0.editedAt) } == [nil, "2026-11-20T09:10:00Z"])
    }

    @Test func versionsOfAnEditedPostInOneAnswerAreKeptOldestFirst() async throws {
        // The conversation search answers newest first, so an edited self-reply comes as
        // its edit, then its original: both are versions of the original's id, and the
        // registry numbers versions in the order they come, the last being current.
        let original = "2123720505553893778", edit = "2123723022136293778"
        let server = try ReplayServer(routes: [
            try Self.noMessages(),
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-empty.json"),
            try Replay.route(XPaths.search, query: ["query": "conversation_id:\(XIDs.t1)"], "x/search-edited-reply.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems(recentThreadRoots: [XIDs.t1]))

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.items.map(\.id) == [original, original])
        // (The normaliser gives the original version its own time as `editedAt`.)
        #expect(harvest.items.map { iso($0.editedAt) } == ["2026-11-20T10:10:00Z", "2026-11-20T10:20:00Z"])
        #expect(harvest.items.map(\.text) == ["Oppdatering: søknader om bostøtte behandles før jul.",
                                              "Oppdatering: søknader om bostøtte som kommer innen 1. desember, behandles før jul."])
        #expect(harvest.items.last?.url == "https://x.com/etaten/status/\(edit)")
    }

    @Test func aPostFirstSeenAlreadyEditedIsArchivedWithWhatItSaidBefore() async throws {
        // The timeline shows only the live version; its chain names the original, which a
        // direct lookup returns. The harvest holds both, oldest first, the live one last.
        let original = "2123733088465848050", edit = "2123739379921848050"
        let routes = [
            try Self.noMessages(),
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-edited.json"),
            try Replay.route(XPaths.search, "x/search-empty.json"),
            try Replay.route(XPaths.lookup, query: ["ids": original], "x/lookup-earlier-version.json"),
        ]
        let server = try ReplayServer(routes: routes)
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())
        #expect(harvest.quarantined.isEmpty && harvest.deletions.isEmpty)
        #expect(harvest.items.map(\.id) == [original, original])
        #expect(harvest.items.map(\.text) == ["Kontoret i Storgata 1 holder stengt fredag 26. november.",
                                              "Kontoret i Storgata 1 holder stengt fredag 27. november. Ring oss på 12 34 56 78."])
        #expect(harvest.items.last?.url == "https://x.com/etaten/status/\(edit)")
        #expect(harvest.items.map { iso($0.editedAt) } == ["2026-11-20T11:00:00Z", "2026-11-20T11:25:00Z"])
        #expect(server.requests(to: XPaths.lookup).map { $0.query["ids"] } == [original])

        // Once the registry holds that edit, the next poll asks for no earlier version.
        let again = try ReplayServer(routes: routes)
        defer { again.stop() }
        let lastEdit = try #require(Timestamp.parse("2026-11-20T11:25:00Z"))
        let next = try await connector.harvest(account: account(again), checkpoint: Self.known, known: KnownItems(lastEdited: [original: lastEdit]))
        #expect(next.items.map(\.text) == ["Kontoret i Storgata 1 holder stengt fredag 27. november. Ring oss på 12 34 56 78."])
        #expect(again.requests(to: XPaths.lookup).isEmpty)
    }

    @Test func deletionIsConfirmedByLookupErrorsAndMessagesAreRead() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("x-bearer-t0ken\n".utf8).write(to: dir.file("x-token"))
        let server = try ReplayServer(routes: [
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-empty.json"),
            // The thread search no longer lists any reply: absence alone deletes nothing.
            try Replay.route(XPaths.search, "x/search-empty.json"),
            try Replay.route(XPaths.lookup, "x/lookup-deleted.json"),
            try Replay.route(XPaths.messages, "x/dm-events.json"),
        ])
        defer { server.stop() }
        let known = KnownItems(recentThreadRoots: [XIDs.t1], recentItemIDs: [XIDs.k1, XIDs.p1, XIDs.t2, "dm-2123684015109047506"])
        let harvest = try await connector.harvest(account: account(server, credentials: dir.file("x-token").path), checkpoint: Self.known, known: known)

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.deletions.map(\.itemID) == [XIDs.p1])
        let evidence = try #require(harvest.deletions.first?.evidence)
        #expect(evidence.body == (try Fixture.data("x/lookup-deleted.json")))
        #expect(evidence.status == 200)
        // The lookup named the three post ids, never the message id.
        #expect(server.requests(to: XPaths.lookup).map { $0.query["ids"] } == ["\(XIDs.k1),\(XIDs.p1),\(XIDs.t2)"])
        // The DM first, then Kari's question again; the stale version of the edited post is not re-emitted.
        #expect(harvest.items.map(\.id) == ["dm-\(XIDs.dm)", XIDs.k1])
        #expect(harvest.items.first?.kind == .message)
        #expect(harvest.checkpoint["newestDmId"] == XIDs.dm)
        #expect(server.requests.allSatisfy { $0.header("Authorization") == "Bearer x-bearer-t0ken" })
    }

    @Test func forbiddenMessagesAreOnlyALogLine() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("app-only".utf8).write(to: dir.file("token"))
        let server = try ReplayServer(routes: [
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-empty.json"),
            try Replay.route(XPaths.messages, status: 403, "x/dm-forbidden.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server, credentials: dir.file("token").path), checkpoint: Self.known, known: KnownItems())
        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint == Self.known)
        #expect(server.requests(to: XPaths.messages).count == 1)
    }

    @Test func rateLimitResetIsHonouredBeforeTheNextRequest() async throws {
        let reset = Int(Date().timeIntervalSince1970) + 1
        let limited = ReplayRoute(path: XPaths.timeline, query: ["since_id": XIDs.t3], status: 429,
                                  headers: [ReplayHeader("content-type", "application/json"), ReplayHeader("x-rate-limit-limit", "1500"),
                                            ReplayHeader("x-rate-limit-remaining", "0"), ReplayHeader("x-rate-limit-reset", "\(reset)")],
                                  body: try Fixture.data("x/error-429.json"), times: 1)
        let server = try ReplayServer(routes: [
            try Self.noMessages(),
            limited,
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-new.json"),
            try Replay.route(XPaths.search, "x/search-empty.json"),
        ])
        defer { server.stop() }
        // The registry holds t2's original (the page shows its edit), so no earlier version is looked up.
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems(recentItemIDs: [XIDs.t2]))
        #expect(harvest.items.map(\.id) == [XIDs.t4, XIDs.t2])
        #expect(harvest.quarantined.isEmpty)
        let asked = server.requests(to: XPaths.timeline)
        #expect(asked.count == 2)
        if asked.count == 2 {
            #expect(asked[1].receivedAt.timeIntervalSince1970 >= Double(reset) - 0.05)
        }
    }

    @Test func malformedSecondPageIsQuarantinedAndTheCursorStays() async throws {
        for (fixture, problem) in [
            ("x/timeline-truncated.json", "returned malformed JSON where an X timeline page was expected."),
            ("x/timeline-wrong-type.json", "returned an X timeline page with a wrong type at data[0].id: expected a string."),
        ] {
            let server = try ReplayServer(routes: Self.firstPollRoutes(page2: fixture))
            defer { server.stop() }
            let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
            #expect(harvest.observations.first?.items.map(\.id) == [XIDs.t3, XIDs.retweet, XIDs.t2])
            #expect(harvest.quarantined.count == 1)
            #expect(harvest.quarantined.first?.problem.hasSuffix("&pagination_token=\(Self.nextToken) \(problem)") == true)
            #expect(harvest.checkpoint["newestId"] == nil)
            #expect(harvest.checkpoint["userId"] == XIDs.agency)
        }
    }

    @Test(arguments: [
        (401, "x/error-401.json", "answered HTTP 401 (“Unauthorized”); account 'etaten-x' has no credentials key, so no bearer token was sent."),
        (404, "x/error-404.json", "answered HTTP 404 (“Sorry, that page does not exist”)."),
        (429, "x/error-429.json", "answered HTTP 429 (“Too Many Requests”), rate limited until 2026-11-20T09:15:00Z."),
        (503, "x/error-503.json", "answered HTTP 503 (“Service Unavailable”)."),
        (200, "x/error-page.html", "returned an HTML page (text/html; charset=utf-8) where JSON was expected."),
    ])
    func badAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [
            try Self.noMessages(),
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], status: status, fixture, contentType: "text/html; charset=utf-8"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.known, known: KnownItems())
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.count == 1)
        #expect(harvest.quarantined.first?.problem.hasSuffix("&since_id=\(XIDs.t3) \(problem)") == true)
        #expect(harvest.checkpoint == Self.known)
    }

    @Test func missingTokenFileIsAConnectorError() async throws {
        let server = try ReplayServer(routes: [])
        defer { server.stop() }
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server, credentials: "/nonexistent/diarium/x-token"), checkpoint: Self.known, known: KnownItems())
        }
        #expect(error == .unreadableCredentials(account: "etaten-x", path: "/nonexistent/diarium/x-token"))
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: [("x/user-not-found.json", "was not found"), ("x/user-suspended.json", "suspended")])
    func unknownOrSuspendedUserThrows(fixture: String, words: String) async throws {
        let server = try ReplayServer(routes: [try Replay.route(XPaths.user, fixture)])
        defer { server.stop() }
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        }
        #expect(error?.message.contains("etaten-x") == true)
        #expect(error?.message.contains(words) == true)
    }

    @Test func renamedUsernameOnTheTimelineIsAnEvent() async throws {
        let server = try ReplayServer(routes: [
            try Self.noMessages(),
            try Replay.route(XPaths.timeline, query: ["since_id": XIDs.t3], "x/timeline-new.json"),
            try Replay.route(XPaths.search, "x/search-empty.json"),
        ])
        defer { server.stop() }
        var before = Self.known
        before["username"] = "etaten_gammel"
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: KnownItems())
        #expect(harvest.accountEvents.map(\.detail) == ["username changed from @etaten_gammel to @etaten; still user \(XIDs.agency)"])
        #expect(harvest.checkpoint["username"] == "etaten")
    }
}
