import Foundation

/// A request that produced no usable response. (A 404 or an exhausted 429 is a
/// response, not an error.) The description is one sentence meant for the journal:
/// what was asked, what went wrong, after how many attempts, and what to check.
/// URLs are redacted of credentials; Authorization headers never appear.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// DNS failure or connection refused/unreachable.
        case connectFailed
        /// Connect or total timeout.
        case timedOut
        /// The body exceeded `maxBodyBytes`.
        case bodyTooLarge
        /// More than `maxRedirects` redirects.
        case tooManyRedirects
        /// The host asked for a pause longer than `maxRateLimitWait`; nothing was sent.
        case rateLimited(until: Date)
        /// Any other network or protocol failure (reset, truncated body, TLS …).
        case transport
        /// The calling task was cancelled (shutdown).
        case cancelled
        /// The URL could not be parsed or uses a scheme other than http(s).
        case invalidURL
        /// The host resolved to an internal address (loopback, private, link-local,
        /// unique-local) that the address policy does not allow for this URL; nothing was
        /// sent. See `AddressPolicy`.
        case addressRefused
    }

    public var code: Code
    public var method: String
    /// The request URL with credentials in it replaced by `REDACTED`.
    public var url: String
    public var attempts: Int
    /// curl's own wording of the failure, if any (never contains header values).
    public var detail: String

    public init(code: Code, method: String, url: String, attempts: Int = 1, detail: String = "") {
        self.code = code
        self.method = method
        self.url = redactedURL(url)
        self.attempts = attempts
        self.detail = detail
    }

    public var description: String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        let detailPart = detail.isEmpty ? "" : " (\(detail))"
        let what = "\(method) \(url)"
        switch code {
        case .connectFailed:
            return "\(what) failed: could not connect after \(tries)\(detailPart); check DNS, the host and the firewall."
        case .timedOut:
            return "\(what) failed: timed out after \(tries)\(detailPart); the host is slow or unreachable, or the timeouts are too short."
        case .bodyTooLarge:
            // No configuration key sets this limit (the old text named `max_body_bytes`,
            // which the configuration refuses as unknown), so none is named.
            return "\(what) failed: the response body exceeded the configured limit\(detailPart), which no key in the configuration file changes; an answer this large is not archived."
        case .tooManyRedirects:
            return "\(what) failed: too many redirects\(detailPart); the URL probably loops or moved, so check it in a browser."
        case .rateLimited(let until):
            return "\(what) skipped: the host is rate-limiting us until \(until.ISO8601Format()), longer than we are willing to wait; it will be retried next cycle."
        case .transport:
            return "\(what) failed after \(tries)\(detailPart); the connection broke or the server sent something invalid."
        case .cancelled:
            return "\(what) was cancelled (shutting down)."
        case .invalidURL:
            return "\(what) failed: the URL is invalid or not http(s)\(detailPart); check the account's configuration."
        case .addressRefused:
            return "\(what) was not fetched: \(detail.isEmpty ? "it leads to an internal address" : detail); if the archiver should reach it, list the address in [poll] allow_addresses."
        }
    }
}

private let secretQueryNames: Set<String> = [
    "access_token", "token", "api_key", "apikey", "key", "client_secret", "secret",
    "password", "signature", "sig", "auth", "refresh_token", "code",
]

/// The URL fit for logs: user-info and the values of credential-like query
/// parameters (`access_token`, `key`, …) are replaced, because Facebook and YouTube
/// put tokens in the query string.
public func redactedURL(_ url: String) -> String {
    var head = Substring(url)
    var fragment: Substring = ""
    if let hash = head.firstIndex(of: "#") {
        fragment = head[hash...]
        head = head[..<hash]
    }
    var query: Substring? = nil
    if let mark = head.firstIndex(of: "?") {
        query = head[head.index(after: mark)...]
        head = head[..<mark]
    }
    var base = String(head)
    if let schemeEnd = base.range(of: "://") {
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = base[authorityStart...].firstIndex(of: "/") ?? base.endIndex
        if let at = base[authorityStart..<authorityEnd].lastIndex(of: "@") {
            base.replaceSubrange(authorityStart..<base.index(after: at), with: "REDACTED@")
        }
    }
    guard let query else { return base + fragment }
    let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
        guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
        let name = pair[..<eq].lowercased()
        return secretQueryNames.contains(name) ? "\(pair[..<eq])=REDACTED" : String(pair)
    }
    return base + "?" + parts.joined(separator: "&") + fragment
}
