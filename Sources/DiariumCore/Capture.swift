import Foundation

/// One HTTP header as received: names keep their case, order is kept, and
/// lookups are case-insensitive.
public struct HTTPHeader: Codable, Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The first value of a header, matched without regard to case.
    public func value(for name: String) -> String? {
        first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// One redirect the server answered on the way to a capture's bytes. Only what the
/// record needs to show where the bytes came from is kept: the redirect's body and its
/// other headers are not evidence of anything the item says, and libcurl discards the
/// body while following.
public struct RedirectHop: Codable, Sendable, Hashable {
    /// The URL this hop asked for: the request's URL for the first hop, the URL libcurl
    /// followed the previous Location to for the others.
    public var url: String
    /// The 3xx status the server answered (301, 302, 303, 307, 308).
    public var status: Int
    /// The Location header exactly as sent, which may be relative: resolving it is the
    /// client's reading, the header is the server's word.
    public var location: String

    public init(url: String, status: Int, location: String) {
        self.url = url
        self.status = status
        self.location = location
    }
}

/// The evidence behind an item: one HTTP response exactly as received, with what was
/// asked and when. The hash is over the body bytes as they came off the wire
/// (after transfer decoding), so an auditor can recompute it from the stored blob.
public struct Capture: Sendable, Hashable {
    public var method: String
    /// The URL the bytes came from. After redirects that is not the URL asked for
    /// (`requestedURL`): naming the asked-for URL would attribute the bytes to an
    /// address that never served them.
    public var url: String
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data
    public var sha256: String
    public var capturedAt: Date
    /// The redirects followed before `url` answered, in order; empty when the first
    /// URL answered itself.
    public var redirects: [RedirectHop]

    public init(method: String = "GET", url: String, status: Int, headers: [HTTPHeader], body: Data, capturedAt: Date, redirects: [RedirectHop] = []) {
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.sha256 = SHA256.hexDigest(body)
        self.capturedAt = capturedAt
        self.redirects = redirects
    }

    /// The URL that was asked for: what a connector's paging, logs and checkpoints
    /// speak of, even when the bytes came from elsewhere.
    public var requestedURL: String { redirects.first?.url ?? url }
}

/// A payload that could not be turned into items: kept with its raw bytes for
/// inspection, and logged with the account and URL.
public struct Quarantined: Sendable, Hashable {
    public var account: String
    public var capture: Capture
    public var problem: String

    public init(account: String, capture: Capture, problem: String) {
        self.account = account
        self.capture = capture
        self.problem = problem
    }
}
