import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Glibc
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
        addressPolicy: AddressPolicy(allowed: replayServerAddresses),
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

/// A port on 127.0.0.1 that refuses connections: bound but not listening, and kept
/// bound until `close()`, so no server started by a parallel test can take it over.
final class RefusingPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
