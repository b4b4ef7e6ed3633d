import DiariumCore
import Foundation

/// One request. Connectors build these; the client adds the User-Agent, caps,
/// timeouts and conditional headers.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: Data?
    /// Validators from an earlier response: sent as If-None-Match / If-Modified-Since.
    public var etag: String?
    public var lastModified: String?

    public init(method: String = "GET", url: String, headers: [HTTPHeader] = [], body: Data? = nil, etag: String? = nil, lastModified: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// One response exactly as received: status, headers in order, body bytes after
/// content decoding (gzip), the URL after redirects, the redirects on the way, and when
/// it arrived.
public struct HTTPResponse: Sendable, Hashable {
    public var request: HTTPRequest
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data
    public var effectiveURL: String
    public var receivedAt: Date
    /// Every redirect followed before this response, in order: the provenance of the
    /// bytes, which came from `effectiveURL` rather than the URL asked for.
    public var redirects: [RedirectHop]

    public init(request: HTTPRequest, status: Int, headers: [HTTPHeader], body: Data, effectiveURL: String, receivedAt: Date, redirects: [RedirectHop] = []) {
        self.request = request
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.receivedAt = receivedAt
        self.redirects = redirects
    }

    public func header(_ name: String) -> String? { headers.value(for: name) }

    /// The evidence record of this response, as the registry keeps it: named by the URL
    /// the bytes came from, with the hops that led there. Without redirects that is the
    /// URL asked for, as the connector wrote it.
    public var capture: Capture {
        let url = redirects.isEmpty || effectiveURL.isEmpty ? request.url : effectiveURL
        return Capture(method: request.method, url: url, status: status, headers: headers, body: body, capturedAt: receivedAt, redirects: redirects)
    }
}

/// The seam between connectors and the network. Production uses libcurl; every test
/// of a connector runs the real client against a local replay server.
public protocol HTTPClient: Sendable {
    /// Sends the request and returns whatever status came back (a 404 or 429 is a
    /// response, not an error). Throws only when no response arrived.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
