import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The Mastodon connector against a real `ReplayServer` over the real libcurl client.
@Suite struct MastodonEndToEndTests {
    static let s1 = "113500000000000100", s2 = "113500000000000200", s3 = "113500000000000300"
    static let s4 = "113500000000000400", s5 = "113500000000000500", s6 = "113500000000000600"
    static let s7 = "113500000000000700", s8 = "113500000000000800"
    static let d3 = "113500000000001003"

    let connector = MastodonConnector(client: Replay.client(), options: .init(pageSize: 4))

    func account(_ server: ReplayServer, credentials: String? = nil) -> AccountConfig {
        AccountConfig(key: "etaten", platform: .mastodon, baseURL: server.baseURL, handle: "@etaten", credentials: credentials)
    }

    /// Lookup, both timeline pages, every thread and both histories of the fixtures.
    static func firstPollRoutes(page2: String = "mastodon/statuses-page2.json") throws -> [ReplayRoute] {
        var routes = [
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4"], "mastodon/statuses-page1.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "max_id": s4], page2),
            try Replay.route(MastodonPaths.context(s1), "mastodon/context-thread.json"),
            try Replay.route(MastodonPaths.history(s2), "mastodon/history-2.json"),
            try Replay.route(MastodonPaths.history(d3), "mastodon/history-3.json"),
        ]
        for id in [s2, s3, s4, s6, s8] { routes.append(try Replay.route(MastodonPaths.context(id), "mastodon/context-empty.json")) }
        return routes
    }

    @Test func firstHarvestPagesThreadsAndEdits() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint.values == ["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        // Pages and the one non-empty thread in fetch order, each edited status's earlier
        // revisions just before the response that shows it as it is now: versions are
        // stored oldest first, and the live status stands for the history's last entry.
        #expect(harvest.observations.map(\.capture.url) == [
            "\(server.baseURL)\(MastodonPaths.statuses)?limit=4",
            "\(server.baseURL)\(MastodonPaths.history(Self.s2))",
            "\(server.baseURL)\(MastodonPaths.statuses)?limit=4&max_id=\(Self.s4)",
            "\(server.baseURL)\(MastodonPaths.history(Self.d3))",
            "\(server.baseURL)\(MastodonPaths.context(Self.s1))",
        ])
        #expect(harvest.observations.map(\.items.count) == [4, 1, 3, 2, 5])
        // The capture is the bytes as received, hashed as received.
        let page1 = try Fixture.data("mastodon/statuses-page1.json")
        #expect(harvest.observations[0].capture.body == page1)
        #expect(harvest.observations[0].capture.sha256 == SHA256.hexDigest(page1))
        #expect(harvest.observations[0].capture.headers.value(for: "Link")?.contains(server.baseURL) == true)

        let timeline = harvest.observations[0].items + harvest.observations[2].items
        #expect(timeline.map(\.id) == [Self.s7, Self.s6, Self.s5, Self.s4, Self.s3, Self.s2, Self.s1])
        // The self-reply's root comes from the thread, not from the page.
        #expect(timeline.item(Self.s7)?.threadRoot == Self.s1)

        let thread = harvest.observations[4].items
        #expect(thread.map(\.id) == ["113500000000001001", "113500000000001002", Self.d3, "113500000000001004", "113500000000001005"])
        #expect(thread.allSatisfy { $0.threadRoot == Self.s1 })
        #expect(thread.map(\.author.agency) == [false, true, false, false, false])
        #expect(thread[2].inReplyTo == "113500000000001002")   // nested: a reply to the agency's answer

        let versions = harvest.items.filter { $0.id == Self.s2 }
        #expect(versions.map { iso($0.editedAt) } == [nil, "2026-11-16T12:30:00Z"])
        #expect(versions[0].text == "Kontoret i Storgata holder stengt fredag 20. november.")
        #expect(versions[1] == timeline.item(Self.s2))
        #expect(harvest.items.filter { $0.id == Self.d3 }.map { iso($0.editedAt) } == [nil, "2026-11-16T10:55:00Z", "2026-11-16T11:10:00Z"])
        #expect(harvest.observations[3].items.allSatisfy { $0.threadRoot == Self.s1 })

        // Only the thread that has replies is asked for: the self-reply is inside its
        // root's thread, the boost has none, and s2, s3, s4 and s6 report no replies and
        // answer no one.
        let contextPaths = server.requests.map(\.path).filter { $0.hasSuffix("/context") }
        #expect(contextPaths == [MastodonPaths.context(Self.s1)])
        #expect(server.requests.first?.header("Accept") == "application/json")
        #expect(server.requests.allSatisfy { $0.header("Authorization") == nil })
    }

    @Test func incrementalHarvestUsesMinIDAndStoresOnlyTheNewPost() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4"], "mastodon/statuses-page1.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-new.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s8], "mastodon/statuses-empty.json"),
            try Replay.route(MastodonPaths.context(Self.s8), "mastodon/context-empty.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: KnownItems())

        #expect(harvest.items.map(\.id) == [Self.s8])
        #expect(harvest.items.first?.text == "Husk at fristen for å klage på vedtak om bostøtte er tre uker.")
        #expect(harvest.checkpoint["newestId"] == Self.s8)
        #expect(harvest.quarantined.isEmpty)
        // The stored account id spares the lookup; paging stopped at the empty page.
        #expect(server.requests(to: MastodonPaths.lookup).isEmpty)
        #expect(server.requests(to: MastodonPaths.statuses).map { $0.query["min_id"] } == [Self.s7, Self.s8])
    }

    @Test func rescanOfKnownThreadsSkipsKnownEdits() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes() + [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-empty.json"),
            // The batch re-check of known items answers with the root (among others).
            try Replay.route("/api/v1/statuses", "mastodon/statuses-page2.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        let known = KnownItems(recentThreadRoots: [Self.s1], lastEdited: [Self.d3: try #require(Timestamp.parse("2026-11-16T11:10:00.000Z"))])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: known)

        #expect(harvest.observations.count == 2)
        #expect(harvest.deletions.isEmpty)
        #expect(server.requests(to: "/api/v1/statuses").first?.queryItems.map(\.1) == [Self.s1])
        // The root again, then the whole thread (the self-reply too: it is not on a page this time).
        #expect(harvest.items.map(\.id) == [Self.s1, "113500000000001001", "113500000000001002", Self.d3, "113500000000001004", "113500000000001005", Self.s7])
        #expect(server.requests(to: MastodonPaths.history(Self.d3)).isEmpty)
        #expect(harvest.checkpoint == before)
    }

    @Test func goneFromTheBatchAnswerIsDeletedOnlyWhenTheDirectLookupSays404() async throws {
        let gone = "113500000000001002", stillThere = "113500000000001004"
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-empty.json"),
            .json("/api/v1/statuses", "[]"),
            try Replay.route(MastodonPaths.status(gone), status: 404, "mastodon/status-404.json"),
            .json(MastodonPaths.status(stillThere), Self.minimalStatus(stillThere)),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before,
                                                  known: KnownItems(recentItemIDs: [gone, stillThere]))
        #expect(harvest.deletions.map(\.itemID) == [gone])
        #expect(harvest.deletions.first?.evidence.status == 404)
        #expect(harvest.deletions.first?.how.contains("direct lookup") == true)
        #expect(server.requests(to: MastodonPaths.status(stillThere)).count == 1)
    }

    static func minimalStatus(_ id: String) -> String {
        #"{"id": "\#(id)", "created_at": "2026-11-16T11:00:00.000Z", "visibility": "public", "content": "<p>Fortsatt her</p>", "account": {"id": "110000000000000777", "username": "resident", "acct": "resident@other.example.net"}}"#
    }

    @Test func deletedThreadRootIsConfirmedByDirectLookup() async throws {
        let gone = "113400000000000100"
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-empty.json"),
            try Replay.route(MastodonPaths.context(gone), status: 404, "mastodon/status-404.json"),
            try Replay.route(MastodonPaths.status(gone), status: 404, "mastodon/status-404.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: KnownItems(recentThreadRoots: [gone]))
        #expect(harvest.deletions.map(\.itemID) == [gone])
        #expect(harvest.deletions.first?.evidence.status == 404)
        #expect(harvest.deletions.first?.evidence.url == "\(server.baseURL)\(MastodonPaths.status(gone))")
        #expect(harvest.quarantined.isEmpty)
    }

    @Test func malformedSecondPageIsQuarantinedAndTheCursorStays() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes(page2: "mastodon/malformed.json") + [
            try Replay.route(MastodonPaths.context(Self.s7), "mastodon/context-self-reply.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.observations.first?.items.map(\.id) == [Self.s7, Self.s6, Self.s5, Self.s4])
        // The root never arrived on a page, so the self-reply's thread was fetched: its
        // root is the first ancestor, which becomes an item of that context.
        #expect(harvest.observations.first?.items.first?.threadRoot == Self.s1)
        #expect(harvest.observations.count == 2)
        #expect(harvest.observations.last?.items.map(\.id) == [Self.s1])
        #expect(harvest.observations.last?.items.first?.threadRoot == Self.s1)
        #expect(harvest.quarantined.count == 1)
        let bad = try #require(harvest.quarantined.first)
        let url = "\(server.baseURL)\(MastodonPaths.statuses)?limit=4&max_id=\(Self.s4)"
        #expect(bad.problem == "\(url) returned malformed JSON where a list of Mastodon statuses was expected.")
        #expect(bad.account == "etaten")
        #expect(bad.capture.body == (try Fixture.data("mastodon/malformed.json")))
        // A back-fill that broke off goes on from the oldest status it archived; the
        // newest is kept, so what is posted meanwhile is paged forward to once it is done.
        #expect(harvest.checkpoint["backfillMaxId"] == Self.s4)
        #expect(harvest.checkpoint["newestId"] == Self.s7)
        #expect(harvest.checkpoint["accountId"] == agencyID)
    }

    @Test func badPageDuringIncrementalPollKeepsTheLastGoodCursor() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-new.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s8], "mastodon/statuses-wrong-type.json"),
            try Replay.route(MastodonPaths.context(Self.s8), "mastodon/context-empty.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: KnownItems())
        #expect(harvest.items.map(\.id) == [Self.s8])
        #expect(harvest.checkpoint["newestId"] == Self.s8)
        #expect(harvest.quarantined.map(\.problem) == [
            "\(server.baseURL)\(MastodonPaths.statuses)?limit=4&min_id=\(Self.s8) returned a list of Mastodon statuses with a wrong type at [0].id: expected a string.",
        ])
    }

    @Test(arguments: [
        (401, "mastodon/error-401.json", "answered HTTP 401 (“This API requires an authenticated user”)."),
        (503, "mastodon/error-503.json", "answered HTTP 503 (“There was a temporary problem serving your request, please try again”)."),
        (429, "mastodon/error-429.json", "answered HTTP 429 (“Too many requests”), rate limited until 2026-11-20T09:15:00.000000Z."),
        (200, "mastodon/error-page.html", "returned an HTML page (text/html; charset=utf-8) where JSON was expected."),
    ])
    func unexpectedAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4"], status: status, fixture, contentType: "text/html; charset=utf-8"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.map(\.problem) == ["\(server.baseURL)\(MastodonPaths.statuses)?limit=4 \(problem)"])
        #expect(harvest.quarantined.first?.capture.status == status)
        #expect(harvest.checkpoint["newestId"] == nil)
        if status == 503 { #expect(server.requests(to: MastodonPaths.statuses).count == 2) }   // the client retried
    }

    @Test func unknownHandleThrowsNamingAccountAndHandle() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], status: 404, "mastodon/lookup-404.json"),
        ])
        defer { server.stop() }
        let error = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        }
        #expect(error == .accountNotFound(account: "etaten", handle: "etaten", url: "\(server.baseURL)\(MastodonPaths.lookup)?acct=etaten"))
        #expect(error?.message.contains("'etaten'") == true)
    }

    @Test func bearerTokenFromTheCredentialsFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("  s3cret-token-value\n".utf8).write(to: dir.file("token"))
        let server = try ReplayServer(routes: [
            try Replay.route(MastodonPaths.statuses, query: ["limit": "4", "min_id": Self.s7], "mastodon/statuses-empty.json"),
        ])
        defer { server.stop() }
        let before = Checkpoint(["accountId": agencyID, "handle": "etaten", "newestId": Self.s7])
        _ = try await connector.harvest(account: account(server, credentials: dir.file("token").path), checkpoint: before, known: KnownItems())
        #expect(!server.requests.isEmpty)
        #expect(server.requests.allSatisfy { $0.header("Authorization") == "Bearer s3cret-token-value" })
        // With a token, mentions (direct messages among them) are read from the notifications.
        #expect(server.requests(to: "/api/v1/notifications").count == 1)

        let missing = await #expect(throws: ConnectorError.self) {
            try await connector.harvest(account: account(server, credentials: dir.file("absent").path), checkpoint: before, known: KnownItems())
        }
        #expect(missing?.message.contains("s3cret") == false)
    }
}
