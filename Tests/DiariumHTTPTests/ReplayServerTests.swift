import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Glibc
import Testing

/// The replay server's script semantics, exercised through the real client.
@Suite struct ReplayServerTests {
    func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func stagesSwitchTheAnswer() async throws {
        let server = try ReplayServer(routes: [
            .json("/feed", #"["a"]"#),
            .json("/feed", #"["a","b"]"#, stage: 1),
            .json("/feed", #"["b"]"#, stage: 2),
        ])
        defer { server.stop() }
        let client = quickClient()
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/feed"))) == #"["a"]"#)
        server.setStage(1)
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/feed"))) == #"["a","b"]"#)
        server.setStage(5)
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/feed"))) == #"["b"]"#)
        #expect(server.stage == 5)
    }

    @Test func mostSpecificQueryWinsAndTimesRunOut() async throws {
        let server = try ReplayServer(routes: [
            .json("/s", "page1"),
            .json("/s", query: ["max_id": "10"], "page2"),
            ReplayRoute(path: "/once", body: Data("first".utf8), times: 1),
        ])
        defer { server.stop() }
        let client = quickClient()
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/s?limit=40"))) == "page1")
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/s?limit=40&max_id=10"))) == "page2")
        #expect(body(try await client.send(HTTPRequest(url: "\(server.baseURL)/once"))) == "first")
        #expect(try await client.send(HTTPRequest(url: "\(server.baseURL)/once")).status == 404)
    }

    @Test func queryIsPercentDecodedAndRecorded() async throws {
        let server = try ReplayServer(routes: [.json("/xrpc/app.bsky.feed.getAuthorFeed", query: ["actor": "nav.no", "cursor": "2025-03-04T15:00:00.000Z::3k"], "{}")])
        defer { server.stop() }
        let url = "\(server.baseURL)/xrpc/app.bsky.feed.getAuthorFeed?actor=nav.no&cursor=2025-03-04T15%3A00%3A00.000Z%3A%3A3k&q=a+b&id%5B%5D=1&id%5B%5D=2"
        let response = try await quickClient().send(HTTPRequest(url: url))
        #expect(response.status == 200)
        let recorded = try #require(server.requests.first)
        #expect(recorded.path == "/xrpc/app.bsky.feed.getAuthorFeed")
        #expect(recorded.query["q"] == "a b")
        #expect(recorded.queryItems.filter { $0.name == "id[]" }.map(\.value) == ["1", "2"])
        #expect(server.requests(to: "/xrpc/app.bsky.feed.getAuthorFeed").count == 1)
    }

    @Test func baseIsSubstitutedInBodiesAndHeaders() async throws {
        let server = try ReplayServer()
        defer { server.stop() }
        server.add([.json("/p", headers: [ReplayHeader("Link", "<{{base}}/p?max_id=1>; rel=\"next\"")], #"{"next":"{{base}}/p2","again":"{{base}}"}"#)])
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/p"))
        #expect(body(response) == #"{"next":"\#(server.baseURL)/p2","again":"\#(server.baseURL)"}"#)
        #expect(response.header("Link") == "<\(server.baseURL)/p?max_id=1>; rel=\"next\"")
    }

    @Test func headAndMethodMatching() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/h", body: Data("body".utf8))])
        defer { server.stop() }
        let client = quickClient()
        let head = try await client.send(HTTPRequest(method: "HEAD", url: "\(server.baseURL)/h"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == "4")
        #expect(try await client.send(HTTPRequest(method: "DELETE", url: "\(server.baseURL)/h")).status == 404)
    }

    @Test func dripDeliversTheWholeBodySlowly() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/d", body: Data(repeating: 0x61, count: 400), fault: .drip(bytesPerSecond: 1000))])
        defer { server.stop() }
        let started = ContinuousClock.now
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/d"))
        #expect(response.body.count == 400)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test func stopIsPromptIdempotentAndFreesThePort() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/slow", delay: .seconds(600))])
        let client = quickClient(attempts: 1)
        let task = Task { try await client.send(HTTPRequest(url: "\(server.baseURL)/slow")) }
        try await waitUntil("the slow request to arrive") { server.requests.count == 1 }
        let started = ContinuousClock.now
        server.stop()
        server.stop()
        #expect(ContinuousClock.now - started < .seconds(120), "far less than the 600 s delay")
        // The in-flight request sees the connection close, not a 30-second hang.
        await #expect(throws: HTTPError.self) { try await task.value }
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "\(server.baseURL)/slow"))
        }
        #expect(error?.code == .connectFailed)
    }

    @Test func hundredsOfServersStartAndStop() throws {
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let before = openDescriptors()
        for _ in 0..<1000 {
            let server = try ReplayServer(routes: [.json("/", "{}")])
            #expect(server.port > 0)
            #expect(server.baseURL.hasPrefix("http://127.0.0.1:"))
            server.stop()
        }
        // One leaked descriptor per server would show as 1000 or more; the margin is for
        // other tests, which run in parallel and open their own.
        #expect(openDescriptors() - before < 1000)
    }
}

/// The benchmark's options: persistent connections, generated answers, no request log.
@Suite struct ReplayServerOptionsTests {
    /// Sends `requests` raw on one connection and reads until the server closes it.
    func exchange(port: Int, _ requests: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(rc == 0)
        let bytes = Array(requests.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func keepAliveAnswersSeveralRequestsOnOneConnectionFromTheGenerator() throws {
        let server = try ReplayServer(routes: [.json("/fixed", #"{"fixed":true}"#)], options: ReplayServer.Options(
            keepAlive: true, recordsRequests: false, generated: { request in
                request.path.hasPrefix("/made/") ? .json(request.path, #"{"n":"\#(request.path.dropFirst(6))"}"#) : nil
            }))
        defer { server.stop() }
        // Two requests sent at once (pipelined), the last asking to close.
        let text = try exchange(port: server.port, "GET /made/7 HTTP/1.1\r\nHost: x\r\n\r\nGET /fixed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(text.contains(#"{"n":"7"}"#))
        #expect(text.contains(#"{"fixed":true}"#))
        #expect(text.contains("Connection: keep-alive"))
        #expect(server.requestCount == 2)
        #expect(server.requests.isEmpty)
    }

    @Test func byDefaultEveryConnectionCarriesOneRequest() throws {
        let server = try ReplayServer(routes: [.json("/fixed", #"{"fixed":true}"#)])
        defer { server.stop() }
        let text = try exchange(port: server.port, "GET /fixed HTTP/1.1\r\nHost: x\r\n\r\nGET /fixed HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 2)
        #expect(text.contains("Connection: close"))
        #expect(server.requests.count == 1)
    }
}
