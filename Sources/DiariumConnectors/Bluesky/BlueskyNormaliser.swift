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
    /// reposting account; its text names the reposted post's author, text and address
    /// (`Sharing @handle (Name): text — https://bsky.app/…`, see `EmbeddedPost`), and its
    /// attachments are the reposted post's.
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
        let original = embeddedPost(entry.post)
        let shared = original.line(.sharing)
        share.shared = original.sharedPost(agencyID: agencyDID)
        share.text = quoteLine(entry.post).map { EmbeddedPost.append($0, to: shared) } ?? shared
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
        var item = Item(
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
            language: language(post.record.langs),
            text: text(post),
            attachments: attachments(post.embed)
        )
        item.quoted = quotedPost(post)?.sharedPost(agencyID: agencyDID)
        return item
    }

    /// `https://bsky.app/profile/<handle or did>/post/<rkey>`.
    public static func webURL(_ post: BlueskyPostView) -> String? {
        webURL(uri: post.uri, author: post.author)
    }

    /// The bsky.app page of a record: a post (`…/post/<rkey>`), a feed (`…/feed/<rkey>`),
    /// a list (`…/lists/<rkey>`) or a starter pack (`/starter-pack/<who>/<rkey>`); nil for
    /// any other collection. The author's handle names the profile when it is valid,
    /// else the DID in the uri.
    public static func webURL(uri: String, author: BlueskyProfile?) -> String? {
        // at://<did>/<collection>/<rkey>
        let parts = uri.hasPrefix("at://") ? uri.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false) : []
        guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
        let handle = author?.handle.flatMap { $0.isEmpty || $0 == "handle.invalid" ? nil : $0 }
        let who = handle ?? String(parts[0])
        let rkey = parts[2]
        switch parts[1] {
        case "app.bsky.feed.post": return "https://bsky.app/profile/\(who)/post/\(rkey)"
        case "app.bsky.feed.generator": return "https://bsky.app/profile/\(who)/feed/\(rkey)"
        case "app.bsky.graph.list": return "https://bsky.app/profile/\(who)/lists/\(rkey)"
        case "app.bsky.graph.starterpack": return "https://bsky.app/starter-pack/\(who)/\(rkey)"
        default: return nil
        }
    }

    /// The post's first declared language (`record.langs`; the app lets a writer pick
    /// several, the first is the main one).
    static func language(_ langs: [String]?) -> String? {
        langs?.lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    static func author(_ profile: BlueskyProfile, agencyDID: String) -> Author {
        let name = profile.displayName.flatMap { $0.isEmpty ? nil : $0 }
        return Author(id: profile.did, handle: profile.handle, name: name, agency: profile.did == agencyDID)
    }

    /// The post's plain text, every link facet showing its full address (see
    /// `expandLinks`), then the quoted post, if any, as a `Quoting …` line (`EmbeddedPost`).
    public static func text(_ post: BlueskyPostView) -> String {
        let own = expandLinks(post.record.text ?? "", facets: post.record.facets ?? [])
        guard let quote = quoteLine(post) else { return own }
        return EmbeddedPost.append(quote, to: own)
    }

    /// `Quoting @handle (Name): text — https://bsky.app/…` for a post that quotes one
    /// (`record#view` or `recordWithMedia#view`); nil when it quotes nothing.
    static func quoteLine(_ post: BlueskyPostView) -> String? {
        quotedPost(post)?.line(.quoting)
    }

    /// The post a post quotes (`record#view` or `recordWithMedia#view`), if any.
    static func quotedPost(_ post: BlueskyPostView) -> EmbeddedPost? {
        guard let quoted = post.embed?.quoted, let uri = quoted.uri, !uri.isEmpty else { return nil }
        return embeddedPost(quoted, uri: uri)
    }

    /// The reposted post, as a share's text names it.
    static func embeddedPost(_ post: BlueskyPostView) -> EmbeddedPost {
        EmbeddedPost(authorID: post.author.did, handle: post.author.handle, name: post.author.displayName,
                     id: post.uri, url: webURL(post) ?? post.uri,
                     text: expandLinks(post.record.text ?? "", facets: post.record.facets ?? []))
    }

    /// A quoted record: a post with its author and text; a feed, list or starter pack by
    /// its creator and name; a deleted, blocked or detached post by its address only.
    static func embeddedPost(_ quoted: BlueskyEmbeddedRecord, uri: String) -> EmbeddedPost {
        let url = webURL(uri: uri, author: quoted.author ?? quoted.creator) ?? uri
        if quoted.isUnavailable {
            return EmbeddedPost(authorID: quoted.author?.did, id: uri, url: url, text: "", available: false)
        }
        if quoted.isPost {
            let record = quoted.value
            return EmbeddedPost(authorID: quoted.author?.did, handle: quoted.author?.handle, name: quoted.author?.displayName,
                                id: uri, url: url, text: expandLinks(record?.text ?? "", facets: record?.facets ?? []))
        }
        let kind: String
        switch quoted.type {
        case "app.bsky.feed.defs#generatorView": kind = "feed"
        case "app.bsky.graph.defs#listView": kind = "list"
        case "app.bsky.graph.defs#starterPackViewBasic": kind = "starter pack"
        case "app.bsky.labeler.defs#labelerView": kind = "labeler"
        default: kind = "record"
        }
        let name = quoted.name.flatMap { $0.isEmpty ? nil : $0 }
        return EmbeddedPost(authorID: quoted.creator?.did, handle: quoted.creator?.handle, name: quoted.creator?.displayName,
                            id: uri, url: url, text: name.map { "\(kind) “\($0)”" } ?? kind)
    }

    /// Every link facet (`app.bsky.richtext.facet#link`) made to show its full URI, as
    /// X's t.co links are replaced by their `expanded_url`: a label that only shows the
    /// address in short (the app writes `example.org/abc...` or `example.org/abc`) is
    /// replaced by the URI; a label of other words keeps them and is followed by
    /// ` (URI)`, as `HTMLText` does for HTML links; a label that is the URI stays.
    /// Facets are UTF-8 byte ranges; one outside the text, not on a character
    /// boundary, or overlapping an earlier one is ignored, never fatal.
    public static func expandLinks(_ text: String, facets: [BlueskyFacet]) -> String {
        let bytes = Array(text.utf8)
        var edits: [(start: Int, end: Int, text: String)] = []
        for facet in facets.sorted(by: { $0.index.byteStart < $1.index.byteStart }) {
            guard let uri = facet.features?.first(where: { $0.type == "app.bsky.richtext.facet#link" })?.uri, !uri.isEmpty else { continue }
            let start = facet.index.byteStart, end = facet.index.byteEnd
            guard start >= 0, start < end, end <= bytes.count, isBoundary(bytes, start), isBoundary(bytes, end) else { continue }
            if let last = edits.last, start < last.end { continue }
            let label = String(decoding: bytes[start..<end], as: UTF8.self)
            switch linkLabel(label, uri) {
            case .uri: continue
            case .shortened: edits.append((start, end, uri))
            case .words: edits.append((end, end, " (\(uri))"))
            }
        }
        guard !edits.isEmpty else { return text }
        var out = bytes
        for edit in edits.reversed() {
            out.replaceSubrange(edit.start..<edit.end, with: Array(edit.text.utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }

    enum LinkLabel { case uri, shortened, words }

    /// What a link facet's label shows of its URI: the URI itself; the address in short
    /// (without the scheme or `www.`, or cut and ending in `...` or `…`); or other words.
    static func linkLabel(_ label: String, _ uri: String) -> LinkLabel {
        if label == uri { return .uri }
        guard label == label.trimmingCharacters(in: .whitespacesAndNewlines), !label.isEmpty else { return .words }
        var bare = Substring(uri)
        for scheme in ["https://", "http://"] where bare.hasPrefix(scheme) { bare = bare.dropFirst(scheme.count) }
        let noWWW = bare.hasPrefix("www.") ? bare.dropFirst(4) : bare
        let forms = [Substring(uri), bare, noWWW]
        if forms.contains(where: { $0 == label || $0 == label + "/" }) { return .shortened }
        for ellipsis in ["...", "…"] where label.hasSuffix(ellipsis) {
            let stem = label.dropLast(ellipsis.count)
            if !stem.isEmpty, forms.contains(where: { $0.hasPrefix(stem) }) { return .shortened }
        }
        return .words
    }

    private static func isBoundary(_ bytes: [UInt8], _ index: Int) -> Bool {
        index == bytes.count || (bytes[index] & 0xC0) != 0x80
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
