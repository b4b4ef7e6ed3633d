import Foundation

/// Something worth counting or alerting on that the client did on its own:
/// a retry, a wait for a rate-limit reset, or a refusal to wait that long.
public enum HTTPEvent: Sendable, Hashable {
    /// The attempt failed and another follows after `delay`.
    case retry(host: String, attempt: Int, delay: Duration, reason: String)
    /// The host asked us to hold off; the client sleeps `delay` before sending.
    case rateLimitWait(host: String, until: Date, delay: Duration, reason: String)
    /// The host asked for a longer pause than `maxRateLimitWait`; the request was
    /// not sent and `HTTPError.Code.rateLimited` was thrown.
    case rateLimited(host: String, until: Date, reason: String)
}

/// Every knob of `CurlHTTPClient`. The defaults suit polling public APIs on a
/// schedule: generous timeouts, a body cap well above any real page, and a retry
/// budget small enough that one bad host cannot stall a whole cycle.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeout: Duration
    /// The whole exchange, including redirects and the body.
    public var totalTimeout: Duration
    /// Bodies larger than this (after gzip decoding) abort with `bodyTooLarge`, so a
    /// hostile or broken server cannot fill memory.
    public var maxBodyBytes: Int
    public var maxRedirects: Int
    public var userAgent: String
    /// Transfers on the wire at once; further requests queue (without timing out).
    public var maxConcurrentTransfers: Int
    public var retry: RetryPolicy
    /// Longest pause the client will take for a rate limit before giving up on the
    /// request with `rateLimited`, so the scheduler can move on to other accounts.
    public var maxRateLimitWait: Duration
    /// PEM bundle of the certificate authorities HTTPS servers are checked against,
    /// instead of the system's; for a server behind the agency's own CA (or a local
    /// replay server with a made certificate). Nil: the system store. Verification
    /// itself is never turned off.
    public var caFile: String?
    /// Which internal addresses may be reached, and for which URLs. The default refuses
    /// every loopback, private, link-local and unique-local address: production builds it
    /// from the configuration (accounts' own API and feed origins, `[poll] allow_addresses`),
    /// and so do the demo and the tests, whose servers listen on 127.0.0.1.
    public var addressPolicy: AddressPolicy
    /// The forward proxy (by default the environment's, as curl would read it). A proxied
    /// request is checked against `addressPolicy` on its target's addresses (`HTTPProxy`).
    public var proxy: HTTPProxy
    /// Observability hook; called on whichever task made the request. Keep it cheap.
    public var onEvent: (@Sendable (HTTPEvent) -> Void)?

    public static let defaultUserAgent = "Diarium/0.1 (+https://example.org/diarium)"

    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        maxBodyBytes: Int = 32 * 1024 * 1024,
        maxRedirects: Int = 5,
        userAgent: String = HTTPClientConfiguration.defaultUserAgent,
        maxConcurrentTransfers: Int = 64,
        retry: RetryPolicy = RetryPolicy(),
        maxRateLimitWait: Duration = .seconds(15 * 60),
        caFile: String? = nil,
        addressPolicy: AddressPolicy = AddressPolicy(),
        proxy: HTTPProxy = .fromEnvironment(),
        onEvent: (@Sendable (HTTPEvent) -> Void)? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
        self.retry = retry
        self.maxRateLimitWait = maxRateLimitWait
        self.caFile = caFile
        self.addressPolicy = addressPolicy
        self.proxy = proxy
        self.onEvent = onEvent
    }
}
