import Foundation

/// The YouTube Data API v3 shapes the connector reads (feed-apis.md §6), with only the
/// fields an archive needs; decoding skips the rest. Dates stay strings for `Timestamp`.

/// `channels.list?part=contentDetails,snippet`.
public struct YouTubeChannelList: Decodable, Sendable {
    public struct Channel: Decodable, Sendable {
        public struct ContentDetails: Decodable, Sendable {
            public struct Playlists: Decodable, Sendable { public var uploads: String? }
            public var relatedPlaylists: Playlists?
        }

        public struct Snippet: Decodable, Sendable { public var title: String? }

        public var id: String
        public var snippet: Snippet?
        public var contentDetails: ContentDetails?
    }

    /// Absent (not empty) when no channel has the id.
    public var items: [Channel]?
}

public struct YouTubeThumbnail: Decodable, Sendable, Hashable {
    public var url: String?
}

/// One entry of the uploads playlist (`playlistItems.list?part=snippet,contentDetails`).
public struct YouTubePlaylistItem: Decodable, Sendable, Hashable {
    public struct Snippet: Decodable, Sendable, Hashable {
        public struct ResourceID: Decodable, Sendable, Hashable { public var videoId: String? }
        public var publishedAt: String?
        public var channelId: String?
        public var title: String?
        public var description: String?
        /// Keyed `default`, `medium`, `high`, `standard`, `maxres`.
        public var thumbnails: [String: YouTubeThumbnail]?
        public var channelTitle: String?
        public var videoOwnerChannelId: String?
        public var videoOwnerChannelTitle: String?
        public var resourceId: ResourceID?
    }

    public struct ContentDetails: Decodable, Sendable, Hashable {
        public var videoId: String?
        public var videoPublishedAt: String?
    }

    public var id: String
    public var snippet: Snippet
    public var contentDetails: ContentDetails?

    /// The video's id (not the playlist entry's).
    public var videoID: String? { contentDetails?.videoId ?? snippet.resourceId?.videoId }
}

/// A list page: `items` and the token of the next page.
public struct YouTubeList<Element: Decodable & Sendable>: Decodable, Sendable {
    public var nextPageToken: String?
    public var items: [Element]
}

/// A comment (top-level or reply).
public struct YouTubeComment: Decodable, Sendable, Hashable {
    public struct Snippet: Decodable, Sendable, Hashable {
        public struct ChannelID: Decodable, Sendable, Hashable { public var value: String? }
        public var videoId: String?
        public var textDisplay: String?
        public var textOriginal: String?
        public var authorDisplayName: String?
        /// `http://www.youtube.com/@handle` (or `…/channel/UC…`).
        public var authorChannelUrl: String?
        public var authorChannelId: ChannelID?
        /// Set on a reply: the top-level comment it answers.
        public var parentId: String?
        public var publishedAt: String?
        public var updatedAt: String?
        /// The image or animated GIF posted with the comment, if any.
        public var imageUrl: String?
    }

    public var id: String
    public var snippet: Snippet
}

/// `commentThreads.list?part=snippet,replies`: a top-level comment and some replies.
public struct YouTubeCommentThread: Decodable, Sendable, Hashable {
    public struct Snippet: Decodable, Sendable, Hashable {
        public var videoId: String?
        public var topLevelComment: YouTubeComment
        public var totalReplyCount: Int?
    }

    public struct Replies: Decodable, Sendable, Hashable { public var comments: [YouTubeComment] }

    public var id: String
    public var snippet: Snippet
    /// Only a subset when there are many: `comments.list?parentId=` gives them all.
    public var replies: Replies?
}

/// `{"id": "…"}` of `videos.list?part=id` and `comments.list?part=id`.
public struct YouTubeResourceID: Decodable, Sendable, Hashable {
    public var id: String
}

/// The Google API error body: `{"error": {"code", "message", "errors": [{"reason", …}]}}`.
public struct YouTubeError: Decodable, Sendable, Hashable {
    public struct Detail: Decodable, Sendable, Hashable {
        public var reason: String?
        public var domain: String?
    }

    public var code: Int?
    public var message: String?
    public var errors: [Detail]?

    struct Envelope: Decodable { var error: YouTubeError }

    public static func parse(_ body: Data) -> YouTubeError? {
        guard body.first == UInt8(ascii: "{") else { return nil }
        return try? JSONDecoder().decode(Envelope.self, from: body).error
    }

    public var reasons: [String] { errors?.compactMap(\.reason) ?? [] }

    /// The daily quota or a per-minute limit is used up: nothing more today.
    public var isQuota: Bool {
        reasons.contains { ["quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded"].contains($0) }
    }

    /// `reason` and the message, shortened: `quotaExceeded: “…”`.
    public var summary: String {
        let reason = reasons.first ?? "error \(code.map(String.init) ?? "?")"
        guard let message, !message.isEmpty else { return reason }
        return "\(reason): “\(message.prefix(200))”"
    }
}
