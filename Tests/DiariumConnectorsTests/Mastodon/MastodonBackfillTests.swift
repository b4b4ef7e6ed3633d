import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The first poll's back-fill in chunks, and `/context` fetched only where a thread can be.
@Suite struct MastodonBackfillTests {
    // Six posts, newest first on the wire: p6 … p1.
    static let p = (1...6).map { "11360000000000\(String(format: "%04d", $0 * 10))" }

    static func post(_ id: String, replies: Int? = 0, inReplyTo: String? = nil) -> String {
        let count = replies.map { #", "replies_count": \#($0)"# } ?? ""
        let parent = inReplyTo.map { #""\#($0)""# } ?? "null"
        return #"{"id": "\#(id)", "created_at": "2026-11-16T11:00:00.000Z", "in_reply_to_id": \#(parent), "visibility": "public", "content": "<p>Melding \#(id)</p>"\#(count), "account": {"id": "\#(agencyID)", "username": "etaten", "acct": "etaten"}}"#
    }

    static func reply(_ id: String, to parent: String) -> String {
        #"{"id": "\#(id)", "created_at": "2026-11-16T12:00:00.000Z", "in_reply_to_id": "\#(parent)", "in_reply_to_account_id": "\#(agencyID)", "visibility": "public", "content": "<p>Svar til \#(parent)</p>", "replies_count": 0, "account": {"id": "110000000000000777", "username": "innbyggjar", "acct": "innbyggjar@people.example.org"}}"#
    }

    /// A page of two posts with its Link to the next (older) page.
    static func page(_ server: ReplayServer, query: [String: String], _ posts: [String], next: String?) -> ReplayRoute {
        var headers: [ReplayHeader] = []
        if let next { headers.append(ReplayHeader("Link", "<{{base}}\(MastodonPaths.statuses)?limit=2&max_id=\(next)>; rel=\"next\"")) }
        return .json(MastodonPaths.statuses, query: query, headers: headers, "[" + posts.joined(separator: ",") + "]")
    }

    func account(_ server: ReplayServer) -> AccountConfig {
        AccountConfig(key: "etaten", platform: .mastodon, baseURL: server.baseURL, handle: "@etaten")
    }

    @Test func backfillStopsAtItsChunkAndTheNextHarvestGoesOnFromTheOldestID() async throws {
        let p = Self.p
        let server = try ReplayServer()
        defer { server.stop() }
        server.add([
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            Self.page(server, query: ["limit": "2"], [Self.post(p[5]), Self.post(p[4])], next: p[4]),
            Self.page(server, query: ["limit": "2", "max_id": p[4]], [Self.post(p[3]), Self.post(p[2])], next: p[2]),
            Self.page(server, query: ["limit": "2", "max_id": p[2]], [Self.post(p[1]), Self.post(p[0])], next: p[0]),
            .json(MastodonPaths.statuses, query: ["limit": "2", "max_id": p[0]], "[]"),
        ])
        let connector = MastodonConnector(client: Replay.client(), options: .init(pageSize: 2, backfillChunkPages: 2))

        let first = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(first.continues)
        #expect(first.items.map(\.id) == [p[5], p[4], p[3], p[2]])
        #expect(first.checkpoint["newestId"] == p[5])
        #expect(first.checkpoint["backfillMaxId"] == p[2])
        #expect(first.problems.isEmpty)

        let second = try await connector.harvest(account: account(server), checkpoint: first.checkpoint, known: KnownItems(recentThreadRoots: [p[5], p[4]]))
        #expect(!second.continues)
        #expect(second.items.map(\.id) == [p[1], p[0]])
        #expect(second.checkpoint["newestId"] == p[5])
        #expect(second.checkpoint["backfillMaxId"] == nil)
        // A later chunk does not re-check the rescan window: the first chunk did.
        #expect(server.requests(to: MastodonPaths.context(p[5])).isEmpty)
        #expect(server.requests(to: "/api/v1/statuses").isEmpty)
        // The next poll pages forward from the newest id.
        server.add(.json(MastodonPaths.statuses, query: ["limit": "2", "min_id": p[5]], "[]"))
        let third = try await connector.harvest(account: account(server), checkpoint: second.checkpoint, known: KnownItems())
        #expect(third.items.isEmpty)
        #expect(server.requests(to: MastodonPaths.statuses).last?.query["min_id"] == p[5])
    }

    @Test func aFailedPageLeavesTheBackfillCursorWhereItWas() async throws {
        let p = Self.p
        let server = try ReplayServer()
        defer { server.stop() }
        server.add([
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            Self.page(server, query: ["limit": "2"], [Self.post(p[5]), Self.post(p[4])], next: p[4]),
            .json(MastodonPaths.statuses, query: ["limit": "2", "max_id": p[4]], "{not json"),
        ])
        let connector = MastodonConnector(client: Replay.client(), options: .init(pageSize: 2, backfillChunkPages: 5))
        let harvest = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(!harvest.continues)
        #expect(harvest.quarantined.count == 1)
        #expect(harvest.items.map(\.id) == [p[5], p[4]])
        #expect(harvest.checkpoint["backfillMaxId"] == p[4])
    }

    @Test func contextIsFetchedOnlyWhereAThreadCanBeAndLaterRepliesAreStillFound() async throws {
        let p = Self.p
        let replyToP2 = "113600000000000021"
        let replyToP1 = "113600000000000011"
        let server = try ReplayServer()
        defer { server.stop() }
        server.add([
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            // p4: no count (an older server), p3: the agency answering someone, p2: one reply, p1: none.
            .json(MastodonPaths.statuses, query: ["limit": "2"], "[" + [
                Self.post(p[3], replies: nil), Self.post(p[2], replies: 0, inReplyTo: "113500000000000001"),
                Self.post(p[1], replies: 1), Self.post(p[0], replies: 0),
            ].joined(separator: ",") + "]"),
            .json(MastodonPaths.context(p[3]), #"{"ancestors": [], "descendants": []}"#),
            .json(MastodonPaths.context(p[2]), #"{"ancestors": [], "descendants": []}"#),
            .json(MastodonPaths.context(p[1]), #"{"ancestors": [], "descendants": [\#(Self.reply(replyToP2, to: p[1]))]}"#),
        ])
        let connector = MastodonConnector(client: Replay.client(), options: .init(pageSize: 2))
        let first = try await connector.harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(first.items.map(\.id).contains(replyToP2))
        #expect(server.requests(to: MastodonPaths.context(p[3])).count == 1)
        #expect(server.requests(to: MastodonPaths.context(p[2])).count == 1)
        #expect(server.requests(to: MastodonPaths.context(p[1])).count == 1)
        // No one answered p1 and it answers no one: no request for its thread.
        #expect(server.requests(to: MastodonPaths.context(p[0])).isEmpty)

        // Someone answers p1 later. The registry names it as a recent root, so the next
        // poll fetches its thread whatever its count said, and finds the reply.
        server.add([
            .json(MastodonPaths.statuses, query: ["limit": "2", "min_id": p[3]], "[]"),
            .json("/api/v1/statuses", "[" + Self.post(p[0], replies: 0) + "]"),
            .json(MastodonPaths.context(p[0]), #"{"ancestors": [], "descendants": [\#(Self.reply(replyToP1, to: p[0]))]}"#),
        ])
        let second = try await connector.harvest(account: account(server), checkpoint: first.checkpoint, known: KnownItems(recentThreadRoots: [p[0]], recentItemIDs: [p[0]]))
        #expect(second.items.map(\.id).contains(replyToP1))
        #expect(second.items.first { $0.id == replyToP1 }?.threadRoot == p[0])
        #expect(server.requests(to: MastodonPaths.context(p[0])).count == 1)
    }
}
