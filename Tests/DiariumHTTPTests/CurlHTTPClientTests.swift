import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// The real client against a real replay server on 127.0.0.1.
@Suite struct CurlHTTPClientTests {
    @Test func getReturnsBodyHeadersAndEffectiveURL() async throws {
        let server = try ReplayServer(routes: [
            .json("/api/v1/accounts/lookup", query: ["acct": "nav"], headers: [ReplayHeader("X-Custom", "yes"), ReplayHeader("Link", "<{{base}}/next>; rel=\"next\"")], #"{"id":"1"}"#),
        ])
        defer { server.stop() }
        let client = quickClient()
        let url = "\(server.baseURL)/api/v1/accounts/lookup?acct=nav&extra=1"
        let response = try await client.send(HTTPRequest(url: url))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"id":"1"}"#)
        #expect(response.header("content-type") == "application/json; charset=utf-8")
        #expect(response.header("x-custom") == "yes")
        #expect(response.header("LINK") == "<\(server.baseURL)/next>; rel=\"next\"")
        #expect(response.effectiveURL == url)
        #expect(response.capture.sha256 == SHA256.hexDigest(response.body))
    }

    @Test func sendsUserAgentAcceptEncodingAndOwnHeaders() async throws {
        let server = try ReplayServer(routes: [.json("/x", "{}")])
        defer { server.stop() }
        _ = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/x", headers: [HTTPHeader("Accept", "application/activity+json")]))
        let request = try #require(server.requests.first)
        #expect(request.header("User-Agent") == "Diarium/0.1 (+https://example.org/diarium)")
        #expect(request.header("accept-encoding")?.contains("gzip") == true)
        #expect(request.header("Accept") == "application/activity+json")
    }

    @Test func unmatchedRequestIsA404Response() async throws {
        let server = try ReplayServer()
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/nothing"))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"Record not found"}"#)
        #expect(server.requests.count == 1) // 404 is an answer, not retried
    }

    @Test func ifNoneMatchGives304() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/feed", body: Data("<rss/>".utf8), etag: "W/\"abc\"")])
        defer { server.stop() }
        let client = quickClient()
        let first = try await client.send(HTTPRequest(url: "\(server.baseURL)/feed"))
        #expect(first.status == 200)
        let etag = try #require(first.header("ETag"))
        let second = try await client.send(HTTPRequest(url: "\(server.baseURL)/feed", etag: etag))
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
        #expect(server.requests.last?.header("If-None-Match") == "W/\"abc\"")
    }

    @Test func ifModifiedSinceGives304() async throws {
        let stamp = "Tue, 04 Mar 2025 15:01:02 GMT"
        let server = try ReplayServer(routes: [ReplayRoute(path: "/feed", body: Data("<rss/>".utf8), lastModified: stamp)])
        defer { server.stop() }
        let client = quickClient()
        let first = try await client.send(HTTPRequest(url: "\(server.baseURL)/feed"))
        #expect(first.status == 200)
        #expect(first.header("Last-Modified") == stamp)
        let second = try await client.send(HTTPRequest(url: "\(server.baseURL)/feed", lastModified: stamp))
        #expect(second.status == 304)
        #expect(server.requests.last?.header("If-Modified-Since") == stamp)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let text = String(repeating: "Diarium archives public records. ", count: 5000) // > one stored block
        let server = try ReplayServer(routes: [ReplayRoute(path: "/z", body: Data(text.utf8), fault: .gzip)])
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/z"))
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(String(decoding: response.body, as: UTF8.self) == text)
    }

    @Test func redirectIsFollowedWithFinalHeadersOnly() async throws {
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/old", status: 301, headers: [ReplayHeader("Location", "{{base}}/new"), ReplayHeader("X-Hop", "1")]),
            .json("/new", "[]"),
        ])
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/old"))
        #expect(response.status == 200)
        #expect(response.effectiveURL == "\(server.baseURL)/new")
        #expect(response.header("X-Hop") == nil)
        #expect(response.header("Location") == nil)
        #expect(server.requests.map(\.path) == ["/old", "/new"])
    }

    @Test func redirectCapIsEnforced() async throws {
        let server = try ReplayServer(routes: (0..<4).map { .redirect("/r\($0)", to: "{{base}}/r\($0 + 1)") })
        defer { server.stop() }
        let client = quickClient(maxRedirects: 2)
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "\(server.baseURL)/r0"))
        }
        #expect(error?.code == .tooManyRedirects)
        #expect(server.requests.count == 3) // not retried
    }

    @Test func oversizedBodyIsRefused() async throws {
        let big = Data(repeating: 0x41, count: 200_000)
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/big", body: big),
            // Compressed bodies are measured after decoding (no zip bombs).
            ReplayRoute(path: "/bigz", body: big, fault: .gzip),
        ])
        defer { server.stop() }
        let client = quickClient(maxBodyBytes: 100_000)
        for path in ["/big", "/bigz"] {
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: "\(server.baseURL)\(path)"))
            }
            #expect(error?.code == .bodyTooLarge)
        }
        let fits = try await quickClient(maxBodyBytes: 200_000).send(HTTPRequest(url: "\(server.baseURL)/big"))
        #expect(fits.body.count == 200_000)
    }

    @Test func connectionRefusedThrowsAfterRetries() async throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let port = refusing.port
        let events = EventLog()
        let client = quickClient(attempts: 3, onEvent: { events.append($0) })
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/x?access_token=hunter2", headers: [HTTPHeader("Authorization", "Bearer s3cr3t")]))
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.attempts == 3)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("s3cr3t") == false)
        #expect(error?.description.contains("GET http://127.0.0.1:\(port)/x") == true)
        #expect(events.events.count == 2)
    }

    @Test func stalledResponseHitsTotalTimeout() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/slow", body: Data("abcdef".utf8), fault: .stall(.seconds(600)))])
        defer { server.stop() }
        let client = quickClient(attempts: 2, totalTimeout: .milliseconds(400))
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "\(server.baseURL)/slow"))
        }
        #expect(error?.code == .timedOut)
        #expect(server.requests.count == 2)
        #expect(ContinuousClock.now - started < .seconds(120), "well under the 600 s the server would take")
    }

    @Test func resetAndEmptyRepliesAreTransportErrors() async throws {
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/reset", body: Data(repeating: 0x42, count: 10_000), fault: .resetMidBody),
            ReplayRoute(path: "/nothing", fault: .closeWithoutResponse),
        ])
        defer { server.stop() }
        let client = quickClient(attempts: 2)
        for path in ["/reset", "/nothing"] {
            let error = await #expect(throws: HTTPError.self) {
                try await client.send(HTTPRequest(url: "\(server.baseURL)\(path)"))
            }
            #expect(error?.code == .transport)
        }
        #expect(server.requests.count == 4) // each retried once
    }

    @Test func postSendsBody() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(method: "POST", path: "/submit", status: 201)])
        defer { server.stop() }
        let body = Data(#"{"q":"x"}"#.utf8)
        let response = try await quickClient().send(HTTPRequest(method: "POST", url: "\(server.baseURL)/submit", headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        #expect(response.status == 201)
        #expect(server.requests.first?.body == body)
        #expect(server.requests.first?.method == "POST")
    }

    @Test func invalidURLIsRejected() async throws {
        let client = quickClient()
        for url in ["not a url", "file:///etc/passwd", "gopher://127.0.0.1/"] {
            let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: url)) }
            #expect(error?.code == .invalidURL)
        }
    }
}
