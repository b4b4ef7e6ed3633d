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

/// The evidence behind an item: one HTTP response exactly as received, with what was
/// asked and when. The hash is over the body bytes as they came off the wire
/// (after transfer decoding), so an auditor can recompute it from the stored blob.
public struct Capture: Sendable, Hashable {
    public var method: String
    public var url: String
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data
    public var sha256: String
    public var capturedAt: Date

    public init(method: String = "GET", url: String, status: Int, headers: [HTTPHeader], body: Data, capturedAt: Date) {
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.sha256 = SHA256.hexDigest(body)
        self.capturedAt = capturedAt
    }
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
