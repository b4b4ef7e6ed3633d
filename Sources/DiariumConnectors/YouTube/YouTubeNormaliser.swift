import DiariumCore
import Foundation

/// Turns uploads-playlist entries and comments into platform-neutral items. Pure
/// functions, so unit tests run them without a network.
public enum YouTubeNormaliser {
    /// The watch page of a video: only a string for the item, never fetched.
    public static func watchURL(_ videoID: String) -> String { "https://www.youtube.com/watch?v=\(videoID)" }

    /// A video as a post: text is the title, a blank line and the description; the
    /// attachment is the largest thumbnail. Nil for an entry without a video id.
    public static func item(from entry: YouTubePlaylistItem, accountKey: String, channelID: String) -> Item? {
        guard let videoID = entry.videoID, !videoID.isEmpty else { return nil }
        let s = entry.snippet
        let owner = s.videoOwnerChannelId ?? s.channelId ?? channelID
        let published = entry.contentDetails?.videoPublishedAt ?? s.publishedAt
        var text = s.title ?? ""
        if let description = s.description, !description.isEmpty { text += text.isEmpty ? description : "\n\n\(description)" }
        let thumbnails = s.thumbnails ?? [:]
        let thumbnail = ["maxres", "standard", "high", "medium", "default"].lazy.compactMap { thumbnails[$0]?.url }.first
        return Item(
            platform: .youtube,
            account: accountKey,
            id: videoID,
            url: watchURL(videoID),
            kind: .post,
            author: Author(id: owner, name: s.videoOwnerChannelTitle ?? s.channelTitle, agency: owner == channelID),
            threadRoot: videoID,
            createdAt: published.flatMap(Timestamp.parse),
            visibility: .public,
            text: text,
            attachments: thumbnail.map { [Attachment(url: $0, mediaType: "image")] } ?? []
        )
    }

    /// A comment under `videoID`: a top-level comment answers the video, a reply its
    /// top-level comment (`parentId`; YouTube nests one level only). `editedAt` is
    /// `updatedAt` when it is later than `publishedAt`.
    /// - text: `textOriginal`, the text as its author wrote it (or last edited it);
    ///   YouTube may leave it out for a reader other than the author, and then
    ///   `textDisplay` is taken as it is: the harvest asks for `textFormat=plainText`,
    ///   so it is plain text (where YouTube may have put a video's title for its link),
    ///   and reading it as HTML would drop anything written between `<` and `>`.
    /// - attachments: the image or GIF posted with it (`imageUrl`).
    /// - author: the channel id; the handle from the `@name` display name or, for a
    ///   channel shown by its name, from `authorChannelUrl` (`…/@handle`).
    public static func item(from comment: YouTubeComment, videoID: String, accountKey: String, channelID: String) -> Item {
        let s = comment.snippet
        let author = s.authorChannelId?.value ?? ""
        let published = s.publishedAt.flatMap(Timestamp.parse)
        var edited = s.updatedAt.flatMap(Timestamp.parse)
        if let e = edited, let p = published, e.timeIntervalSince(p) <= 0.5 { edited = nil }
        let handle = s.authorDisplayName.flatMap { $0.hasPrefix("@") ? $0 : nil } ?? handle(inChannelURL: s.authorChannelUrl)
        return Item(
            platform: .youtube,
            account: accountKey,
            id: comment.id,
            url: "\(watchURL(videoID))&lc=\(comment.id)",
            kind: .comment,
            author: Author(id: author, handle: handle, name: s.authorDisplayName, agency: author == channelID),
            inReplyTo: s.parentId ?? videoID,
            threadRoot: videoID,
            createdAt: published,
            editedAt: edited,
            visibility: .public,
            text: nonEmpty(s.textOriginal) ?? s.textDisplay ?? "",
            attachments: nonEmpty(s.imageUrl).map { [Attachment(url: $0, mediaType: "image")] } ?? []
        )
    }

    /// `@handle` from `http://www.youtube.com/@handle`; nil for a `/channel/UC…` address.
    static func handle(inChannelURL url: String?) -> String? {
        guard let url, let at = url.range(of: "/@") else { return nil }
        let name = url[at.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return name.isEmpty ? nil : "@" + name
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// A thread's top-level comment and the replies it carries, in that order.
    public static func items(from thread: YouTubeCommentThread, videoID: String, accountKey: String, channelID: String) -> [Item] {
        let top = item(from: thread.snippet.topLevelComment, videoID: videoID, accountKey: accountKey, channelID: channelID)
        let replies = (thread.replies?.comments ?? []).map { reply in
            var item = item(from: reply, videoID: videoID, accountKey: accountKey, channelID: channelID)
            if reply.snippet.parentId == nil { item.inReplyTo = top.id }
            return item
        }
        return [top] + replies
    }
}
