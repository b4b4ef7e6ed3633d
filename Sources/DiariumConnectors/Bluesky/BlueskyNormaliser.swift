import DiariumCore
import Foundation

/// Turns Bluesky post views into platform-neutral items. Pure functions over decoded
/// values, so unit tests run them without a network and the connector only decides
/// *what* to fetch.
public enum BlueskyNormaliser {
    // MARK: Decoding

    public static func decodeFeed(_ data: Data) throws -> BlueskyFeedPage {
        try JSONDecoder().decode(BlueskyFeedPage.self, from: data)
    }

    public static func decodeThread(_ data: Data) throws -> BlueskyThread {
        try JSONDecoder().decode(BlueskyThread.self, from: data)
    }

    public static func decodePosts(_ data: Data) throws -> BlueskyPosts {
        try JSONDecoder().decode(BlueskyPosts.self, from: data)
    }

    public static func decodeProfile(_ data: Data) throws -> BlueskyProfile {
        try JSONDecoder().decode(BlueskyProfile.self, from: data)
    }

    public static func decodeResolvedHandle(_ data: Data) throws -> BlueskyResolvedHandle {
        try JSONDecoder().decode(BlueskyResolvedHandle.self, from: data)
    }

    /// The XRPC error name of an error body (`NotFound`, `AccountTakedown`), if any.
    public static func errorName(_ data: Data) -> BlueskyErrorBody? {
        guard data.first == UInt8(ascii: "{") else { return nil }
        return try? JSONDecoder().decode(BlueskyErrorBody.self, from: data)
    }

    // MARK: Normalising

    /// One feed entry as an item, or nil for the pinned-post repeat (`#reasonPin`),
    /// which is the same post again. A repost becomes a `share` whose author is the
    /// reposting account and whose text is the reposted post's, as Mastodon boosts are.
    public static func item(from entry: BlueskyFeedItem, accountKey: String, agencyDID: String) -> Item? {
        guard let reason = entry.reason else {
            return item(from: entry.post, accountKey: accountKey, agencyDID: agencyDID)
        }
        if reason.isPin { return nil }
        guard reason.isRepost else {
            return item(from: entry.post, accountKey: accountKey, agencyDID: agencyDID)
        }
        var share = item(from: entry.post, accountKey: accountKey, agencyDID: agencyDID)
        let by = reason.by ?? BlueskyProfile(did: agencyDID)
        share.id = repostID(entry)
        share.kind = .share
        share.author = author(by, agencyDID: agencyDID)
        share.inReplyTo = nil
        share.threadRoot = share.id
        share.createdAt = reason.indexedAt.flatMap(Timestamp.parse) ?? share.createdAt
        share.editedAt = nil
        return share
    }

    /// The id of a repost: the repost record's uri when the AppView sends it, else a
    /// stable name built from the reposted uri and the reposting account.
    public static func repostID(_ entry: BlueskyFeedItem) -> String {
        if let uri = entry.reason?.uri, !uri.isEmpty { return uri }
        return "\(entry.post.uri)#repost:\(entry.reason?.by?.did ?? "")"
    }

    /// One post as an item.
    /// - id: the at-uri; threadRoot: `record.reply.root`, else the post itself;
    ///   inReplyTo: `record.reply.parent`.
    /// - editedAt: Bluesky has no edit time. A replaced record is re-indexed (new
    ///   `cid`, new `indexedAt`), so an `indexedAt` more than a minute after the
    ///   declared `createdAt` is taken as the time of the edit.
    public static func item(from post: BlueskyPostView, accountKey: String, agencyDID: String) -> Item {
        let created = post.record.createdAt.flatMap(Timestamp.parse)
        let indexed = post.indexedAt.flatMap(Timestamp.parse)
        var edited: Date?
        if let created, let indexed, indexed.timeIntervalSince(created) > 60 { edited = indexed }
        return Item(
            platform: .bluesky,
            account: accountKey,
            id: post.uri,
            url: webURL(post),
            kind: post.record.reply == nil ? .post : .reply,
            author: author(post.author, agencyDID: agencyDID),
            inReplyTo: post.record.reply?.parent.uri,
            threadRoot: post.record.reply?.root.uri ?? post.uri,
            createdAt: created ?? indexed,
            editedAt: edited,
            visibility: .public,
            language: post.record.langs?.first,
            text: text(post),
            attachments: attachments(post.embed)
        )
    }

