import DiariumArchiver
import DiariumDaemon
import DiariumReplay
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// Every fault the internet can produce, against one account, while two healthy
/// accounts are polled in the same cycle: the fault is handled, counted, retried as the
/// policy says, and the healthy accounts are archived with a registry that verifies.
@Suite("Fault injection")
struct FaultInjectionTests {
    enum Fault: String, CaseIterable, CustomTestStringConvertible {
        case connectionRefused, resetMidBody, stalled, slowDrip, tooManyRequests, status500, status502, status503
        case truncatedJSON, wrongContentType, bodyTooLarge, invalidUTF8, unresolvableHost, tlsFailure
        var testDescription: String { rawValue }
    }

    /// The bad account's URL and the routes that make it misbehave.
    func inject(_ fault: Fault, server: ReplayServer, refused: RefusedPort) throws -> String {
        let path = "/bad.json"
        let body = DaemonFixtures.feed("bad")
        let json = [ReplayHeader("Content-Type", "application/feed+json")]
        switch fault {
        case .connectionRefused: return refused.url("/bad.json")
        case .unresolvableHost: return "http://diarium-fault-test.invalid/bad.json"
        case .tlsFailure: return "https://127.0.0.1:\(server.port)\(path)"
        case .resetMidBody: server.add(ReplayRoute(path: path, headers: json, body: Data(body.utf8), fault: .resetMidBody))
        case .stalled: server.add(ReplayRoute(path: path, headers: json, body: Data(body.utf8), fault: .stall(.seconds(300))))
        case .slowDrip: server.add(ReplayRoute(path: path, headers: json, body: Data(String(repeating: " ", count: 60_000).utf8) + Data(body.utf8), fault: .drip(bytesPerSecond: 200)))
        case .tooManyRequests:
            // One 429 with Retry-After, then the feed: the client waits and gets it.
            server.add(ReplayRoute(path: path, status: 429, headers: json + [ReplayHeader("Retry-After", "1")], body: Data("{}".utf8), times: 1))
            server.add(DaemonFixtures.feedRoute(path, "bad"))
        case .status500, .status502, .status503:
            let status = fault == .status500 ? 500 : fault == .status502 ? 502 : 503
            server.add(ReplayRoute(path: path, status: status, headers: json, body: Data("{\"error\":\"down\"}".utf8)))
        case .truncatedJSON: server.add(ReplayRoute(path: path, headers: json, body: Data(body.utf8.prefix(body.utf8.count / 2))))
        case .wrongContentType: server.add(.text(path, contentType: "text/html; charset=utf-8", "<html><body>Maintenance</body></html>"))
        case .bodyTooLarge: server.add(ReplayRoute(path: path, headers: json, body: Data(repeating: UInt8(ascii: " "), count: 200_000) + Data(body.utf8)))
        case .invalidUTF8:
            var bytes = Data(body.utf8)
            bytes.replaceSubrange(bytes.index(bytes.startIndex, offsetBy: 60)..<bytes.index(bytes.startIndex, offsetBy: 62), with: [0xC3, 0x28])
            server.add(ReplayRoute(path: path, headers: json, body: bytes))
        }
        return server.baseURL + path
    }

    /// The metric series that must have moved for each fault.
    func expectedSeries(_ fault: Fault) -> [String] {
        switch fault {
        case .connectionRefused: [#"diarium_poll_errors_total{kind="connect"}"#]
        case .unresolvableHost: [#"diarium_poll_errors_total{kind="dns"}"#]
        // A plain-HTTP server never answers a ClientHello, so the handshake fails by
        // timing out (curl cannot say more); a server that answers in plain text is "tls".
        case .tlsFailure: [#"diarium_poll_errors_total{kind="#]
        case .resetMidBody: ["diarium_poll_errors_total{kind=\"reset\"}"]
        case .stalled, .slowDrip: [#"diarium_poll_errors_total{kind="timeout"}"#]
        case .tooManyRequests: ["diarium_rate_limit_waits_total{host=\"127.0.0.1:", #"diarium_items_captured_total{platform="feed",kind="post"} 9"#]
        case .status500: [#"reason="500"} 2"#, #"diarium_quarantined_total{platform="feed"} 1"#]
        case .status502: [#"reason="502"} 2"#, #"diarium_quarantined_total{platform="feed"} 1"#]
        case .status503: [#"reason="503"} 2"#, #"diarium_quarantined_total{platform="feed"} 1"#]
        case .truncatedJSON, .wrongContentType, .invalidUTF8: [#"diarium_quarantined_total{platform="feed"} 1"#]
        case .bodyTooLarge: [#"diarium_poll_errors_total{kind="body_too_large"}"#]
        }
    }

    @Test("a fault on one account is handled and counted; the other accounts are archived and the registry verifies", arguments: Fault.allCases)
    func fault(_ fault: Fault) async throws {
        let server = try ReplayServer(routes: [DaemonFixtures.feedRoute("/good1.json", "good1"), DaemonFixtures.feedRoute("/good2.json", "good2")])
        let dir = try TemporaryDirectory()
        let refused = try RefusedPort()
        defer { server.stop(); dir.remove(); refused.close() }
        let badURL = try inject(fault, server: server, refused: refused)
        let metrics = DaemonMetrics()
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let accounts = [DaemonFixtures.account("good1", url: server.baseURL + "/good1.json"),
                        DaemonFixtures.account("bad", url: badURL),
                        DaemonFixtures.account("good2", url: server.baseURL + "/good2.json")]
        let archiver = try DaemonFixtures.archiver(accounts: accounts, registry: registry, metrics: metrics)
        let started = Date()
        let report = await archiver.runCycle()
        for outcome in report.outcomes { metrics.record(outcome, platform: "feed", duration: .seconds(1)) }
        // The client's 1.5 s timeouts and its retries end a fault in a few seconds alone;
        // the bound is far below what the faults would hold (a 300 s stall, a 300 s drip)
        // yet loose enough for a full run of every suite at once on 2 cores (21 s seen).
        #expect(Date().timeIntervalSince(started) < 90, "a fault never holds the cycle long")

        for key in ["good1", "good2"] {
            let outcome = try #require(report.outcomes.first { $0.account == key })
            #expect(outcome.error == nil, "\(key): \(outcome.error ?? "")")
            #expect(outcome.summary.newItems == 3)
        }
        let bad = try #require(report.outcomes.first { $0.account == "bad" })
        if fault == .tooManyRequests {
            #expect(bad.error == nil && bad.summary.newItems == 3, "\(bad.error ?? "")")
        } else {
            #expect(bad.error != nil || bad.summary.quarantined == 1, "the fault shows as an error or a quarantined response")
            #expect(bad.summary.newItems == 0)
        }
        let text = metrics.render(accounts: accounts.map(\.key))
        if fault == .tlsFailure {
            #expect(bad.errorKind == .tls || bad.errorKind == .timeout, "\(String(describing: bad.errorKind))")
        }
        for series in expectedSeries(fault) {
            #expect(text.contains(series), "\(fault): \(series) missing from\n\(text)")
        }
        #expect(try registry.verify().problem == nil)
        #expect(try registry.counts().items == (fault == .tooManyRequests ? 9 : 6))
    }
}
