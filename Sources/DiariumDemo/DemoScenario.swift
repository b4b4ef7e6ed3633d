import DiariumReplay
import Foundation

/// The demo's sample agency, "Etaten", on a Mastodon server and three web feeds, all
/// served from 127.0.0.1 by a replay server. Everything here is invented: people,
/// numbers and hosts (example.org). Stage 0 is the morning's first poll; stage 1 adds
/// a new reply and an edit, so the second poll shows incremental capture.
public enum DemoScenario {
    /// The day the sample posts were written; `diarium demo` prints this day's journal.
    public static let sampleDay = "2026-11-20"
    public static let mastodonAccountID = "109000000000000001"

    public struct Account: Sendable {
        public var key: String
        public var platform: String
        public var baseURL: String?
        public var handle: String?
        public var url: String?
    }

    public static func accounts(baseURL: String) -> [Account] {
        [
            Account(key: "etaten-mastodon", platform: "mastodon", baseURL: baseURL, handle: "etaten"),
            Account(key: "etaten-news", platform: "feed", url: baseURL + "/news/rss.xml"),
            Account(key: "etaten-notices", platform: "feed", url: baseURL + "/notices/atom.xml"),
            Account(key: "etaten-blog", platform: "feed", url: baseURL + "/blog/feed.json"),
        ] + blueskyAccounts(baseURL: baseURL) + xAccounts(baseURL: baseURL) + facebookAccounts(baseURL: baseURL)
            + flickrAccounts(baseURL: baseURL) + youtubeAccounts(baseURL: baseURL)
    }

    public static func routes() -> [ReplayRoute] {
        mastodonRoutes() + feedRoutes() + mediaRoutes() + blueskyRoutes() + xRoutes() + facebookRoutes() + flickrRoutes() + youtubeRoutes()
    }

    /// Starts a replay server with every sample route.
    public static func startServer() throws -> ReplayServer {
        try ReplayServer(routes: routes())
    }
}
