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

    /// Every post of a page as an item, in page order. `includes` supplies authors,
    /// media, polls, and the posts the page's posts quote, retweet or answer.
    public static func items(from page: XTweetPage, accountKey: String, agencyUserID: String) -> [Item] {
        let includes = Includes(page.includes)
        return (page.data ?? []).map { item(from: $0, includes: includes, accountKey: accountKey, agencyUserID: agencyUserID) }
    }

    /// A page's `includes`, by id.
    public struct Includes: Sendable {
        public var users: [String: XUser]
        public var media: [String: XMedia]
        public var tweets: [String: XTweet]
        public var polls: [String: XPoll]

        public init(_ includes: XIncludes?) {
            users = Dictionary((includes?.users ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            media = Dictionary((includes?.media ?? []).map { ($0.media_key, $0) }, uniquingKeysWith: { a, _ in a })
            tweets = Dictionary((includes?.tweets ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            polls = Dictionary((includes?.polls ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
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
    /// - text: the whole text (`note_tweet` for a long post), t.co links expanded, the
    ///   poll's choices, and a quoted post as a `Quoting …` line. A retweet's text is
    ///   the retweeted post as a `Sharing …` line (`EmbeddedPost`), and its attachments
    ///   are the retweeted post's; without the expansion it keeps X's `RT @…` text.
    public static func item(from tweet: XTweet, includes: Includes, accountKey: String, agencyUserID: String) -> Item {
        let history = tweet.edit_history_tweet_ids ?? []
        let original = history.first ?? tweet.id
        let created = tweet.created_at.flatMap(Timestamp.parse)
        let edited = history.count > 1
        let references = tweet.referenced_tweets ?? []
        let parent = references.first { $0.type == "replied_to" }?.id
        let retweeted = references.first { $0.type == "retweeted" }?.id
        let quoted = references.first { $0.type == "quoted" }?.id
        let kind: ItemKind
        if retweeted != nil {
            kind = .share
        } else if parent != nil || tweet.in_reply_to_user_id != nil {
            kind = .reply
        } else {
            kind = .post
        }
        let authorID = tweet.author_id ?? ""
        let user = includes.users[authorID]
        let who = user?.username.flatMap { $0.isEmpty ? nil : $0 } ?? "i/web"

        var text: String
        var shared: SharedPost?
        var quotedPost: EmbeddedPost?
        var mediaKeys = tweet.attachments?.media_keys ?? []
        if let retweeted, let shown = includes.tweets[retweeted] {
            // X cuts a retweet's own text ("RT @name: …") short; the retweeted post has it all.
            let original = embeddedPost(shown, includes: includes)
            text = original.line(.sharing)
            shared = original.sharedPost(agencyID: agencyUserID)
            quotedPost = Self.quoted(of: shown, includes: includes)
            if let line = quoteLine(of: shown, includes: includes) { text = EmbeddedPost.append(line, to: text) }
            if mediaKeys.isEmpty { mediaKeys = shown.attachments?.media_keys ?? [] }
        } else {
            text = fullText(tweet, dropping: quoted)
            if let poll = pollLine(tweet, includes: includes) { text = EmbeddedPost.append(poll, to: text) }
            if let line = quoteLine(of: tweet, includes: includes) { text = EmbeddedPost.append(line, to: text) }
            quotedPost = Self.quoted(of: tweet, includes: includes)
        }
        var item = Item(
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
            language: language(tweet.lang),
            text: text,
            attachments: attachments(mediaKeys, media: includes.media)
        )
        item.shared = shared
        item.quoted = quotedPost?.sharedPost(agencyID: agencyUserID)
        return item
    }

    /// The post's whole text: `note_tweet.text` with its own entities for a long post,
    /// else `text`; t.co links expanded. The link X adds to a quote's text, pointing at
    /// the quoted post (`quotedID`), is dropped: the `Quoting …` line names that post.
    static func fullText(_ tweet: XTweet, dropping quotedID: String? = nil) -> String {
        let long = tweet.note_tweet?.text.flatMap { $0.isEmpty ? nil : $0 }
        let raw = long ?? tweet.text ?? ""
        let urls = (long != nil ? tweet.note_tweet?.entities?.urls : tweet.entities?.urls) ?? []
        return text(raw, urls: urls) { entity in
            guard let quotedID, let expanded = entity.expanded_url else { return false }
            return isStatusURL(expanded, id: quotedID)
        }
    }

    /// `https://x.com/<name>/status/<id>` or `https://twitter.com/…`, with or without a
    /// query or a trailing path (`/photo/1`).
    static func isStatusURL(_ url: String, id: String) -> Bool {
        guard let range = url.range(of: "/status/\(id)") else { return false }
        let rest = url[range.upperBound...]
        return rest.isEmpty || rest.hasPrefix("?") || rest.hasPrefix("/") || rest.hasPrefix("#")
    }

    /// The post another one quotes or retweets, from `includes`.
    static func embeddedPost(_ tweet: XTweet, includes: Includes) -> EmbeddedPost {
        let user = tweet.author_id.flatMap { includes.users[$0] }
        let name = user?.username.flatMap { $0.isEmpty ? nil : $0 } ?? "i/web"
        let quoted = tweet.referenced_tweets?.first { $0.type == "quoted" }?.id
        var text = fullText(tweet, dropping: quoted)
        if let poll = pollLine(tweet, includes: includes) { text = EmbeddedPost.append(poll, to: text) }
        return EmbeddedPost(authorID: tweet.author_id, handle: user?.username, name: user?.name, id: tweet.id,
                            url: "https://x.com/\(name)/status/\(tweet.id)", text: text)
    }

    /// `Quoting @name (Name): text — https://x.com/…` for a post that quotes another;
    /// `Quoting an unavailable post — …` when `includes` lacks it (deleted, protected,
    /// or the expansion was not asked for); nil when it quotes nothing.
    static func quoteLine(of tweet: XTweet, includes: Includes) -> String? {
        Self.quoted(of: tweet, includes: includes)?.line(.quoting)
    }

    /// The post a post quotes; unavailable when `includes` lacks it.
    static func quoted(of tweet: XTweet, includes: Includes) -> EmbeddedPost? {
        guard let id = tweet.referenced_tweets?.first(where: { $0.type == "quoted" })?.id else { return nil }
        guard let quoted = includes.tweets[id] else {
            return EmbeddedPost(id: id, url: "https://x.com/i/web/status/\(id)", text: "", available: false)
        }
        return embeddedPost(quoted, includes: includes)
    }

    /// `Poll: Ja / Nei / Vet ikke` — the choices, in their order, without vote counts.
    static func pollLine(_ tweet: XTweet, includes: Includes) -> String? {
        let options = (tweet.attachments?.poll_ids ?? []).compactMap { includes.polls[$0] }.flatMap { $0.options ?? [] }
        let labels = options.sorted { ($0.position ?? 0) < ($1.position ?? 0) }.compactMap { $0.label.flatMap { $0.isEmpty ? nil : $0 } }
        return labels.isEmpty ? nil : "Poll: " + labels.joined(separator: " / ")
    }

    /// X's language code, or nil for its codes that name no language: `und`
    /// (undetermined), `zxx` (no text: media, a link) and the `q…` codes (hashtags only,
    /// mentions only, …).
    static func language(_ lang: String?) -> String? {
        guard let lang, !lang.isEmpty, lang != "und", lang != "zxx" else { return nil }
        if lang.count == 3, lang.hasPrefix("q") { return nil }
        return lang
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
    /// the links to the post's own media dropped (they are attachments), as are those
    /// `dropping` names, and the `&amp;`-style escapes X puts in `text` decoded.
    public static func text(_ raw: String, urls: [XURLEntity], dropping: (XURLEntity) -> Bool = { _ in false }) -> String {
        var text = raw
        for entity in urls {
            guard let short = entity.url, !short.isEmpty, text.contains(short) else { continue }
            let isMedia = entity.media_key != nil || (entity.display_url ?? "").hasPrefix("pic.")
            let replacement = isMedia || dropping(entity) ? "" : (entity.expanded_url.flatMap { $0.isEmpty ? nil : $0 } ?? short)
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
