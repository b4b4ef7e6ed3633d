import DiariumHTTP
import DiariumReplay
import Foundation
import Synchronization

/// A client whose retries are quick, so failure paths cost milliseconds.
func quickClient(
    attempts: Int = 3,
    totalTimeout: Duration = .seconds(10),
    maxBodyBytes: Int = 32 * 1024 * 1024,
    maxRedirects: Int = 5,
    maxConcurrent: Int = 64,
    maxRateLimitWait: Duration = .seconds(30),
    onEvent: (@Sendable (HTTPEvent) -> Void)? = nil
) -> CurlHTTPClient {
    CurlHTTPClient(configuration: HTTPClientConfiguration(
        connectTimeout: .seconds(2),
        totalTimeout: totalTimeout,
        maxBodyBytes: maxBodyBytes,
        maxRedirects: maxRedirects,
        maxConcurrentTransfers: maxConcurrent,
        retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
        maxRateLimitWait: maxRateLimitWait,
        onEvent: onEvent
    ))
}

/// ISO 8601 with microseconds, as Mastodon writes `X-RateLimit-Reset`.
func isoMicroseconds(_ date: Date) -> String {
    let whole = date.timeIntervalSince1970.rounded(.down)
    let micros = Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded(.down))
    let base = Date(timeIntervalSince1970: whole).ISO8601Format(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
    let padded = String(repeating: "0", count: 6 - String(micros).count) + String(micros)
    return base + "." + padded + "Z"
}

/// Collects events from the client's hook.
final class EventLog: Sendable {
    private let storage = Mutex<[HTTPEvent]>([])

    func append(_ event: HTTPEvent) { storage.withLock { $0.append(event) } }
    var events: [HTTPEvent] { storage.withLock { $0 } }
}

/// A port on 127.0.0.1 that nothing listens on: a server started and stopped.
func closedPort() throws -> Int {
    let server = try ReplayServer()
    let port = server.port
    server.stop()
    return port
}
