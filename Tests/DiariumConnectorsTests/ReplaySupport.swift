import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Logging

/// Routes built from fixture files, and the real libcurl client with a retry policy
/// fast enough for tests (retries still happen, so "5xx after the client's retries"
/// is what the connector sees).
enum Replay {
    static func client() -> CurlHTTPClient {
        CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                connectTimeout: .seconds(5), totalTimeout: .seconds(20),
                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                maxRateLimitWait: .seconds(1), addressPolicy: AddressPolicy(allowed: replayServerAddresses)),
            logger: Logger(label: "test.http"))
    }

    /// Headers from a `.headers` fixture: one `Name: value` per line.
    static func headers(_ fixture: String) throws -> [ReplayHeader] {
        try Fixture.text(fixture).split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return ReplayHeader(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// A route answering with a fixture's bytes. Headers come from `<fixture minus
    /// extension>.headers` when that file exists, else `Content-Type: contentType`.
    static func route(_ path: String, query: [String: String] = [:], status: Int = 200, _ fixture: String,
                      contentType: String = "application/json; charset=utf-8", stage: Int = 0,
                      etag: String? = nil, lastModified: String? = nil) throws -> ReplayRoute {
        let headerFile = (fixture as NSString).deletingPathExtension + ".headers"
        let headers = FileManager.default.fileExists(atPath: Fixture.url(headerFile).path)
            ? try headers(headerFile) : [ReplayHeader("Content-Type", contentType)]
        return ReplayRoute(path: path, query: query, status: status, headers: headers, body: try Fixture.data(fixture),
                           stage: stage, etag: etag, lastModified: lastModified)
    }
}

/// The Mastodon fixture account's paths.
enum MastodonPaths {
    static let lookup = "/api/v1/accounts/lookup"
    static let statuses = "/api/v1/accounts/110000000000000001/statuses"
    static func context(_ id: String) -> String { "/api/v1/statuses/\(id)/context" }
    static func history(_ id: String) -> String { "/api/v1/statuses/\(id)/history" }
    static func status(_ id: String) -> String { "/api/v1/statuses/\(id)" }
}

extension Harvest {
    var items: [Item] { observations.flatMap(\.items) }
}
