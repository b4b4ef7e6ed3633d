import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Logging
import Testing

/// A paging link is a URL the platform chose: it must not lead the harvest to an internal
/// address (issue 14, item 3). The client is built as production builds it for this one
/// account: only the configured API origin may be internal.
@Suite struct MastodonPagingAddressTests {
    static let p = MastodonBackfillTests.p

    func client(trusting server: ReplayServer) -> CurlHTTPClient {
        CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), totalTimeout: .seconds(20),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
            addressPolicy: AddressPolicy(trustedURLs: [server.baseURL])),
            logger: Logger(label: "test.http"))
    }

    func internalService() throws -> ReplayServer {
        try ReplayServer(options: .init(generated: { _ in .json("/", "[]") }))
    }

    func firstPage(nextLink: String) -> ReplayRoute {
        .json(MastodonPaths.statuses, query: ["limit": "2"], headers: [ReplayHeader("Link", "<\(nextLink)>; rel=\"next\"")],
              "[" + [MastodonBackfillTests.post(Self.p[5]), MastodonBackfillTests.post(Self.p[4])].joined(separator: ",") + "]")
    }

    func account(_ server: ReplayServer) -> AccountConfig {
        AccountConfig(key: "etaten", platform: .mastodon, baseURL: server.baseURL, handle: "@etaten")
    }

    @Test(arguments: ["http://127.0.0.1:PORT", "http://inward.localhost:PORT", "http://localhost:PORT"])
    func aNextLinkToAnInternalAddressIsNeverRequested(target: String) async throws {
        let secret = try internalService()
        let server = try ReplayServer()
        defer { server.stop(); secret.stop() }
        let link = target.replacingOccurrences(of: "PORT", with: "\(secret.port)") + MastodonPaths.statuses + "?limit=2&max_id=\(Self.p[4])"
        server.add([try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"), firstPage(nextLink: link)])
        let harvest = try await MastodonConnector(client: client(trusting: server), options: .init(pageSize: 2, backfillChunkPages: 5))
            .harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.items.map(\.id) == [Self.p[5], Self.p[4]])
        #expect(secret.requestCount == 0)
        #expect(!harvest.problems.isEmpty, "the ignored link is said")
    }

    @Test func aNextLinkOnTheOwnServerThatRedirectsInwardIsRefusedAtTheRedirect() async throws {
        let secret = try internalService()
        let server = try ReplayServer()
        defer { server.stop(); secret.stop() }
        server.add([
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            firstPage(nextLink: "{{base}}" + MastodonPaths.statuses + "?limit=2&max_id=\(Self.p[4])"),
            .redirect(MastodonPaths.statuses, to: "http://inward.localhost:\(secret.port)/statuses", query: ["limit": "2", "max_id": Self.p[4]]),
        ])
        let harvest = try await MastodonConnector(client: client(trusting: server), options: .init(pageSize: 2, backfillChunkPages: 5))
            .harvest(account: account(server), checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.items.map(\.id) == [Self.p[5], Self.p[4]])
        #expect(server.requests(to: MastodonPaths.statuses).count == 2)
        #expect(secret.requestCount == 0)
        #expect(harvest.problems.contains { $0.contains("allow_addresses") }, "\(harvest.problems)")
        #expect(harvest.checkpoint["backfillMaxId"] == Self.p[4], "the cursor stays where the refused page starts")
    }
}
