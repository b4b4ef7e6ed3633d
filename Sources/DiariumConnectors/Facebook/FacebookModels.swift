import Foundation

/// The Graph API shapes the Facebook connector reads (feed-apis.md §4), with only the
/// fields an archive needs: decoding skips the rest, so Graph may add fields freely.
/// Dates stay strings and are parsed by `Timestamp` (Graph writes `+0000` without a
/// colon), so one odd date costs a field, not the page. A wrong type in a field that
/// is read still fails the page, which is then quarantined.

/// Any edge: `{"data": [...], "paging": {...}}`.
public struct FacebookPage<Element: Decodable & Sendable>: Decodable, Sendable {
    public var data: [Element]
    public var paging: FacebookPaging?
}

/// Cursor paging. `next` is only a signal that more exists: the connector builds the
/// next URL itself from `cursors.after`, so a token Graph echoes into `next` is never
/// stored, and no host a response names is ever contacted.
public struct FacebookPaging: Decodable, Sendable {
    public struct Cursors: Decodable, Sendable {
        public var before: String?
        public var after: String?
    }

    public var cursors: Cursors?
    public var next: String?
}

/// `from{id,name}` (a Page, a person, or nothing when the token may not moderate).
public struct FacebookProfile: Decodable, Sendable, Hashable {
    public var id: String
    public var name: String?
}

/// A StoryAttachment: what a post or comment shows besides its message (a photo, a
/// video, a link card, an album, the post a share shares), as
/// `attachments{media_type,type,url,unshimmed_url,title,description,media{image{src},source},target{id,url},subattachments{…}}`
/// gives it.
public struct FacebookAttachment: Decodable, Sendable, Hashable {
    public struct Media: Decodable, Sendable, Hashable {
        public struct Image: Decodable, Sendable, Hashable { public var src: String? }
        public var image: Image?
        /// A video's file.
        public var source: String?
    }

    /// The object the attachment stands for: the shared post, the photo, the event.
    public struct Target: Decodable, Sendable, Hashable {
        public var id: String?
        public var url: String?
    }

    /// `photo`, `video`, `link`, `album` …
    public var media_type: String?
    /// `photo`, `video_inline`, `share` (a link card), `album`, `native_templates` …
    public var type: String?
    /// Facebook's address for the attachment; for a link, through its `l.facebook.com` shim.
    public var url: String?
    /// A link's own address, without the shim.
    public var unshimmed_url: String?
    /// A link card's headline, an album's name.
    public var title: String?
    /// The text accompanying the attachment: a photo's caption, a link card's summary,
    /// a shared post's message.
    public var description: String?
    public var media: Media?
    public var target: Target?
    /// `{"data": [...]}`: the photos of an album or a multi-photo post.
    public struct Subattachments: Decodable, Sendable, Hashable {
        public var data: [FacebookAttachment]
    }

    public var subattachments: Subattachments?

    /// A link card (`share`), rather than media.
    public var isLink: Bool { type == "share" || media_type == "link" }
}

/// A post on the Page's feed.
public struct FacebookPost: Decodable, Sendable {
    public var id: String
    public var message: String?
    public var created_time: String?
    public var updated_time: String?
    public var from: FacebookProfile?
    public var permalink_url: String?
    public var attachments: FacebookPage<FacebookAttachment>?
    /// `shared_story` marks a share; the rest are the Page's own publications.
    public var status_type: String?
    /// The post a share shares (`{page-id}_{post-id}`).
    public var parent_id: String?
    /// The line Facebook writes above a post (`Etaten shared a link.`, `Etaten added 3 new photos.`).
    public var story: String?
}

/// A comment from `/{post-id}/comments?filter=stream` (replies included, flat).
public struct FacebookComment: Decodable, Sendable, Hashable {
    public struct Parent: Decodable, Sendable, Hashable { public var id: String }

    public var id: String
    public var message: String?
    public var created_time: String?
    public var from: FacebookProfile?
    /// The comment this one answers; absent for a top-level comment.
    public var parent: Parent?
    public var comment_count: Int?
    /// A photo, sticker, GIF or link card posted with (or instead of) the message.
    public var attachment: FacebookAttachment?
    public var permalink_url: String?
}

/// A Page conversation (`/{page-id}/conversations?fields=messages{…}`).
public struct FacebookConversation: Decodable, Sendable {
    public var id: String
    public var messages: FacebookPage<FacebookMessage>?
}

public struct FacebookMessage: Decodable, Sendable, Hashable {
    public var id: String
    public var message: String?
    public var created_time: String?
    public var from: FacebookProfile?
}

/// `{"id": "…"}`: the answer of a direct lookup with `fields=id`.
public struct FacebookObjectID: Decodable, Sendable, Hashable {
    public var id: String
}

/// The Graph error envelope: `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`.
public struct FacebookGraphError: Decodable, Sendable, Hashable {
    public var message: String?
    public var type: String?
    public var code: Int?
    public var error_subcode: Int?

    struct Envelope: Decodable { var error: FacebookGraphError }

    /// The error in `body`, or nil when the body is not a Graph error.
    public static func parse(_ body: Data) -> FacebookGraphError? {
        guard body.first == UInt8(ascii: "{") else { return nil }
        return try? JSONDecoder().decode(Envelope.self, from: body).error
    }

    /// Code 100 with subcode 33: the object does not exist (or may not be read);
    /// on a direct lookup this is the deletion's evidence (feed-apis.md §4.4).
    public var isMissingObject: Bool { code == 100 && error_subcode == 33 }

    /// Throttling: 4 app, 17 user, 32 Page, 613 calls per time, 80001–80014 business
    /// use case (feed-apis.md §4.3).
    public var isThrottling: Bool {
        guard let code else { return false }
        return [4, 17, 32, 613].contains(code) || (80000...80014).contains(code)
    }

    /// The token lacks a permission (10, 200–299) or the feature needs review (230, 3).
    public var isPermission: Bool {
        guard let code else { return false }
        return code == 10 || code == 3 || code == 230 || (200...299).contains(code)
    }

    /// The token is missing, invalid or expired.
    public var isAuthentication: Bool {
        guard let code else { return false }
        return code == 190 || code == 102 || code == 104 || code == 2500
    }

    /// `Graph error 100/33: “…”`, shortened.
    public var summary: String {
        var text = "Graph error \(code.map(String.init) ?? "?")"
        if let error_subcode { text += "/\(error_subcode)" }
        if let message, !message.isEmpty { text += ": “\(message.prefix(200))”" }
        return text
    }
}
