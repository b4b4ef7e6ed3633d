import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Flickr takes its key only in the query, so a redirect carries it into every hop's URL
/// and a server may echo it in the Location: the capture keeps the hops, never the key.
@Suite struct FlickrRedirectTests {
    typealias E2E = FlickrEndToEndTests

    @Test func aRedirectedPageKeepsItsHopsWithTheKeyRedacted() async throws {
        let old = "/v0/rest"
        // The old endpoint sends page 1 on to the real one, repeating the key it was given;
        // the other requests it answers itself.
        let moved = "{{base}}\(E2E.rest)?method=\(E2E.list)&user_id=\(E2E.nsid)&page=1&api_key=f1ickrKEYsecret&format=json&nojsoncallback=1"
        var routes = [ReplayRoute.redirect(old, to: moved, status: 301, query: ["method": E2E.list, "page": "1"])]
        for route in try E2E.firstPollRoutes() {
            routes.append(route)
            var here = route
            here.path = old
            if here.query["page"] != "1" { routes.append(here) }
        }
        let server = try ReplayServer(routes: routes)
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("f1ickrKEYsecret".utf8).write(to: dir.file("flickr-key"))
        let account = AccountConfig(key: "etaten-flickr", platform: .flickr, baseURL: server.baseURL + old, handle: E2E.nsid,
                                    credentials: dir.file("flickr-key").path)
        let connector = FlickrConnector(client: Replay.client(), options: .init(pageSize: 2))
        let harvest = try await connector.harvest(account: account, checkpoint: Checkpoint(), known: KnownItems())

        #expect(harvest.quarantined.isEmpty)
        #expect(harvest.observations.map(\.items.count) == [2, 1, 3])
        let first = harvest.observations[0].capture
        #expect(first.url.hasPrefix("\(server.baseURL)\(E2E.rest)?method=\(E2E.list)&"))
        #expect(first.url.contains("api_key=REDACTED"))
        let hop = try #require(first.redirects.first)
        #expect(first.redirects.count == 1)
        #expect(hop.status == 301)
        #expect(hop.url.hasPrefix("\(server.baseURL)\(old)?method=\(E2E.list)&"))
        #expect(hop.url.contains("api_key=REDACTED"))
        #expect(hop.location == "\(server.baseURL)\(E2E.rest)?method=\(E2E.list)&user_id=\(E2E.nsid)&page=1&api_key=REDACTED&format=json&nojsoncallback=1")
        #expect(first.requestedURL == hop.url)
        #expect(harvest.observations.dropFirst().allSatisfy { $0.capture.redirects.isEmpty && $0.capture.url.hasPrefix(server.baseURL + old) })
        let kept = harvest.observations.map { "\($0.capture.url) \($0.capture.redirects)" }.joined()
        #expect(!kept.contains("f1ickrKEY"))
    }
}
