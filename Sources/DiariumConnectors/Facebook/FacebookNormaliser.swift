import DiariumCore
import Foundation

/// Turns Graph API posts, comments and Page messages into platform-neutral items.
/// Pure functions over decoded values, so unit tests run them without a network and
/// the connector only decides what to fetch.
public enum FacebookNormaliser {
    /// A feed post. `kind` is `share` for a `shared_story`, else `post` (a visitor post
    /// on the Page is a post by someone other than the agency). `editedAt` is
    /// `updated_time` when it differs from `created_time`: Graph keeps no edit history,
    /// so the latest update time is all there is (it can also move on engagement; the
    /// registry stores a new version only when the content differs).
    /// - text: the message (or, without one, the line Facebook writes above the post,
    ///   `story`); a share of another post (`parent_id`) adds that post as a
    ///   `Sharing …` line (`EmbeddedPost`) from what its attachment shows: the title,
    ///   the shared text (`description`) and its address (`target.url`).
    /// - attachments: see `attachments(_:)`.
    public static func item(from post: FacebookPost, accountKey: String, pageID: String) -> Item {
        let created = post.created_time.flatMap(Timestamp.parse)
        let isShare = post.status_type == "shared_story"
        var text = nonEmpty(post.message) ?? nonEmpty(post.story) ?? ""
        var shared: SharedPost?
        if isShare, let parent = nonEmpty(post.parent_id) {
            let original = sharedPost(parent, shown: post.attachments?.data.first)
            text = EmbeddedPost.append(original.line(.sharing), to: text)
            shared = original.sharedPost(agencyID: pageID)
        }
        return Item(
            platform: .facebook,
            account: accountKey,
            id: post.id,
            url: post.permalink_url,
            kind: isShare ? .share : .post,
            author: author(post.from, pageID: pageID),
            inReplyTo: nil,
            threadRoot: post.id,
            createdAt: created,
            editedAt: editedAt(created: created, updated: post.updated_time),
            visibility: .public,
            text: text,
            attachments: attachments(post.attachments?.data ?? []),
            shared: shared
        )
    }

    /// The post a share shares, as far as the share's own answer shows it. Graph gives
    /// its id (`parent_id`, `{page-id}_{post-id}`, so the first part is its author's
    /// id) and, in the attachment, its text and address, but not its author's name:
    /// the attachment's `title` stands in for it when there is one.
    static func sharedPost(_ parentID: String, shown: FacebookAttachment?) -> EmbeddedPost {
        let authorID = parentID.contains("_") ? parentID.split(separator: "_").first.map(String.init) : nil
        let url = nonEmpty(shown?.target?.url) ?? nonEmpty(shown?.unshimmed_url) ?? nonEmpty(shown?.url)
            ?? "https://www.facebook.com/\(parentID)"
        return EmbeddedPost(authorID: authorID, name: nonEmpty(shown?.title), id: parentID, url: url,
                            text: shown?.description ?? "")
    }

    /// A comment under `postID`. With `filter=stream` replies arrive flat, carrying
    /// `parent.id`: that is `inReplyTo`, else the post itself. A photo, sticker or link
    /// posted with it is its attachment.
    public static func item(from comment: FacebookComment, postID: String, accountKey: String, pageID: String) -> Item {
        Item(
            platform: .facebook,
            account: accountKey,
            id: comment.id,
            url: nonEmpty(comment.permalink_url),
            kind: .comment,
            author: author(comment.from, pageID: pageID),
            inReplyTo: comment.parent?.id ?? postID,
            threadRoot: postID,
            createdAt: comment.created_time.flatMap(Timestamp.parse),
            visibility: .public,
            text: comment.message ?? "",
            attachments: attachments(comment.attachment.map { [$0] } ?? [])
        )
    }

    /// A message in a Page conversation: kind `message`, visibility `direct`, its
    /// thread the conversation (`t_…`), so a case file holds the whole exchange.
    public static func item(from message: FacebookMessage, conversationID: String, accountKey: String, pageID: String) -> Item {
        Item(
            platform: .facebook,
            account: accountKey,
            id: message.id,
            kind: .message,
            author: author(message.from, pageID: pageID),
            inReplyTo: nil,
            threadRoot: conversationID,
            createdAt: message.created_time.flatMap(Timestamp.parse),
            visibility: .direct,
            text: message.message ?? ""
        )
    }

    /// The Page is the agency; anyone else (or no `from`, when the token may not see
    /// who wrote it) is the public.
    static func author(_ from: FacebookProfile?, pageID: String) -> Author {
        guard let from else { return Author(id: "", agency: false) }
        return Author(id: from.id, name: from.name, agency: from.id == pageID)
    }

    static func editedAt(created: Date?, updated: String?) -> Date? {
        guard let updated = updated.flatMap(Timestamp.parse) else { return nil }
        guard let created else { return updated }
        return updated.timeIntervalSince(created) > 0.5 ? updated : nil
    }

    /// What each attachment shows, in order: a link card as its own address
    /// (`unshimmed_url`, not Facebook's shim) with its title and summary; a video as its
    /// file (`media.source`), else its picture; a photo as its image `src` with its
    /// caption; an album or multi-photo post as each of its `subattachments`.
    static func attachments(_ list: [FacebookAttachment]) -> [Attachment] {
        list.flatMap(attachments(of:))
    }

    static func attachments(of a: FacebookAttachment) -> [Attachment] {
        let subs = a.subattachments?.data ?? []
        var out: [Attachment] = []
        if a.isLink, let url = nonEmpty(a.unshimmed_url) ?? nonEmpty(a.url) {
            let parts = [a.title, a.description].compactMap(nonEmpty)
            out.append(Attachment(url: url, mediaType: "link", description: parts.isEmpty ? nil : parts.joined(separator: " — ")))
        } else if subs.isEmpty {
            let isVideo = a.media_type == "video" || (a.type ?? "").hasPrefix("video")
            if isVideo, let file = nonEmpty(a.media?.source) {
                out.append(Attachment(url: file, mediaType: "video", description: nonEmpty(a.description)))
            } else if let url = nonEmpty(a.media?.image?.src) ?? nonEmpty(a.url) {
                out.append(Attachment(url: url, mediaType: a.media_type, description: nonEmpty(a.description)))
            }
        }
        return out + subs.flatMap(attachments(of:))
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return s
    }
}