    /// `https://bsky.app/profile/<handle or did>/post/<rkey>`.
    public static func webURL(_ post: BlueskyPostView) -> String? {
        guard let rkey = post.uri.split(separator: "/").last, post.uri.contains("/app.bsky.feed.post/") else { return nil }
        let who = post.author.handle.flatMap { $0.isEmpty || $0 == "handle.invalid" ? nil : $0 } ?? post.author.did
        return "https://bsky.app/profile/\(who)/post/\(rkey)"
    }

    static func author(_ profile: BlueskyProfile, agencyDID: String) -> Author {
        let name = profile.displayName.flatMap { $0.isEmpty ? nil : $0 }
        return Author(id: profile.did, handle: profile.handle, name: name, agency: profile.did == agencyDID)
    }

    /// The post's plain text with shortened link labels followed by their targets, and
    /// the quoted post's uri (a quote is part of what the public saw).
    public static func text(_ post: BlueskyPostView) -> String {
        var text = expandLinks(post.record.text ?? "", facets: post.record.facets ?? [])
        if let quoted = post.embed?.quotedURI, !quoted.isEmpty {
            text += text.isEmpty ? "Quoted post: \(quoted)" : "\n\nQuoted post: \(quoted)"
        }
        return text
    }

    /// Appends ` (target)` after every link facet whose label does not show its whole
    /// target (the app shortens long URLs to `example.org/abc…`), as `HTMLText` does
    /// for HTML links. Facets are UTF-8 byte ranges; one outside the text or not on a
    /// character boundary is ignored, never fatal.
    public static func expandLinks(_ text: String, facets: [BlueskyFacet]) -> String {
        let bytes = Array(text.utf8)
        var inserts: [(at: Int, text: String)] = []
        for facet in facets {
            guard let uri = facet.features?.first(where: { $0.type == "app.bsky.richtext.facet#link" })?.uri, !uri.isEmpty else { continue }
            let start = facet.index.byteStart, end = facet.index.byteEnd
            guard start >= 0, start < end, end <= bytes.count, isBoundary(bytes, start), isBoundary(bytes, end) else { continue }
            let label = String(decoding: bytes[start..<end], as: UTF8.self)
            if !labelShowsTarget(label, uri) { inserts.append((end, " (\(uri))")) }
        }
        guard !inserts.isEmpty else { return text }
        var out = bytes
        for insert in inserts.sorted(by: { $0.at > $1.at }) {
            out.insert(contentsOf: Array(insert.text.utf8), at: insert.at)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isBoundary(_ bytes: [UInt8], _ index: Int) -> Bool {
        index == bytes.count || (bytes[index] & 0xC0) != 0x80
    }

    /// True when the label is the target itself, with or without the scheme or `www.`.
    static func labelShowsTarget(_ label: String, _ uri: String) -> Bool {
        let shown = label.trimmingCharacters(in: .whitespaces)
        var bare = Substring(uri)
        for scheme in ["https://", "http://"] where bare.hasPrefix(scheme) { bare = bare.dropFirst(scheme.count) }
        let noWWW = bare.hasPrefix("www.") ? bare.dropFirst(4) : bare
        for candidate in [Substring(uri), bare, noWWW] {
            if shown == candidate || shown + "/" == candidate { return true }
        }
        return false
    }

    /// Images (with alt text), a video's playlist, and the link card, in that order.
    public static func attachments(_ embed: BlueskyEmbed?) -> [Attachment] {
        guard let embed else { return [] }
        var out: [Attachment] = []
        for image in embed.images {
            guard let url = image.fullsize ?? image.thumb, !url.isEmpty else { continue }
            out.append(Attachment(url: url, mediaType: "image", description: nonEmpty(image.alt)))
        }
        if let playlist = embed.playlist, !playlist.isEmpty {
            out.append(Attachment(url: playlist, mediaType: "video", description: nonEmpty(embed.alt)))
        }
        if let card = embed.external, !card.uri.isEmpty {
            let parts = [card.title, card.description].compactMap(nonEmpty)
            out.append(Attachment(url: card.uri, mediaType: "link", description: parts.isEmpty ? nil : parts.joined(separator: " — ")))
        }
        return out
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// Every post of a thread, depth first in the order the AppView gave them; deleted
    /// and blocked placeholders are skipped, with their subtrees (they have none).
    public static func posts(in thread: BlueskyThreadNode) -> [BlueskyPostView] {
        var out: [BlueskyPostView] = []
        var stack: [BlueskyThreadNode] = [thread]
        while let node = stack.popLast() {
            if let post = node.post { out.append(post) }
            for reply in (node.replies ?? []).reversed() { stack.append(reply) }
        }
        return out
    }
}
