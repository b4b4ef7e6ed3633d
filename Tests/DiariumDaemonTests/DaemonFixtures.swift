import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDaemon
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation

/// Feeds, registries and archivers for the daemon's tests.
enum DaemonFixtures {
    /// A JSON Feed 1.1 body with `count` items whose ids start with `prefix`.
    static func feed(_ prefix: String, count: Int = 3) -> String {
        let items = (1...count).map { n in
            #"{"id": "\#(prefix)-\#(n)", "url": "https://etaten.example/\#(prefix)/\#(n)", "content_text": "Nyhet \#(n) fra \#(prefix)", "date_published": "2026-11-20T0\#(n % 10):00:00Z"}"#
        }
        return #"{"version": "https://jsonfeed.org/version/1.1", "title": "\#(prefix)", "items": [\#(items.joined(separator: ", "))]}"#
    }

    static func feedRoute(_ path: String, _ prefix: String, count: Int = 3) -> ReplayRoute {
        .text(path, contentType: "application/feed+json", feed(prefix, count: count))
    }

    static func account(_ key: String, url: String) -> AccountConfig {
        AccountConfig(key: key, platform: .feed, baseURL: nil, handle: nil, url: url, credentials: nil)
    }

    /// Short timeouts and quick retries, so faults resolve in a second or two.
    static func clientConfiguration(metrics: DaemonMetrics?, totalTimeout: Duration = .milliseconds(1500)) -> HTTPClientConfiguration {
        var onEvent: (@Sendable (HTTPEvent) -> Void)?
        if let metrics { onEvent = { metrics.record($0) } }
        return HTTPClientConfiguration(connectTimeout: .seconds(2), totalTimeout: totalTimeout, maxBodyBytes: 64 * 1024,
                                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)),
                                maxRateLimitWait: .seconds(3), addressPolicy: AddressPolicy(allowed: replayServerAddresses), onEvent: onEvent)
    }

    static func archiver(accounts: [AccountConfig], registry: Registry, metrics: DaemonMetrics?, interval: Int = 900,
                         totalTimeout: Duration = .milliseconds(1500)) throws -> Archiver {
        let configuration = DiariumConfiguration(registryPath: registry.path, pollIntervalSeconds: interval, rescanSeconds: 3650 * 86400, accounts: accounts)
        let rulebook = try Rulebook.load(profile: "no", defaults: repositoryRoot.appendingPathComponent("config/rules"))
        return Archiver(configuration: configuration, registry: registry, rulebook: rulebook,
                        client: CurlHTTPClient(configuration: clientConfiguration(metrics: metrics, totalTimeout: totalTimeout)))
    }

    /// A port on 127.0.0.1 that nothing listens on: bound, then closed.
}
