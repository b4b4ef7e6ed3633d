import DiariumCore
import DiariumHTTP
import DiariumStore
import Foundation
import Logging
import ServiceLifecycle

/// Sends the change log's head to an RFC 3161 time-stamping authority once a day and
/// keeps the signed answer in the registry (`[integrity] tsa_url`).
///
/// The witness shows how far the chain reached; a time-stamp shows *when*, signed by a
/// party the agency does not control, so a registry rebuilt later cannot claim to be
/// older than it is. The answer is kept whole; `diarium timestamp export` writes it
/// out for `openssl ts -verify`.
public struct ChainStamper: Service {
    let registry: Registry
    let client: any HTTPClient
    let authority: String
    let interval: Duration
    let logger: Logger

    public init(registry: Registry, client: any HTTPClient, authority: String, interval: Duration = .seconds(86_400),
                logger: Logger = Logger(label: "diarium.timestamp")) {
        self.registry = registry
        self.client = client
        self.authority = authority
        self.interval = interval
        self.logger = logger
    }

    /// A failure a person can act on: which authority, and what it said.
    public struct Failure: UserFacingError {
        public var message: String
    }

    /// Asks the authority to stamp the current head and keeps the answer. Nil when the
    /// change log is still empty.
    @discardableResult
    public func stamp(now: Date = Date()) async throws -> ChainHead? {
        guard let head = try registry.head() else { return nil }
        guard let digest = SHA256.bytes(fromHex: head.hash) else { throw Failure(message: "The chain head \(head) is not a SHA-256 hash.") }
        var nonce = [UInt8](repeating: 0, count: 8)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        let request = HTTPRequest(method: "POST", url: authority, headers: [HTTPHeader("Content-Type", "application/timestamp-query")],
                                  body: TimeStampProtocol.request(sha256: digest, nonce: nonce))
        let response = try await client.send(request)
        guard response.status == 200 else {
            throw Failure(message: "The time-stamping authority \(authority) answered HTTP \(response.status), not a time-stamp.")
        }
        guard let status = TimeStampProtocol.status(of: response.body) else {
            throw Failure(message: "The time-stamping authority \(authority) answered something that is not an RFC 3161 response.")
        }
        guard TimeStampProtocol.answer(response.body, matches: digest, nonce: nonce) else {
            throw Failure(message: "The time-stamping authority \(authority) did not grant the request (status \(status)) or stamped another digest.")
        }
        try registry.storeTimestamp(head: head, authority: authority, answer: response.body, now: now)
        return head
    }

    /// Stamps at start when the newest answer is older than the interval, then every
    /// interval; a failure is logged and tried again at the next turn.
    public func run() async throws {
        let last = (try? registry.timestamps().last).flatMap { $0.flatMap { Timestamp.parse($0.stampedAt) } }
        var wait = Duration.zero
        if let last {
            let age = Date().timeIntervalSince(last)
            let seconds = Double(interval.components.seconds)
            if age < seconds { wait = .seconds(seconds - age) }
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if wait > .zero {
                let pause = wait
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            }
            do {
                if let head = try await stamp() {
                    logger.notice("chain head time-stamped", metadata: ["chainHead": "\(head)", "authority": "\(authority)"])
                }
            } catch {
                logger.error("could not time-stamp the chain head: \(error)", metadata: ["authority": "\(authority)"])
            }
            wait = interval
        }
    }
}
