import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

@Suite struct ConcurrencyTests {
    @Test func manyConcurrentRequestsComplete() async throws {
        let server = try ReplayServer(routes: (0..<64).map {
            ReplayRoute(path: "/item/\($0)", body: Data("item \($0)".utf8), delay: .seconds(1))
        })
        defer { server.stop() }
        let client = quickClient()
        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let response = try await client.send(HTTPRequest(url: "\(server.baseURL)/item/\(index)"))
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            var collected: [Int: String] = [:]
            for try await (index, body) in group { collected[index] = body }
            return collected
        }
        #expect(bodies.count == 64)
        #expect(bodies.allSatisfy { $0.value == "item \($0.key)" })
        // Judged by what the server saw, not by a clock a loaded machine stretches: one
        // after another, it would never hold more than one request at a time.
        #expect(server.peakInFlight >= 4, "concurrent, not one after another: at most \(server.peakInFlight) at once")
    }

    @Test func transfersBeyondTheCapQueue() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/q", body: Data("ok".utf8), delay: .milliseconds(200))])
        defer { server.stop() }
        let client = quickClient(maxConcurrent: 2)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await client.send(HTTPRequest(url: "\(server.baseURL)/q")).status } }
            for try await status in group { #expect(status == 200) }
        }
        // Three waves of two: at least 600 ms, and never more than two at the server.
        #expect(ContinuousClock.now - started >= .milliseconds(600))
        #expect(server.peakInFlight <= 2, "the cap of two held: \(server.peakInFlight) at once")
        #expect(server.requestCount == 6)
    }

    @Test func cancellingAStalledRequestEndsItPromptly() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/hang", body: Data("late".utf8), delay: .seconds(600))])
        defer { server.stop() }
        let client = quickClient(totalTimeout: .seconds(600))
        let task = Task { try await client.send(HTTPRequest(url: "\(server.baseURL)/hang")) }
        try await waitUntil("the request to reach the server") { server.requests.count == 1 }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // The bound is far above what a loaded machine adds and far below the 500–600 s wait.
        #expect(ContinuousClock.now - cancelledAt < .seconds(120), "well before the 500–600 s wait would end")
        guard case .failure(let error as HTTPError) = result else {
            Issue.record("expected HTTPError.cancelled, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
    }

    @Test func cancellingARateLimitWaitEndsItPromptly() async throws {
        let server = try ReplayServer(routes: [.json("/w", status: 429, headers: [ReplayHeader("Retry-After", "500")], "{}")])
        defer { server.stop() }
        let client = quickClient(maxRateLimitWait: .seconds(600))
        let task = Task { try await client.send(HTTPRequest(url: "\(server.baseURL)/w")) }
        try await waitUntil("the first attempt") { server.requests.count == 1 }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // The bound is far above what a loaded machine adds and far below the 500–600 s wait.
        #expect(ContinuousClock.now - cancelledAt < .seconds(120), "well before the 500–600 s wait would end")
        guard case .failure(let error as HTTPError) = result else {
            Issue.record("expected HTTPError.cancelled, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        #expect(server.requests.count == 1)
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        let server = try ReplayServer(routes: [.json("/c", "{}")])
        defer { server.stop() }
        let client = quickClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: "\(server.baseURL)/c"))
        }
        await #expect(throws: HTTPError.self) { try await task.value }
        #expect(server.requests.isEmpty)
    }
}
