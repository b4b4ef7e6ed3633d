import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The Flickr connector against a real `ReplayServer` over the real libcurl client.
@Suite struct FlickrEndToEndTests {
    static let nsid = "190000001@N04"
    static let rest = "/services/rest"
    static let p1 = "53300000001", p2 = "53300000002", p3 = "53300000003", p4 = "53300000004"
    static let list = "flickr.people.getPublicPhotos", comments = "flickr.photos.comments.getList", info = "flickr.photos.getInfo"

    let connector = FlickrConnector(client: Replay.client(), options: .init(pageSize: 2))

    func account(_ server: ReplayServer, credentials: String? = nil) -> AccountConfig {
        AccountConfig(key: "etaten-flickr", platform: .flickr, baseURL: server.baseURL + Self.rest, handle: Self.nsid, credentials: credentials)
    }

    static func route(_ method: String, _ query: [String: String] = [:], status: Int = 200, _ fixture: String) throws -> ReplayRoute {
        let type = fixture.hasSuffix(".html") ? "text/html; charset=utf-8" : "application/json; charset=utf-8"
        return try Replay.route(rest, query: query.merging(["method": method]) { a, _ in a }, status: status, fixture, contentType: type)
    }

    static func firstPollRoutes(page2: String = "flickr/photos-page2.json") throws -> [ReplayRoute] {
        [
            try route(list, ["page": "1", "user_id": nsid], "flickr/photos-page1.json"),
            try route(list, ["page": "2", "user_id": nsid], page2),
            try route(comments, ["photo_id": p3], "flickr/comments.json"),
            try route(comments, ["photo_id": p2], "flickr/comments-empty.json"),
            try route(comments, ["photo_id": p1], "flickr/comments-empty.json"),
        ]
    }

    /// The list URL as the connector builds it (without a key).
    static func listURL(_ server: ReplayServer, page: Int) -> String {
        "\(server.baseURL)\(rest)?method=\(list)&user_id=190000001@N04&extras=date_upload%2Clast_update%2Cdescription%2Curl_o%2Cmedia%2Cowner_name%2Ctags&per_page=2&page=\(page)&format=json&nojsoncallback=1"
    }

