import DiariumCore
import DiariumHTTP
import DiariumReplay
import Foundation
import Testing

/// A capture names the URL its bytes came from and keeps every redirect on the way:
/// the real client against a replay server that redirects.
@Suite struct RedirectProvenanceTests {
    @Test func permanentThenFoundThenTheFeedRecordsBothHops() async throws {
        let body = #"{"items":["final"]}"#
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/start/feed", status: 301, headers: [ReplayHeader("Location", "{{base}}/moved/feed"), ReplayHeader("X-Hop", "1")],
                        body: Data("moved".utf8)),
            // A relative Location, resolved against the URL that sent it.
            ReplayRoute(path: "/moved/feed", status: 302, headers: [ReplayHeader("Location", "../final/feed.json?page=1")]),
            .json("/final/feed.json", query: ["page": "1"], body),
        ])
        defer { server.stop() }
        let requested = "\(server.baseURL)/start/feed"
        let response = try await quickClient().send(HTTPRequest(url: requested))
        let capture = response.capture

        #expect(response.status == 200)
        #expect(capture.url == "\(server.baseURL)/final/feed.json?page=1")
        #expect(capture.requestedURL == requested)
        #expect(capture.redirects == [
            RedirectHop(url: requested, status: 301, location: "\(server.baseURL)/moved/feed"),
            RedirectHop(url: "\(server.baseURL)/moved/feed", status: 302, location: "../final/feed.json?page=1"),
        ])
        #expect(capture.body == Data(body.utf8))
        #expect(capture.sha256 == SHA256.hexDigest(Data(body.utf8)))
        #expect(capture.headers.value(for: "Location") == nil)
        #expect(capture.headers.value(for: "X-Hop") == nil)
        #expect(server.requests.map(\.path) == ["/start/feed", "/moved/feed", "/final/feed.json"])
    }

    @Test(arguments: [303, 307, 308])
    func everyRedirectStatusIsAHop(status: Int) async throws {
        let server = try ReplayServer(routes: [.redirect("/a", to: "/b", status: status), .json("/b", "[]")])
        defer { server.stop() }
        let capture = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/a")).capture
        #expect(capture.url == "\(server.baseURL)/b")
        #expect(capture.redirects == [RedirectHop(url: "\(server.baseURL)/a", status: status, location: "/b")])
    }

    @Test func interimResponsesAreNoHops() async throws {
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/a", status: 301, headers: [ReplayHeader("Location", "/b")], fault: .interim(status: 100, headers: [])),
            ReplayRoute(path: "/b", headers: [ReplayHeader("Content-Type", "application/json")], body: Data("[1]".utf8),
                        fault: .interim(status: 103, headers: [ReplayHeader("Link", "</style.css>; rel=preload")])),
        ])
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/a"))
        #expect(response.status == 200)
        #expect(response.capture.redirects == [RedirectHop(url: "\(server.baseURL)/a", status: 301, location: "/b")])
        #expect(response.header("Link") == nil)
        #expect(response.body == Data("[1]".utf8))
    }

    @Test func withoutRedirectsTheCaptureIsTheURLAsked() async throws {
        let server = try ReplayServer(routes: [
            .json("/x", "{}"),
            ReplayRoute(path: "/y", headers: [ReplayHeader("Content-Type", "application/json")], body: Data("{}".utf8),
                        fault: .interim(status: 100, headers: [])),
        ])
        defer { server.stop() }
        for path in ["/x", "/y"] {
            let url = "\(server.baseURL)\(path)?a=1&b=%2C"
            let capture = try await quickClient().send(HTTPRequest(url: url)).capture
            #expect(capture.url == url)
            #expect(capture.requestedURL == url)
            #expect(capture.redirects.isEmpty)
        }
    }

    @Test func aRetriedRedirectKeepsTheHopsOfTheAttemptThatAnswered() async throws {
        // The first attempt is redirected to a 503; the retry is redirected to the feed.
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/a", status: 302, headers: [ReplayHeader("Location", "/busy")], times: 1),
            ReplayRoute(path: "/busy", status: 503, body: Data("busy".utf8)),
            .redirect("/a", to: "/b", status: 301),
            .json("/b", "[2]"),
        ])
        defer { server.stop() }
        let capture = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/a")).capture
        #expect(capture.status == 200)
        #expect(capture.url == "\(server.baseURL)/b")
        #expect(capture.redirects == [RedirectHop(url: "\(server.baseURL)/a", status: 301, location: "/b")])
    }
}
