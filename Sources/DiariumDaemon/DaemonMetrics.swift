import CoreMetrics
import DiariumArchiver
import DiariumHTTP
import Foundation
import Prometheus
import Synchronization

/// Every number the daemon exposes at `/metrics`. Built on the swift-metrics facade
/// with an explicit Prometheus factory instead of `MetricsSystem.bootstrap`, so there is
/// no process-wide state: each daemon (and each test) has its own registry.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// When each account last succeeded; turned into a gauge at scrape time so it keeps
    /// growing while an account is stuck, which is what an alert needs.
    private let lastSuccess = Mutex<[String: Date]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300].map { Duration.milliseconds(Int64($0 * 1000)) }
        self.factory = factory
    }

    private func count(_ name: String, _ dimensions: [(String, String)], by amount: Int = 1) {
        guard amount > 0 else { return }
        Counter(label: name, dimensions: dimensions, factory: factory).increment(by: amount)
    }

    /// Records everything one poll came to.
    public func record(_ outcome: AccountOutcome, platform: String, duration: Duration) {
        Timer(label: "diarium_poll_duration_seconds", factory: factory).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        count("diarium_polls_total", [("result", outcome.error == nil ? "ok" : "failed")])
        for (kind, n) in outcome.newItemsByKind { count("diarium_items_captured_total", [("platform", platform), ("kind", kind)], by: n) }
        for (rule, n) in outcome.decisionsByRule { count("diarium_decisions_total", [("rule", rule)], by: n) }
        count("diarium_quarantined_total", [("platform", platform)], by: outcome.summary.quarantined)
        if let kind = outcome.errorKind { count("diarium_poll_errors_total", [("kind", kind.rawValue)]) }
        if outcome.error == nil, !outcome.skipped { lastSuccess.withLock { $0[outcome.account] = Date() } }
    }

    /// A poll slot that was dropped because the previous poll of the account overran it.
    public func recordSkippedSlot(account: String) {
        count("diarium_polls_skipped_total", [("account", account)])
    }

    /// The HTTP client's own events: retries and rate-limit waits, per host.
    public func record(_ event: HTTPEvent) {
        switch event {
        case .retry(let host, _, _, let reason):
            count("diarium_http_retries_total", [("host", host), ("reason", Self.retryReason(reason))])
        case .rateLimitWait(let host, _, let delay, _):
            count("diarium_rate_limit_waits_total", [("host", host)])
            Timer(label: "diarium_rate_limit_wait_seconds", dimensions: [("host", host)], factory: factory)
                .recordNanoseconds(delay.components.seconds * 1_000_000_000)
        case .rateLimited(let host, _, _):
            count("diarium_rate_limited_total", [("host", host)])
        }
    }

    /// Collapses curl's free text into a few stable label values (labels must not explode).
    static func retryReason(_ reason: String) -> String {
        let lower = reason.lowercased()
        for status in ["429", "500", "502", "503", "504"] where lower.contains(status) { return status }
        if lower.contains("timed out") || lower.contains("timeout") { return "timeout" }
        if lower.contains("connect") { return "connect" }
        return "transport"
    }

    /// Seeds the last-success times from the registry at start, so the gauge is right
    /// before the first poll of each account.
    public func seedLastSuccess(_ times: [String: Date]) {
        lastSuccess.withLock { $0.merge(times) { current, _ in current } }
    }

    /// Whether the registry accepts writes (0 while the disk is full or the file read-only).
    public func setRegistryWritable(_ writable: Bool) {
        registry.makeGauge(name: "diarium_registry_writable", labels: []).set(writable ? 1.0 : 0.0)
    }

    /// The text exposition format, with the time-since gauges brought up to date.
    public func render(accounts: [String], now: Date = Date()) -> String {
        let known = lastSuccess.withLock { $0 }
        for account in accounts {
            let gauge = registry.makeGauge(name: "diarium_seconds_since_last_success", labels: [("account", account)])
            // Never succeeded: +Inf says "no success on record" without inventing a date.
            gauge.set(known[account].map { now.timeIntervalSince($0) } ?? Double.infinity)
        }
        return registry.emitToString()
    }
}
