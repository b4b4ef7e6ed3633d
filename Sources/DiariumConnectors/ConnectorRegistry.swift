import DiariumCore
import DiariumHTTP
import Logging

/// The one place that maps a platform to its connector, so the archiver needs no
/// per-platform switch: it asks for a connector and skips (with a log line) the
/// platforms that have none yet.
public func makeConnector(for platform: Platform, client: any HTTPClient) -> (any Connector)? {
    makeConnector(for: platform, client: client, logger: Logger(label: "diarium.connectors"))
}

/// As `makeConnector(for:client:)`, logging under the caller's logger.
public func makeConnector(for platform: Platform, client: any HTTPClient, logger: Logger) -> (any Connector)? {
    switch platform {
    case .mastodon: return MastodonConnector(client: client, logger: logger)
    case .feed: return FeedConnector(client: client, logger: logger)
    case .bluesky: return BlueskyConnector(client: client, logger: logger)
    case .x: return XConnector(client: client, logger: logger)
    case .facebook: return FacebookConnector(client: client, logger: logger)
    case .flickr: return FlickrConnector(client: client, logger: logger)
    case .youtube: return YouTubeConnector(client: client, logger: logger)
    }
}

/// The platforms `makeConnector` can build a connector for.
public let supportedPlatforms: [Platform] = Platform.allCases
