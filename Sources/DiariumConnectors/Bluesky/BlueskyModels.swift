/// The Bluesky AppView shapes the connector reads (feed-apis.md §2.7), with only the
/// fields an archive needs, so decoding skips the rest and the AppView may add fields
/// freely. Dates stay strings and are parsed by `Timestamp`. A wrong type in a field
/// that is read fails the page, which is then quarantined; an embed of a `$type` this
/// code does not know is skipped instead (the lexicons say parsers must ignore them).

/// `com.atproto.identity.resolveHandle`.
public struct BlueskyResolvedHandle: Decodable, Sendable {
    public var did: String
}

/// `profileViewBasic` / `profileViewDetailed`: the author of a post, or `getProfile`.
public struct BlueskyProfile: Decodable, Sendable, Hashable {
    public var did: String
    public var handle: String?
    public var displayName: String?
}

/// The XRPC error envelope, `{"error": "NotFound", "message": "…"}`.
public struct BlueskyErrorBody: Decodable, Sendable {
    public var error: String?
    public var message: String?
}

/// A `{uri, cid}` strong reference (`reply.root`, `reply.parent`).
public struct BlueskyRef: Decodable, Sendable, Hashable {
    public var uri: String
}

/// One rich-text facet: a UTF-8 byte range and what it is (link, mention, tag).
public struct BlueskyFacet: Decodable, Sendable, Hashable {
    public struct Index: Decodable, Sendable, Hashable {
        public var byteStart: Int
        public var byteEnd: Int

        public init(byteStart: Int, byteEnd: Int) {
            self.byteStart = byteStart
            self.byteEnd = byteEnd
        }
    }

    public struct Feature: Decodable, Sendable, Hashable {
        public var type: String?
        /// Set for `app.bsky.richtext.facet#link`.
        public var uri: String?

        enum CodingKeys: String, CodingKey { case type = "$type", uri }

        public init(type: String?, uri: String?) {
            self.type = type
            self.uri = uri
        }
    }

    public var index: Index
    public var features: [Feature]?

    public init(index: Index, features: [Feature]?) {
        self.index = index
        self.features = features
    }
}

/// The raw `app.bsky.feed.post` record inside a post view.
public struct BlueskyPostRecord: Decodable, Sendable {
    public struct Reply: Decodable, Sendable {
        public var root: BlueskyRef
        public var parent: BlueskyRef
    }

    public var text: String?
    public var createdAt: String?
    public var langs: [String]?
    public var facets: [BlueskyFacet]?
    public var reply: Reply?
}

/// An image of `app.bsky.embed.images#view`.
public struct BlueskyImageView: Decodable, Sendable, Hashable {
    public var thumb: String?
    public var fullsize: String?
    public var alt: String?
}

/// The link card of `app.bsky.embed.external#view`.
public struct BlueskyExternalView: Decodable, Sendable, Hashable {
    public var uri: String
    public var title: String?
    public var description: String?
}

/// The record of an `app.bsky.embed.record#view` (a quote): the quoted post
/// (`#viewRecord`: its author and its raw record), a placeholder for one that is gone
/// or hidden (`#viewNotFound`, `#viewBlocked`, `#viewDetached`), or another kind of
/// record shown as a card (a feed, a list, a starter pack, a labeler). Decoded
/// leniently: the lexicon types `value` as unknown, and an odd quoted record must not
/// cost the page that quotes it, so a field that does not decode is left out.
public struct BlueskyEmbeddedRecord: Decodable, Sendable {
    public var type: String?
    public var uri: String?
    /// The quoted post's author (`#viewRecord`), or the blocked author (`#viewBlocked`).
    public var author: BlueskyProfile?
    /// The quoted post's own record (`#viewRecord`'s `value`): text, facets, langs.
    public var value: BlueskyPostRecord?
    /// A feed's `displayName`, a list's `name`, a starter pack's `record.name`.
    public var name: String?
    /// The feed's, list's, starter pack's or labeler's creator.
    public var creator: BlueskyProfile?
    /// The quoted post was deleted, is blocked, or was detached by its author.
    public var isUnavailable: Bool

    enum Keys: String, CodingKey {
        case type = "$type", uri, author, value, displayName, name, creator, record
        case notFound, blocked, detached
    }

    struct Named: Decodable { var name: String? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        uri = try? c.decodeIfPresent(String.self, forKey: .uri)
        author = try? c.decodeIfPresent(BlueskyProfile.self, forKey: .author)
        value = try? c.decodeIfPresent(BlueskyPostRecord.self, forKey: .value)
        creator = try? c.decodeIfPresent(BlueskyProfile.self, forKey: .creator)
        let displayName = try? c.decodeIfPresent(String.self, forKey: .displayName)
        let listName = try? c.decodeIfPresent(String.self, forKey: .name)
        let packName = try? c.decodeIfPresent(Named.self, forKey: .record)?.name
        name = displayName ?? listName ?? packName
        let flag = { (key: Keys) -> Bool in (try? c.decodeIfPresent(Bool.self, forKey: key)) ?? false }
        isUnavailable = flag(.notFound) || flag(.blocked) || flag(.detached)
            || ["app.bsky.embed.record#viewNotFound", "app.bsky.embed.record#viewBlocked", "app.bsky.embed.record#viewDetached"].contains(type ?? "")
    }

