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
    public static func item(from post: FacebookPost, accountKey: String, pageID: String) -> Item {
        let created = post.created_time.flatMap(Timestamp.parse)
        return Item(
            platform: .facebook,
            account: accountKey,
            id: post.id,
            url: post.permalink_url,
            kind: post.status_type == "shared_story" ? .share : .post,
            author: author(post.from, pageID: pageID),
            inReplyTo: nil,
            threadRoot: post.id,
            createdAt: created,
            editedAt: editedAt(created: created, updated: post.updated_time),
            visibility: .public,
            text: post.message ?? "",
            attachments: attachments(post.attachments?.data ?? [])
        )
    }

    /// A comment under `postID`. With `filter=stream` replies arrive flat, carrying
    /// `parent.id`: that is `inReplyTo`, else the post itself.
    public static func item(from comment: FacebookComment, postID: String, accountKey: String, pageID: String) -> Item {
        Item(
            platform: .facebook,
            account: accountKey,
            id: comment.id,
            kind: .comment,
            author: author(comment.from, pageID: pageID),
            inReplyTo: comment.parent?.id ?? postID,
            threadRoot: postID,
            createdAt: comment.created_time.flatMap(Timestamp.parse),
            visibility: .public,
            text: comment.message ?? ""
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

    /// Each attachment's media: the image `src` when there is one, else the link.
    static func attachments(_ list: [FacebookAttachment]) -> [Attachment] {
        list.compactMap { a in
            guard let url = a.media?.image?.src ?? a.url, !url.isEmpty else { return nil }
            let description = a.description.flatMap { $0.isEmpty ? nil : $0 }
            return Attachment(url: url, mediaType: a.media_type, description: description)
        }
    }
}
