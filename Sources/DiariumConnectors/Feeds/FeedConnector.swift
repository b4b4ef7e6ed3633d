import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one web feed (RSS 2.0, Atom, JSON Feed) with conditional GET
/// (feed-apis.md §3.2). The checkpoint holds the validators (`etag`,
/// `lastModified`) and the body's hash, so an unchanged feed costs one 304, or one
/// hash when the server sends no validators. Absence from a feed is never a
/// deletion (a feed is a sliding window); only an Atom tombstone is.
public struct FeedConnector: Connector {
    public let platform = Platform.feed
    let client: any HTTPClient
    let logger: Logger

    public init(client: any HTTPClient, logger: Logger = Logger(label: "diarium.connectors.feed")) {
        self.client = client
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        guard let url = account.url, !url.isEmpty else {
            throw ConnectorError.misconfigured(account: account.key, missing: "url")
        }
        let request = HTTPRequest(
            url: url,
            headers: [HTTPHeader("Accept", "application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.8")],
            etag: checkpoint["etag"],
            lastModified: checkpoint["lastModified"])
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // Redacted: a feed URL may carry a key in its query, and this message is logged.
            throw ConnectorError.unreachable(account: account.key, url: redactedURL(url), reason: String(describing: error))
        }
        if response.status == 304 {
            return Harvest(checkpoint: checkpoint)
        }
        if let problem = ResponseProblem.check(response, expecting: .feed) {
            return quarantine(response, problem, account: account, checkpoint: checkpoint)
        }
        var next = checkpoint
        next.values.removeValue(forKey: "etag")
        next.values.removeValue(forKey: "lastModified")
        if let etag = response.header("ETag"), !etag.isEmpty { next["etag"] = etag }
        if let modified = response.header("Last-Modified"), !modified.isEmpty { next["lastModified"] = modified }
        let hash = SHA256.hexDigest(response.body)
        if hash == checkpoint["sha256"] {
            // Same bytes as last time, though the server did not say so: nothing new.
            return Harvest(checkpoint: next)
        }
        let feed: ParsedFeed
        do {
            feed = try FeedNormaliser.parse(response.body, contentType: response.header("Content-Type"))
        } catch {
            return quarantine(response, "\(url) returned \(error.reason).", account: account, checkpoint: checkpoint)
        }
        if feed.entries.isEmpty, feed.tombstones.isEmpty, let reason = feed.emptyReason {
            // Well-formed but nothing in it: say so, or a feed read wrongly looks like a quiet one.
            logger.warning("\(url) gave no entries: \(reason)", metadata: ["account": "\(account.key)", "url": "\(url)", "reason": "\(reason)"])
        }
        next["sha256"] = hash
        var problems: [String] = []
        let items = FeedNormaliser.items(from: feed, accountKey: account.key, feedURL: url, problems: &problems)
        let capture = response.capture
        let deletions = feed.tombstones.map { tombstone in
            Deletion(
                itemID: tombstone.ref,
                detectedAt: response.receivedAt,
                how: "Atom tombstone (RFC 6721 at:deleted-entry\(tombstone.when.map { " when=\($0)" } ?? "")) in \(url)",
                evidence: capture)
        }
        let observations = items.isEmpty ? [] : [Observation(capture: capture, items: items)]
        return Harvest(observations: observations, deletions: deletions, checkpoint: next, problems: problems)
    }

    /// Keeps the bad response with its problem; the checkpoint stays where it was, so
    /// the feed is read again in full next time.
    private func quarantine(_ response: HTTPResponse, _ problem: String, account: AccountConfig, checkpoint: Checkpoint) -> Harvest {
        logger.warning("quarantined", metadata: ["account": "\(account.key)", "problem": "\(problem)"])
        return Harvest(quarantined: [Quarantined(account: account.key, capture: response.capture, problem: problem)], checkpoint: checkpoint)
    }
}
