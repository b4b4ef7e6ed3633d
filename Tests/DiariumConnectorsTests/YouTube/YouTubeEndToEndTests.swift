import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The YouTube connector against a real `ReplayServer` over the real libcurl client.
@Suite struct YouTubeEndToEndTests {
    static let channel = "UCetatenExampleChannel01", uploads = "UUetatenExampleChannel01"
    static let root = "/youtube/v3"
    static let channels = root + "/channels", playlist = root + "/playlistItems", threads = root + "/commentThreads"
    static let videos = root + "/videos", comments = root + "/comments"
    static let v1 = "EtVid000001", v2 = "EtVid000002", v3 = "EtVid000003", v4 = "EtVid000004"
    static let k = "UgzEtatenKommentar0001AaABAg", o = "UgzEtatenKommentar0002AaABAg"
    static let reply1 = k + ".9zEtSvar0001", reply2 = k + ".9zEtSvar0002"
    static let resolved = Checkpoint(["channelId": channel, "uploads": uploads, "newestVideo": v3])

    let connector = YouTubeConnector(client: Replay.client(), options: .init(pageSize: 2))

    func account(_ server: ReplayServer, credentials: String? = nil) -> AccountConfig {
        AccountConfig(key: "etaten-yt", platform: .youtube, baseURL: server.baseURL + Self.root, handle: Self.channel, credentials: credentials)
    }

    static func firstPollRoutes(page2: String = "youtube/playlist-page2.json") throws -> [ReplayRoute] {
        [
            try Replay.route(channels, query: ["id": channel], "youtube/channel.json"),
            try Replay.route(playlist, query: ["playlistId": uploads], "youtube/playlist-page1.json"),
            try Replay.route(playlist, query: ["playlistId": uploads, "pageToken": "EAAaBlBUOkNBSQ"], page2),
            try Replay.route(threads, query: ["videoId": v3], "youtube/threads.json"),
            try Replay.route(threads, query: ["videoId": v2], "youtube/threads-empty.json"),
            try Replay.route(threads, query: ["videoId": v1], status: 403, "youtube/comments-disabled.json"),
        ]
    }

    static func playlistURL(_ server: ReplayServer) -> String {
        "\(server.baseURL)\(playlist)?part=snippet,contentDetails&playlistId=\(uploads)&maxResults=2"
    }

    @Test func firstArchiveResolvesUploadsAndReadsEveryPage() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("AIzaEtatenSecretKey".utf8).write(to: dir.file("yt-key"))
        let harvest = try await connector.harvest(account: account(server, credentials: dir.file("yt-key").path), checkpoint: Checkpoint(), known: KnownItems())

