import DiariumCore
import Foundation
import Logging
import Synchronization

/// The production `HTTPClient`: libcurl's multi interface on one dedicated thread,
/// with the retry, rate-limit and conditional-request policy of the daemon on top.
///
/// Create one per process and share it: all requests go through one connection
/// cache and one per-host rate-limit table.
public final class CurlHTTPClient: HTTPClient, Sendable {
    private let current: Mutex<HTTPClientConfiguration>
    private let logger: Logger
    private let engine: CurlMultiEngine
    private let limiter = HostRateLimiter()

    public init(configuration: HTTPClientConfiguration = .init(), logger: Logger = Logger(label: "diarium.http")) {
        self.current = Mutex(configuration)
        self.logger = logger
        self.engine = CurlMultiEngine(maxConcurrentTransfers: configuration.maxConcurrentTransfers)
    }

    /// The settings requests start with now.
    public var configuration: HTTPClientConfiguration { current.withLock { $0 } }

    /// Changes the settings for requests that start from now on (a configuration reload:
    /// new accounts bring new trusted origins, new budgets). Requests in flight keep the
    /// settings they started with; `maxConcurrentTransfers` stays what it was at creation.
    public func reconfigure(_ change: (inout HTTPClientConfiguration) -> Void) {
        current.withLock { change(&$0) }
    }

    /// Sends the request, retrying transient failures and honouring rate limits.
    ///
    /// Returns the last response when retries run out on a 429/5xx (it is still an
    /// answer the caller may record). Throws `HTTPError` when no response arrived,
    /// when a rate-limit pause would exceed `maxRateLimitWait` (`.rateLimited`,
    /// nothing is sent), or with `.cancelled` when the task is cancelled, including
    /// during any wait.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let host = hostKey(of: request.url) else {
            throw HTTPError(code: .invalidURL, method: request.method, url: request.url)
        }
        let configuration = self.configuration
        let options = TransferOptions(configuration)
        let policy = configuration.retry
        // Through a proxy the address curl connects to is the proxy's: the target is held
        // to the address policy here, on its own addresses, before anything is sent.
        if configuration.proxy.proxy(for: request.url) != nil, let reason = configuration.addressPolicy.refusal(throughProxyTo: request.url) {
            let error = HTTPError(code: .addressRefused, method: request.method, url: request.url, attempts: 0, detail: reason)
            logger.warning("\(error.description)")
            throw error
        }
        var attempt = 0
        while true {
            attempt += 1
            try await waitForHost(host, request: request)
            if Task.isCancelled { throw HTTPError(code: .cancelled, method: request.method, url: request.url, attempts: attempt) }

            switch await engine.perform(request, options: options) {
            case .failure(let failure):
                let error = HTTPError(code: failure.code, method: request.method, url: request.url, attempts: attempt, detail: failure.detail)
                guard failure.retryable, attempt < policy.maxAttempts else {
                    if failure.code != .cancelled { logger.warning("\(error.description)") }
                    throw error
                }
                try await backOff(host: host, request: request, attempt: attempt, reason: failure.detail.isEmpty ? "\(failure.code)" : failure.detail)

            case .success(let raw):
                let now = Date()
                let response = HTTPResponse(request: request, status: raw.status, headers: raw.headers, body: raw.body, effectiveURL: raw.effectiveURL, receivedAt: now, redirects: raw.redirects)
                let resume = RateLimitSignal.resumeDate(in: raw.headers, now: now)
                let throttled = raw.status == 429 || raw.status == 503
                if let resume, resume > now, throttled || RateLimitSignal.isExhausted(raw.headers) {
                    let reason = throttled ? "HTTP \(raw.status)" : "quota exhausted"
                    await limiter.block(host, until: resume, reason: reason)
                }
                guard policy.retryableStatuses.contains(raw.status) else { return response }
                guard attempt < policy.maxAttempts else {
                    logger.warning("\(request.method) \(redactedURL(request.url)) still answered HTTP \(raw.status) after \(attempt) attempts; returning it")
                    return response
                }
                if throttled, let resume, resume > now {
                    continue // waitForHost sleeps until the reset (or refuses to).
                }
                try await backOff(host: host, request: request, attempt: attempt, reason: "HTTP \(raw.status)")
            }
        }
    }

    /// Sleeps until the host's quiet period ends, or throws `.rateLimited` when that
    /// is further away than `maxRateLimitWait`.
    private func waitForHost(_ host: String, request: HTTPRequest) async throws {
        let configuration = self.configuration
        let now = Date()
        guard let block = await limiter.pending(host, now: now) else { return }
        let seconds = block.until.timeIntervalSince(now)
        if seconds > configuration.maxRateLimitWait.seconds {
            configuration.onEvent?(.rateLimited(host: host, until: block.until, reason: block.reason))
            logger.notice("\(request.method) \(redactedURL(request.url)) skipped: \(host) rate-limited until \(block.until.ISO8601Format()) (\(block.reason))")
            throw HTTPError(code: .rateLimited(until: block.until), method: request.method, url: request.url, attempts: 0, detail: block.reason)
        }
        let delay = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        configuration.onEvent?(.rateLimitWait(host: host, until: block.until, delay: delay, reason: block.reason))
        logger.info("waiting \(delay) for \(host) rate limit (\(block.reason)) before \(request.method) \(redactedURL(request.url))")
        try await sleep(delay, request: request)
    }

    private func backOff(host: String, request: HTTPRequest, attempt: Int, reason: String) async throws {
        let configuration = self.configuration
        let delay = configuration.retry.delay(afterAttempt: attempt)
        configuration.onEvent?(.retry(host: host, attempt: attempt, delay: delay, reason: reason))
        logger.info("retrying \(request.method) \(redactedURL(request.url)) in \(delay) after attempt \(attempt): \(reason)")
        try await sleep(delay, request: request)
    }

    /// `Task.sleep`, so that shutdown (task cancellation) ends any wait at once.
    private func sleep(_ delay: Duration, request: HTTPRequest) async throws {
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw HTTPError(code: .cancelled, method: request.method, url: request.url)
        }
    }
}
