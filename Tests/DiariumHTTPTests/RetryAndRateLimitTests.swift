import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Retries and the rate-limit dialects, timed from the server's own request log.
@Suite struct RetryAndRateLimitTests {
    @Test func serviceUnavailableThenOK() async throws {
        let server = try ReplayServer(routes: [
            .json("/s", "{}"),
            ReplayRoute(path: "/s", status: 503, body: Data("busy".utf8), times: 2),
        ])
        defer { server.stop() }
        let events = EventLog()
        let response = try await quickClient(attempts: 4, onEvent: { events.append($0) }).send(HTTPRequest(url: "\(server.baseURL)/s"))
        #expect(response.status == 200)
        #expect(server.requests.count == 3)
        let retries = events.events.filter { if case .retry = $0 { true } else { false } }
        #expect(retries.count == 2)
    }

    @Test func exhaustedRetriesReturnTheLastResponse() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/e", status: 502)])
        defer { server.stop() }
        let response = try await quickClient(attempts: 3).send(HTTPRequest(url: "\(server.baseURL)/e"))
        #expect(response.status == 502)
        #expect(server.requests.count == 3)
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let server = try ReplayServer(routes: [
            .json("/r", "{}"),
            .json("/r", status: 429, headers: [ReplayHeader("Retry-After", "1")], #"{"error":"RateLimitExceeded"}"#).limited(1),
        ])
        defer { server.stop() }
        let events = EventLog()
        let response = try await quickClient(onEvent: { events.append($0) }).send(HTTPRequest(url: "\(server.baseURL)/r"))
        #expect(response.status == 200)
        let times = server.requests.map(\.receivedAt)
        try #require(times.count == 2)
        #expect(times[1].timeIntervalSince(times[0]) >= 1.0)
        #expect(events.events.contains { if case .rateLimitWait = $0 { true } else { false } })
    }

    @Test func mastodonISOResetIsHonoured() async throws {
        let reset = Date().addingTimeInterval(1)
        let server = try ReplayServer(routes: [
            .json("/m", "[]"),
            .json("/m", status: 429, headers: [ReplayHeader("X-RateLimit-Remaining", "0"), ReplayHeader("X-RateLimit-Reset", isoMicroseconds(reset))], #"{"error":"Too many requests"}"#).limited(1),
        ])
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/m"))
        #expect(response.status == 200)
        let times = server.requests.map(\.receivedAt)
        try #require(times.count == 2)
        #expect(times[1] >= reset.addingTimeInterval(-0.001))
    }

    @Test func epochResetIsHonoured() async throws {
        let reset = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 1).rounded(.up))
        let server = try ReplayServer(routes: [
            .json("/x", "{}"),
            .json("/x", status: 429, headers: [ReplayHeader("x-rate-limit-reset", String(Int(reset.timeIntervalSince1970)))], "{}").limited(1),
        ])
        defer { server.stop() }
        let response = try await quickClient().send(HTTPRequest(url: "\(server.baseURL)/x"))
        #expect(response.status == 200)
        let times = server.requests.map(\.receivedAt)
        try #require(times.count == 2)
        #expect(times[1] >= reset.addingTimeInterval(-0.001))
    }

    @Test func exhaustedQuotaDelaysTheNextRequestToTheHost() async throws {
        let reset = Date().addingTimeInterval(1)
        let server = try ReplayServer(routes: [
            .json("/a", headers: [ReplayHeader("RateLimit-Remaining", "0"), ReplayHeader("RateLimit-Reset", String(format: "%.0f", reset.timeIntervalSince1970.rounded(.up)))], "{}"),
            .json("/b", "{}"),
        ])
        defer { server.stop() }
        let client = quickClient()
        let first = try await client.send(HTTPRequest(url: "\(server.baseURL)/a"))
        #expect(first.status == 200)
        let second = try await client.send(HTTPRequest(url: "\(server.baseURL)/b"))
        #expect(second.status == 200)
        let times = server.requests.map(\.receivedAt)
        try #require(times.count == 2)
        #expect(times[1] >= reset.addingTimeInterval(-0.001))
    }

    @Test func waitBeyondTheLimitThrowsWithoutSleeping() async throws {
        let server = try ReplayServer(routes: [
            .json("/l", status: 429, headers: [ReplayHeader("Retry-After", "3600")], "{}"),
        ])
        defer { server.stop() }
        let events = EventLog()
        let client = quickClient(maxRateLimitWait: .seconds(600), onEvent: { events.append($0) })
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: "\(server.baseURL)/l"))
        }
        guard case .rateLimited(let until)? = error?.code else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(until.timeIntervalSinceNow > 3500)
        // Far less than the 600 s it may wait, let alone the hour it refused: the bound is
        // generous because a loaded 2-core machine can starve the test's threads for
        // seconds (seen at 12 s in a full run beside other suites), not because it sleeps.
        #expect(ContinuousClock.now - started < .seconds(300), "far less than the wait it refused")
        #expect(server.requests.count == 1)
        // The host stays blocked: the next request is refused without being sent.
        await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: "\(server.baseURL)/other")) }
        #expect(server.requests.count == 1)
        #expect(events.events.contains { if case .rateLimited = $0 { true } else { false } })
    }
}

extension ReplayRoute {
    /// Served `count` times, then falls through to the next route.
    func limited(_ count: Int) -> ReplayRoute {
        var copy = self
        copy.times = count
        return copy
    }
}