    public init(type: String?, uri: String?, author: BlueskyProfile? = nil, value: BlueskyPostRecord? = nil,
                name: String? = nil, creator: BlueskyProfile? = nil, isUnavailable: Bool = false) {
        self.type = type
        self.uri = uri
        self.author = author
        self.value = value
        self.name = name
        self.creator = creator
        self.isUnavailable = isUnavailable
    }

    /// A quoted post (rather than a feed, a list or another record).
    public var isPost: Bool {
        type == "app.bsky.embed.record#viewRecord" || (type == nil && value != nil) || (uri ?? "").contains("/app.bsky.feed.post/")
    }
}

/// The hydrated embed of a post (`postView.embed`). Decoded by hand: the `$type`
/// decides which fields are read, and an unknown `$type` gives an empty embed rather
/// than a failed page.
public struct BlueskyEmbed: Decodable, Sendable {
    public var type: String?
    public var images: [BlueskyImageView] = []
    public var external: BlueskyExternalView?
    /// Video: the HLS playlist and its alt text.
    public var playlist: String?
    public var alt: String?
    /// The quoted record (`record#view`, `recordWithMedia#view`).
    public var quoted: BlueskyEmbeddedRecord?

    /// The quoted record's uri.
    public var quotedURI: String? { quoted?.uri }

    enum Keys: String, CodingKey { case type = "$type", images, external, playlist, alt, record, media }
    struct QuotedWrapper: Decodable { var record: BlueskyEmbeddedRecord? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        switch type {
        case "app.bsky.embed.images#view":
            images = try c.decodeIfPresent([BlueskyImageView].self, forKey: .images) ?? []
        case "app.bsky.embed.external#view":
            external = try c.decodeIfPresent(BlueskyExternalView.self, forKey: .external)
        case "app.bsky.embed.video#view":
            playlist = try c.decodeIfPresent(String.self, forKey: .playlist)
            alt = try c.decodeIfPresent(String.self, forKey: .alt)
        case "app.bsky.embed.record#view":
            quoted = try c.decodeIfPresent(BlueskyEmbeddedRecord.self, forKey: .record)
        case "app.bsky.embed.recordWithMedia#view":
            // `record` is itself a `record#view`, whose `record` is the quoted one.
            quoted = try c.decodeIfPresent(QuotedWrapper.self, forKey: .record)?.record
            if let media = try c.decodeIfPresent(BlueskyEmbed.self, forKey: .media) {
                images = media.images
                external = media.external
                playlist = media.playlist
                alt = media.alt
            }
        default:
            break   // unknown or future embed types: ignored, the post is kept
        }
    }
}

/// `postView`.
public struct BlueskyPostView: Decodable, Sendable {
    public var uri: String
    public var cid: String?
    public var author: BlueskyProfile
    public var record: BlueskyPostRecord
    public var embed: BlueskyEmbed?
    public var indexedAt: String?
}

/// `feedViewPost.reason`: a repost by the account, or the pinned post.
public struct BlueskyReason: Decodable, Sendable {
    public var type: String?
    public var by: BlueskyProfile?
    /// The repost record's own uri (newer AppViews send it).
    public var uri: String?
    public var indexedAt: String?

    enum CodingKeys: String, CodingKey { case type = "$type", by, uri, indexedAt }

    public var isRepost: Bool { type == "app.bsky.feed.defs#reasonRepost" }
    public var isPin: Bool { type == "app.bsky.feed.defs#reasonPin" }
}

/// `feedViewPost`.
public struct BlueskyFeedItem: Decodable, Sendable {
    public var post: BlueskyPostView
    public var reason: BlueskyReason?
}

/// `getAuthorFeed` output.
public struct BlueskyFeedPage: Decodable, Sendable {
    public var cursor: String?
    public var feed: [BlueskyFeedItem]
}

/// `getPosts` output.
public struct BlueskyPosts: Decodable, Sendable {
    public var posts: [BlueskyPostView]
}

/// A node of `getPostThread`: a `threadViewPost` with its replies, or a
/// `notFoundPost` / `blockedPost` (no `post`), which is skipped. A class because it
/// nests; every property is a constant, so it is safely `Sendable`.
public final class BlueskyThreadNode: Decodable, Sendable {
    public let type: String?
    public let post: BlueskyPostView?
    public let replies: [BlueskyThreadNode]?

    enum CodingKeys: String, CodingKey { case type = "$type", post, replies }

    public required init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        // Only a thread view carries a post; any other node (deleted, blocked, a
        // future kind) is a placeholder with nothing to archive.
        if type == nil || type == "app.bsky.feed.defs#threadViewPost" {
            post = try c.decodeIfPresent(BlueskyPostView.self, forKey: .post)
            replies = try c.decodeIfPresent([BlueskyThreadNode].self, forKey: .replies)
        } else {
            post = nil
            replies = nil
        }
    }

    public var isNotFound: Bool { type == "app.bsky.feed.defs#notFoundPost" }
}

/// `getPostThread` output.
public struct BlueskyThread: Decodable, Sendable {
    public var thread: BlueskyThreadNode
}