        // Comments turned off on video 1 is not a problem.
        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint.values == ["channelId": Self.channel, "uploads": Self.uploads, "newestVideo": Self.v3])
        #expect(harvest.observations.map(\.items.count) == [2, 1, 4])
        #expect(harvest.items.prefix(3).map(\.id) == [Self.v3, Self.v2, Self.v1])
        let thread = harvest.observations[2].items
        #expect(thread.map(\.inReplyTo) == [Self.v3, Self.k, Self.k, Self.v3])
        #expect(server.requests(to: Self.threads).map { $0.query["videoId"] } == [Self.v1, Self.v2, Self.v3])
        #expect(server.requests(to: Self.threads).allSatisfy { $0.query["textFormat"] == "plainText" && $0.query["part"] == "snippet,replies" })
        // The key travels in a header only.
        #expect(server.requests.allSatisfy { $0.header("X-Goog-Api-Key") == "AIzaEtatenSecretKey" && $0.query["key"] == nil })
        #expect(harvest.observations.allSatisfy { !$0.capture.url.contains("AIza") })
    }

    @Test func incrementalPollStopsAtTheFirstKnownVideo() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.playlist, query: ["playlistId": Self.uploads], "youtube/playlist-new.json"),
            try Replay.route(Self.threads, query: ["videoId": Self.v4], "youtube/threads-empty.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.resolved, known: KnownItems())
        #expect(harvest.items.map(\.id) == [Self.v4])
        #expect(harvest.checkpoint["newestVideo"] == Self.v4)
        #expect(harvest.quarantined.isEmpty)
        // No channel lookup, one playlist page (the next token is not followed past a known video).
        #expect(server.requests(to: Self.channels).isEmpty)
        #expect(server.requests(to: Self.playlist).map { $0.query["pageToken"] } == [nil])
        #expect(server.requests(to: Self.threads).map { $0.query["videoId"] } == [Self.v4])
    }

    @Test func editedCommentOfAKnownVideoIsEmittedAsANewVersion() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.playlist, query: ["playlistId": Self.uploads], "youtube/playlist-new.json"),
            try Replay.route(Self.threads, query: ["videoId": Self.v4], "youtube/threads-empty.json"),
            try Replay.route(Self.threads, query: ["videoId": Self.v3], "youtube/threads-edited.json"),
        ])
        defer { server.stop() }
        let known = KnownItems(recentThreadRoots: [Self.v3], recentItemIDs: [Self.v3, Self.k, Self.reply1, Self.reply2, Self.o])
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.resolved, known: known)
        // The new video, then only the edited comment of the known thread.
        #expect(harvest.items.map(\.id) == [Self.v4, Self.k])
        #expect(iso(harvest.items.item(Self.k)?.editedAt) == "2026-11-20T09:15:00Z")
        #expect(harvest.items.item(Self.k)?.text.hasSuffix("Jeg bor i Storgata.") == true)
        // Everything known was seen: no existence checks.
        #expect(server.requests(to: Self.videos).isEmpty && server.requests(to: Self.comments).isEmpty)
    }

    @Test func deletionIsConfirmedBySingleIdLookupNotByAbsence() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.playlist, query: ["playlistId": Self.uploads], "youtube/playlist-new.json"),
            try Replay.route(Self.threads, query: ["videoId": Self.v4], "youtube/threads-empty.json"),
            try Replay.route(Self.videos, query: ["id": "\(Self.v2),\(Self.v1)"], "youtube/videos-batch.json"),
            try Replay.route(Self.videos, query: ["id": Self.v1], "youtube/video-missing.json"),
            try Replay.route(Self.comments, query: ["id": "\(Self.k),\(Self.reply2)"], "youtube/comments-batch.json"),
            try Replay.route(Self.comments, query: ["id": Self.reply2], "youtube/comment-missing.json"),
        ])
        defer { server.stop() }
        // Videos 1 and 2 are absent from the playlist page, both comments from any list.
        let known = KnownItems(recentItemIDs: [Self.v2, Self.v1, Self.k, Self.reply2])
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.resolved, known: known)
        #expect(harvest.deletions.map(\.itemID) == [Self.v1, Self.reply2])
        #expect(harvest.deletions.map(\.evidence.url) == [
            "\(server.baseURL)\(Self.videos)?part=id&id=\(Self.v1)",
            "\(server.baseURL)\(Self.comments)?part=id&id=\(Self.reply2)",
        ])
        #expect(harvest.deletions.first?.evidence.body == (try Fixture.data("youtube/video-missing.json")))
        #expect(harvest.quarantined.isEmpty)
    }

    @Test func quotaExceededStopsTheHarvest() async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.playlist, query: ["playlistId": Self.uploads], status: 403, "youtube/error-quota.json"),
            try Replay.route(Self.threads, query: ["videoId": Self.v3], "youtube/threads.json"),
        ])
        defer { server.stop() }
        let known = KnownItems(recentThreadRoots: [Self.v3], recentItemIDs: [Self.v2])
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.resolved, known: known)
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.count == 1)
        #expect(harvest.quarantined.first?.problem.contains("quota exceeded; the harvest stopped early.") == true)
        #expect(server.requests.count == 1)
        #expect(harvest.checkpoint == Self.resolved)
    }

    @Test(arguments: [
        ("youtube/truncated.json", "returned malformed JSON where a YouTube playlist page was expected."),
        ("youtube/wrong-type.json", "returned a YouTube playlist page with a wrong type at items[0].snippet.title: expected a string."),
    ])
    func malformedPageIsQuarantinedAndTheCursorStays(fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes(page2: fixture))
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.first?.items.map(\.id) == [Self.v3, Self.v2])
        #expect(harvest.quarantined.map(\.problem) == ["\(Self.playlistURL(server))&pageToken=EAAaBlBUOkNBSQ \(problem)"])
        #expect(harvest.checkpoint.values == ["channelId": Self.channel, "uploads": Self.uploads])
        #expect(harvest.items.count == 2 + 4)
    }

    @Test(arguments: [
        (400, "youtube/error-key-invalid.json", "answered HTTP 400 (badRequest: “API key not valid. Please pass a valid API key.”). No API key was sent: the account 'etaten-yt' has no credentials key in the configuration."),
        (403, "youtube/error-forbidden.json", "answered HTTP 403 (forbidden: “Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.”). No API key was sent: the account 'etaten-yt' has no credentials key in the configuration."),
        (404, "youtube/error-404.json", "answered HTTP 404 (playlistNotFound: “The playlist identified with the request's <code>playlistId</code> parameter cannot be found.”)."),
        (500, "youtube/error-500.json", "answered HTTP 500 (backendError: “Internal error encountered.”)."),
        (200, "youtube/error-page.html", "returned an HTML page (text/html; charset=utf-8) where JSON was expected."),
    ])
    func unexpectedAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [
            try Replay.route(Self.playlist, query: ["playlistId": Self.uploads], status: status, fixture, contentType: "text/html; charset=utf-8"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Self.resolved, known: KnownItems())
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.map(\.problem) == ["\(Self.playlistURL(server)) \(problem)"])
        #expect(harvest.checkpoint == Self.resolved)
        if status == 500 { #expect(server.requests(to: Self.playlist).count == 2) }   // the client retried
    }

    @Test func unknownChannelThrows() async throws {
        let server = try ReplayServer(routes: [try Replay.route(Self.channels, query: ["id": Self.channel], "youtube/channel-empty.json")])
        defer { server.stop() }
        await #expect(throws: ConnectorError.self) {
            _ = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        }
    }
}
