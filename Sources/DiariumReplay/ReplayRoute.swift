import Foundation

/// A header a route sends. `{{base}}` in the value becomes the server's base URL.
public struct ReplayHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Ways a route can misbehave, to test the client against broken servers.
public enum ReplayFault: Sendable, Hashable {
    /// Sends the headers (with the full Content-Length) and half the body, then resets the connection.
    case resetMidBody
    /// Sends the headers and half the body, goes silent for the duration, then sends the rest.
    case stall(Duration)
    /// Sends the body slowly, at about this rate.
    case drip(bytesPerSecond: Int)
    /// Reads the request and closes the connection without a byte of response.
    case closeWithoutResponse
    /// Compresses the body with gzip and sends `Content-Encoding: gzip`. The deflate
    /// stream uses stored (uncompressed) blocks: valid for every decoder, no zlib needed.
    case gzip
    /// Sends an interim response first (`100 Continue` unasked for, `103 Early Hints`),
    /// with these headers, then the answer: a client must not take it for the answer.
    case interim(status: Int, headers: [ReplayHeader])
}

/// One scripted answer. Routes are matched on method, exact path and the query
/// parameters they list; see `ReplayServer` for how ties are broken.
public struct ReplayRoute: Sendable {
    public var method: String
    /// Exact, percent-decoded path, e.g. "/api/v1/accounts/lookup".
    public var path: String
    /// Each must be present in the request with this (percent-decoded) value; extra request parameters are ignored.
    public var query: [String: String]
    public var status: Int
    public var headers: [ReplayHeader]
    public var body: Data
    /// Active when `server.stage >= stage`; among matches the highest stage wins.
    public var stage: Int
    /// Served at most this many times, then no longer matches.
    public var times: Int?
    /// Wait before answering (ended early by `stop()`).
    public var delay: Duration?
    /// Sent as ETag; a request whose If-None-Match equals it gets 304 with no body.
    public var etag: String?
    /// Sent as Last-Modified; a request whose If-Modified-Since equals it gets 304.
    public var lastModified: String?
    public var fault: ReplayFault?

    public init(method: String = "GET", path: String, query: [String: String] = [:], status: Int = 200, headers: [ReplayHeader] = [], body: Data = Data(), stage: Int = 0, times: Int? = nil, delay: Duration? = nil, etag: String? = nil, lastModified: String? = nil, fault: ReplayFault? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.status = status
        self.headers = headers
        self.body = body
        self.stage = stage
        self.times = times
        self.delay = delay
        self.etag = etag
        self.lastModified = lastModified
        self.fault = fault
    }

    /// A JSON answer with `Content-Type: application/json; charset=utf-8` (unless `headers` sets one).
    public static func json(_ path: String, query: [String: String] = [:], status: Int = 200, headers: [ReplayHeader] = [], _ body: String, stage: Int = 0) -> ReplayRoute {
        var all = headers
        if !all.contains(where: { $0.name.lowercased() == "content-type" }) {
            all.insert(ReplayHeader("Content-Type", "application/json; charset=utf-8"), at: 0)
        }
        return ReplayRoute(path: path, query: query, status: status, headers: all, body: Data(body.utf8), stage: stage)
    }

    /// A text answer (RSS, Atom, HTML …) with the given content type.
    public static func text(_ path: String, query: [String: String] = [:], status: Int = 200, contentType: String, headers: [ReplayHeader] = [], _ body: String, stage: Int = 0) -> ReplayRoute {
        ReplayRoute(path: path, query: query, status: status, headers: [ReplayHeader("Content-Type", contentType)] + headers, body: Data(body.utf8), stage: stage)
    }

    /// A redirect to `location` (which may contain `{{base}}`).
    public static func redirect(_ path: String, to location: String, status: Int = 302, query: [String: String] = [:], stage: Int = 0) -> ReplayRoute {
        ReplayRoute(path: path, query: query, status: status, headers: [ReplayHeader("Location", location)], stage: stage)
    }
}

/// A request as the server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    /// Percent-decoded path without the query.
    public var path: String
    /// Percent-decoded parameters; for a repeated name the first value (see `queryItems` for all).
    public var query: [String: String]
    /// Every parameter in order, repeats included (`id[]=1&id[]=2`).
    public var queryItems: [(name: String, value: String)]
    public var headers: [ReplayHeader]
    public var body: Data
    public var receivedAt: Date

    /// The first value of a header, matched without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
