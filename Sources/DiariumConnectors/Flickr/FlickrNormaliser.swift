import DiariumCore
import Foundation

/// Turns Flickr photos and comments into platform-neutral items. Pure functions, so
/// unit tests run them without a network.
public enum FlickrNormaliser {
    /// A photo (or video) as a post: text is the title, a blank line and the
    /// description, then its tags (`Tags: bostøtte, søknad`); the attachment is the
    /// original file with the description as its caption. `editedAt` is `lastupdate`
    /// when it is later than the upload.
    public static func item(from photo: FlickrPhoto, accountKey: String, nsid: String) -> Item {
        let owner = photo.owner ?? nsid
        let created = unixDate(photo.dateupload)
        let description = plain(photo.description?._content)
        let file = photo.url_o ?? fileURL(id: photo.id, server: photo.server, secret: photo.secret)
        return Item(
            platform: .flickr,
            account: accountKey,
            id: photo.id,
            url: "https://www.flickr.com/photos/\(owner)/\(photo.id)/",
            kind: .post,
            author: Author(id: owner, name: photo.ownername, agency: owner == nsid),
            threadRoot: photo.id,
            createdAt: created,
            editedAt: edited(created: created, updated: unixDate(photo.lastupdate)),
            visibility: .public,
            text: text(title: photo.title, description: description, tags: photo.tags),
            attachments: file.map { [Attachment(url: $0, mediaType: photo.media ?? "photo", description: description.isEmpty ? nil : description)] } ?? []
        )
    }

    /// The same item from `flickr.photos.getInfo`, built so that an unchanged photo gives
    /// an identical item (same file URL, same text, the same clean tags, the owner's
    /// username as `ownername` has it) and the registry sees no change.
    public static func item(from info: FlickrPhotoInfo, accountKey: String, nsid: String) -> Item {
        var original: String?
        if let server = info.server, let secret = info.originalsecret, let format = info.originalformat {
            original = "https://live.staticflickr.com/\(server)/\(info.id)_\(secret)_o.\(format)"
        }
        let photo = FlickrPhoto(
            id: info.id, owner: info.owner?.nsid, secret: info.secret, server: info.server,
            title: info.title?._content, description: info.description,
            dateupload: info.dates?.posted ?? info.dateuploaded, lastupdate: info.dates?.lastupdate,
            ownername: info.owner?.username.flatMap { $0.isEmpty ? nil : $0 } ?? info.owner?.realname,
            url_o: original, media: info.media,
            tags: info.tags?.tag.map { $0.compactMap(\._content).joined(separator: " ") })
        return item(from: photo, accountKey: accountKey, nsid: nsid)
    }

    /// A comment under `photoID`. Flickr has no replies to comments: each answers the photo.
    public static func item(from comment: FlickrComment, photoID: String, accountKey: String, nsid: String) -> Item {
        let author = comment.author ?? ""
        let name = comment.realname.flatMap { $0.isEmpty ? nil : $0 } ?? comment.authorname
        return Item(
            platform: .flickr,
            account: accountKey,
            id: comment.id,
            url: comment.permalink,
            kind: .comment,
            author: Author(id: author, handle: comment.path_alias ?? comment.authorname, name: name, agency: author == nsid),
            inReplyTo: photoID,
            threadRoot: photoID,
            createdAt: unixDate(comment.datecreate),
            visibility: .public,
            text: plain(comment._content)
        )
    }

    static func text(title: String?, description: String, tags: String? = nil) -> String {
        let title = HTMLText.decodeEntities(title ?? "")
        let tags = (tags ?? "").split(separator: " ").map { HTMLText.decodeEntities(String($0)) }.filter { !$0.isEmpty }
        let parts = [title, description, tags.isEmpty ? "" : "Tags: " + tags.joined(separator: ", ")]
        return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    static func plain(_ html: String?) -> String {
        guard let html, !html.isEmpty else { return "" }
        return HTMLText.plainText(html)
    }

    /// The large rendition's URL, for a photo whose list entry had no `url_o`.
    static func fileURL(id: String, server: String?, secret: String?) -> String? {
        guard let server, let secret else { return nil }
        return "https://live.staticflickr.com/\(server)/\(id)_\(secret)_b.jpg"
    }

    static func unixDate(_ text: String?) -> Date? {
        guard let text, let seconds = Int(text), seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    static func edited(created: Date?, updated: Date?) -> Date? {
        guard let updated else { return nil }
        guard let created else { return updated }
        return updated > created ? updated : nil
    }
}
