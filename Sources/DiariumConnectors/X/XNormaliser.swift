import DiariumCore
import Foundation

/// Turns X API v2 posts and direct messages into platform-neutral items. Pure
/// functions over decoded values, so unit tests run them without a network.
public enum XNormaliser {
    /// Direct-message item ids carry this prefix: DM event ids are snowflakes like
    /// post ids, and a DM id sent to `/2/tweets?ids=` would come back "not found" and
    /// be taken for a deleted post.
    public static let messagePrefix = "dm-"

    // MARK: Decoding

    public static func decodeTweets(_ data: Data) throws -> XTweetPage {
        try JSONDecoder().decode(XTweetPage.self, from: data)
    }

    public static func decodeUser(_ data: Data) throws -> XUserLookup {
        try JSONDecoder().decode(XUserLookup.self, from: data)
    }

    public static func decodeMessages(_ data: Data) throws -> XDMPage {
        try JSONDecoder().decode(XDMPage.self, from: data)
    }

    public static func errorBody(_ data: Data) -> XErrorBody? {
        guard data.first == UInt8(ascii: "{") else { return nil }
        return try? JSONDecoder().decode(XErrorBody.self, from: data)
    }

    // MARK: Normalising

    /// Every post of a page as an item, in page order. `includes` supplies authors and media.
    public static func items(from page: XTweetPage, accountKey: String, agencyUserID: String) -> [Item] {
        let users = Dictionary((page.includes?.users ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let media = Dictionary((page.includes?.media ?? []).map { ($0.media_key, $0) }, uniquingKeysWith: { a, _ in a })
        return (page.data ?? []).map { item(from: $0, users: users, media: media, accountKey: accountKey, agencyUserID: agencyUserID) }
    }

    /// True when the post is the newest version of its edit chain. An older version
    /// (as a lookup by its id returns it) must not be stored as if it were new.
    public static func isCurrentVersion(_ tweet: XTweet) -> Bool {
        guard let last = tweet.edit_history_tweet_ids?.last else { return true }
        return last == tweet.id
    }

    /// One post as an item.
    /// - id: the FIRST id of `edit_history_tweet_ids` (the original): X gives every
    ///   edit a new id, and each edit is a new version of the same item, with
    ///   `editedAt` = the edit's `created_at` and `createdAt` = the original's time
    ///   (read from its snowflake id).
    /// - kind: `share` for a retweet, `reply` for a reply, else `post`.
    /// - threadRoot: `conversation_id`; inReplyTo: the `replied_to` reference.
    public static func item(from tweet: XTweet, users: [String: XUser], media: [String: XMedia], accountKey: String, agencyUserID: String) -> Item {
        let history = tweet.edit_history_tweet_ids ?? []
        let original = history.first ?? tweet.id
        let created = tweet.created_at.flatMap(Timestamp.parse)
        let edited = history.count > 1
        let references = tweet.referenced_tweets ?? []
        let parent = references.first { $0.type == "replied_to" }?.id
        let kind: ItemKind
        if references.contains(where: { $0.type == "retweeted" }) {
            kind = .share
        } else if parent != nil || tweet.in_reply_to_user_id != nil {
            kind = .reply
        } else {
            kind = .post
        }
        let authorID = tweet.author_id ?? ""
        let user = users[authorID]
        let who = user?.username.flatMap { $0.isEmpty ? nil : $0 } ?? "i/web"
        return Item(
            platform: .x,
            account: accountKey,
            id: original,
            url: "https://x.com/\(who)/status/\(tweet.id)",
            kind: kind,
            author: Author(id: authorID, handle: user?.username, name: user?.name, agency: !authorID.isEmpty && authorID == agencyUserID),
            inReplyTo: parent,
            threadRoot: kind == .share ? original : (tweet.conversation_id ?? original),
            createdAt: edited ? (XID.date(of: original).map(Date.init(timeIntervalSince1970:)) ?? created) : created,
            editedAt: edited ? created : nil,
            visibility: .public,
            language: tweet.lang.flatMap { $0 == "und" || $0.isEmpty ? nil : $0 },
            text: text(tweet.text ?? "", urls: tweet.entities?.urls ?? []),
            attachments: attachments(tweet.attachments?.media_keys ?? [], media: media)
        )
    }

    /// One direct message as an item: kind `message`, visibility `direct`, the
    /// conversation as its thread.
    public static func item(from event: XDMEvent, users: [String: XUser], accountKey: String, agencyUserID: String) -> Item {
        let sender = event.sender_id ?? ""
        let user = users[sender]
        return Item(
            platform: .x,
            account: accountKey,
            id: messagePrefix + event.id,
            kind: .message,
            author: Author(id: sender, handle: user?.username, name: user?.name, agency: !sender.isEmpty && sender == agencyUserID),
            threadRoot: event.dm_conversation_id.map { messagePrefix + $0 },
            createdAt: event.created_at.flatMap(Timestamp.parse),
            visibility: .direct,
            text: text(event.text ?? "", urls: [])
        )
    }

    /// The post's text with every t.co link replaced by the address it stands for,
    /// the links to the post's own media dropped (they are attachments), and the
    /// `&amp;`-style escapes X puts in `text` decoded.
    public static func text(_ raw: String, urls: [XURLEntity]) -> String {
        var text = raw
        for entity in urls {
            guard let short = entity.url, !short.isEmpty, text.contains(short) else { continue }
            let isMedia = entity.media_key != nil || (entity.display_url ?? "").hasPrefix("pic.")
            let replacement = isMedia ? "" : (entity.expanded_url.flatMap { $0.isEmpty ? nil : $0 } ?? short)
            text = text.replacingOccurrences(of: short, with: replacement)
        }
        return HTMLText.decodeEntities(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func attachments(_ keys: [String], media: [String: XMedia]) -> [Attachment] {
        keys.compactMap { key in
            guard let m = media[key], let url = m.url ?? m.preview_image_url, !url.isEmpty else { return nil }
            let alt = m.alt_text.flatMap { $0.isEmpty ? nil : $0 }
            return Attachment(url: url, mediaType: m.type, description: alt)
        }
    }
}
