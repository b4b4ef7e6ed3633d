/// The X API v2 shapes the connector reads (feed-apis.md §5), with only the fields an
/// archive needs, so decoding skips the rest (metrics, edit controls) and X may add
/// fields freely. Ids are strings everywhere (§8.4). A wrong type in a field that is
/// read fails the page, which is then quarantined.

/// A user object (`/2/users/by/username/:username`, `includes.users`).
public struct XUser: Decodable, Sendable, Hashable {
    public var id: String
    public var username: String?
    public var name: String?
}

/// One entry of a top-level `errors[]`: a resource that could not be returned, next
/// to (or instead of) `data`.
public struct XProblemEntry: Decodable, Sendable, Hashable {
    public var value: String?
    public var detail: String?
    public var title: String?
    public var resource_type: String?
    public var resource_id: String?
    /// The request parameter the resource came from: `ids` for a looked-up post,
    /// `referenced_tweets.id` for a quoted or replied-to post the expansion could not give.
    public var parameter: String?
    public var type: String?

    static let notFound = "https://api.twitter.com/2/problems/resource-not-found"
    public var isNotFound: Bool { type == Self.notFound }
}

/// `GET /2/users/by/username/:username`.
public struct XUserLookup: Decodable, Sendable {
    public var data: XUser?
    public var errors: [XProblemEntry]?
}

/// A `referenced_tweets` entry: `retweeted`, `quoted` or `replied_to`.
public struct XReference: Decodable, Sendable, Hashable {
    public var type: String
    public var id: String
}

/// `entities.urls[]`: a t.co link and what it stands for.
public struct XURLEntity: Decodable, Sendable, Hashable {
    public var url: String?
    public var expanded_url: String?
    public var display_url: String?
    /// Set when the link is the tweet's own photo or video.
    public var media_key: String?
}

public struct XEntities: Decodable, Sendable, Hashable {
    public var urls: [XURLEntity]?
}

public struct XAttachments: Decodable, Sendable, Hashable {
    public var media_keys: [String]?
    /// The post's poll (`expansions=attachments.poll_ids` puts it in `includes.polls`).
    public var poll_ids: [String]?
}

/// `note_tweet`: the whole text of a long post (over 280 characters), whose `text`
/// is cut short; its entities index `note_tweet.text`, not `text`.
public struct XNoteTweet: Decodable, Sendable, Hashable {
    public var text: String?
    public var entities: XEntities?
}

/// A post (tweet).
public struct XTweet: Decodable, Sendable, Hashable {
    public var id: String
    public var text: String?
    public var created_at: String?
    public var author_id: String?
    public var conversation_id: String?
    public var in_reply_to_user_id: String?
    public var referenced_tweets: [XReference]?
    /// Every id of the post, oldest first; the first is the original, the last the
    /// current version (feed-apis.md §5.4).
    public var edit_history_tweet_ids: [String]?
    public var attachments: XAttachments?
    public var entities: XEntities?
    public var lang: String?
    /// Set on a long post (`tweet.fields=note_tweet`).
    public var note_tweet: XNoteTweet?
}

/// `includes.media[]`.
public struct XMedia: Decodable, Sendable, Hashable {
    public var media_key: String
    public var type: String?
    public var url: String?
    public var preview_image_url: String?
    public var alt_text: String?
}

/// `includes.polls[]`: a poll's choices (their vote counts are left out of the item:
/// they change with every vote, and would make every re-check a new version).
public struct XPoll: Decodable, Sendable, Hashable {
    public struct Option: Decodable, Sendable, Hashable {
        public var position: Int?
        public var label: String?
    }

    public var id: String
    public var options: [Option]?
}

public struct XIncludes: Decodable, Sendable {
    public var users: [XUser]?
    public var media: [XMedia]?
    /// Quoted, retweeted and replied-to posts (`expansions=referenced_tweets.id`).
    public var tweets: [XTweet]?
    public var polls: [XPoll]?
}

public struct XMeta: Decodable, Sendable {
    public var result_count: Int?
    public var newest_id: String?
    public var next_token: String?
}

/// A page of posts: the user timeline, recent search, or `/2/tweets?ids=`.
public struct XTweetPage: Decodable, Sendable {
    public var data: [XTweet]?
    public var includes: XIncludes?
    public var errors: [XProblemEntry]?
    public var meta: XMeta?
}

/// One direct-message event (`/2/dm_events`).
public struct XDMEvent: Decodable, Sendable, Hashable {
    public var id: String
    public var event_type: String?
    public var text: String?
    public var sender_id: String?
    public var dm_conversation_id: String?
    public var created_at: String?
    public var attachments: XAttachments?
}

public struct XDMPage: Decodable, Sendable {
    public var data: [XDMEvent]?
    public var includes: XIncludes?
    public var meta: XMeta?
}

/// The problem-style error body of a failed request
/// (`{"title":"Too Many Requests","detail":"…","status":429}`), or the v1.1 form.
public struct XErrorBody: Decodable, Sendable {
    public struct Legacy: Decodable, Sendable { public var message: String? }
    public var title: String?
    public var detail: String?
    public var errors: [Legacy]?
}

/// X ids are snowflakes in decimal strings: longer is newer, then lexical order.
public enum XID: NumericIDOrder {
    /// The moment a snowflake was minted: `(id >> 22) + 1288834974657` ms since the
    /// epoch. Gives an edited post's original creation time without another request.
    public static func date(of id: String) -> Double? {
        guard let value = UInt64(id) else { return nil }
        return Double((value >> 22) + 1_288_834_974_657) / 1000
    }
}