    @Test func firstArchiveReadsEveryPageAndTheComments() async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes())
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("f1ickrKEYsecret".utf8).write(to: dir.file("flickr-key"))
        let harvest = try await connector.harvest(account: account(server, credentials: dir.file("flickr-key").path), checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.problems.isEmpty)
        #expect(harvest.checkpoint.values == ["newestUpload": "1795078800"])
        #expect(harvest.observations.map(\.items.count) == [2, 1, 3])
        #expect(harvest.items.prefix(3).map(\.id) == [Self.p3, Self.p2, Self.p1])
        #expect(harvest.items.item(Self.p1)?.attachments.first?.mediaType == "video")
        let thread = harvest.observations[2].items
        #expect(thread.allSatisfy { $0.inReplyTo == Self.p3 && $0.threadRoot == Self.p3 })
        // The key is sent (Flickr takes it only in the query) but never kept.
        #expect(server.requests.allSatisfy { $0.query["api_key"] == "f1ickrKEYsecret" && $0.query["format"] == "json" && $0.query["nojsoncallback"] == "1" })
        #expect(harvest.observations.allSatisfy { $0.capture.url.contains("api_key=REDACTED") && !$0.capture.url.contains("f1ickrKEY") })
        #expect(server.requests.filter { $0.query["method"] == Self.comments }.map { $0.query["photo_id"] } == [Self.p1, Self.p2, Self.p3])
    }

    @Test func incrementalPollReadsFromTheTopUntilAKnownPhoto() async throws {
        let server = try ReplayServer(routes: [
            try Self.route(Self.list, ["page": "1"], "flickr/photos-new.json"),
            try Self.route(Self.comments, ["photo_id": Self.p4], "flickr/comments-empty.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(["newestUpload": "1795078800"]), known: KnownItems())

        // The new photo, and photo 3 again: its lastupdate says it was edited.
        #expect(harvest.items.map(\.id) == [Self.p4, Self.p3])
        #expect(iso(harvest.items.item(Self.p3)?.editedAt) == "2026-11-20T09:15:00Z")
        #expect(harvest.items.item(Self.p3)?.text.hasSuffix("som åpner mandag 23. november.") == true)
        #expect(harvest.checkpoint["newestUpload"] == "1795163400")
        #expect(server.requests.filter { $0.query["method"] == Self.list }.map { $0.query["page"] } == ["1"])
        #expect(server.requests.filter { $0.query["method"] == Self.comments }.map { $0.query["photo_id"] } == [Self.p4])
    }

    @Test func editOfAnOlderPhotoIsFoundWithGetInfo() async throws {
        let server = try ReplayServer(routes: [
            try Self.route(Self.list, ["page": "1"], "flickr/photos-new.json"),
            try Self.route(Self.comments, ["photo_id": Self.p4], "flickr/comments-empty.json"),
            try Self.route(Self.comments, ["photo_id": Self.p2], "flickr/comments-empty.json"),
            try Self.route(Self.info, ["photo_id": Self.p2], "flickr/info-53300000002.json"),
        ])
        defer { server.stop() }
        let known = KnownItems(recentThreadRoots: [Self.p2], recentItemIDs: [Self.p3, Self.p2])
        let before = Checkpoint(["newestUpload": "1795163400"])
        let harvest = try await connector.harvest(account: account(server), checkpoint: before, known: known)
        #expect(harvest.items.map(\.id) == [Self.p3, Self.p2])
        let edited = try #require(harvest.items.item(Self.p2))
        #expect(iso(edited.editedAt) == "2026-11-20T10:00:00Z")
        #expect(edited.text.hasSuffix("Staff clearing snow and gritting the steps before opening hours."))
        #expect(harvest.deletions.isEmpty)
        #expect(harvest.checkpoint == before)
    }

    @Test func deletionIsConfirmedByGetInfoNotByAbsence() async throws {
        let server = try ReplayServer(routes: [
            try Self.route(Self.list, ["page": "1"], "flickr/photos-new.json"),
            try Self.route(Self.info, ["photo_id": Self.p1], "flickr/not-found.json"),
            try Self.route(Self.info, ["photo_id": Self.p2], "flickr/info-53300000002.json"),
        ])
        defer { server.stop() }
        // Photos 1 and 2 are both absent from the list page; only 1's lookup says it is gone.
        let known = KnownItems(recentItemIDs: [Self.p3, Self.p2, Self.p1, "190000101-53300000001-72157700000000009"])
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(["newestUpload": "1795163400"]), known: known)
        #expect(harvest.deletions.map(\.itemID) == [Self.p1])
        let deletion = try #require(harvest.deletions.first)
        #expect(deletion.evidence.body == (try Fixture.data("flickr/not-found.json")))
        #expect(deletion.how.contains("code 1"))
        #expect(harvest.quarantined.isEmpty)
        // Comment ids have no lookup on Flickr: not asked for.
        #expect(server.requests.filter { $0.query["method"] == Self.info }.map { $0.query["photo_id"] } == [Self.p2, Self.p1])
    }

    @Test func http429WithRetryAfterIsHonoured() async throws {
        var throttled = try Self.route(Self.list, ["page": "1"], status: 429, "flickr/error-429.json")
        throttled.times = 1
        let server = try ReplayServer(routes: [
            throttled,
            try Self.route(Self.list, ["page": "1"], "flickr/photos-new.json"),
            try Self.route(Self.comments, ["photo_id": Self.p4], "flickr/comments-empty.json"),
        ])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(["newestUpload": "1795078800"]), known: KnownItems())
        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.items.map(\.id) == [Self.p4, Self.p3])
        let asked = server.requests.filter { $0.query["method"] == Self.list }.map(\.receivedAt)
        #expect(asked.count == 2)
        #expect(asked[1].timeIntervalSince(asked[0]) >= 0.9)
    }

    @Test(arguments: [
        ("flickr/truncated.json", "returned malformed JSON where a Flickr photo list was expected."),
        ("flickr/wrong-type.json", "returned a Flickr photo list with a wrong type at photos.photo[0].id: expected a string."),
    ])
    func malformedPageIsQuarantinedAndTheCursorStays(fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: Self.firstPollRoutes(page2: fixture))
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.observations.first?.items.map(\.id) == [Self.p3, Self.p2])
        #expect(harvest.quarantined.map(\.problem) == ["\(Self.listURL(server, page: 2)) \(problem)"])
        #expect(harvest.checkpoint["newestUpload"] == nil)
        #expect(harvest.items.count == 2 + 3)
    }

    @Test(arguments: [
        (200, "flickr/error-invalid-key.json", "answered stat fail, code 100 (“Invalid API Key (Key has invalid format)”). No API key was sent: the account 'etaten-flickr' has no credentials key in the configuration."),
        (200, "flickr/user-not-found.json", "answered stat fail, code 1 (“User not found”)."),
        (503, "flickr/error-503.html", "answered HTTP 503."),
        (404, "flickr/error-503.html", "answered HTTP 404."),
        (429, "flickr/error-429.json", "answered HTTP 429: rate limited; retry after 1; the harvest stopped early."),
    ])
    func unexpectedAnswersAreQuarantined(status: Int, fixture: String, problem: String) async throws {
        let server = try ReplayServer(routes: [try Self.route(Self.list, ["page": "1"], status: status, fixture)])
        defer { server.stop() }
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems(recentThreadRoots: [Self.p3]))
        #expect(harvest.observations.isEmpty)
        #expect(harvest.quarantined.first?.problem == "\(Self.listURL(server, page: 1)) \(problem)")
        #expect(harvest.checkpoint["newestUpload"] == nil)
        if status == 429 { #expect(server.requests.count == 2) }   // retried once, then the harvest stopped
    }
}
