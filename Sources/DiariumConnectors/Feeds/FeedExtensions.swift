import DiariumCore
import Foundation

/// The extension elements RSS items and Atom entries carry, read as fallbacks for what
/// the format's own elements leave empty, and for attachments:
///
/// | field | read from, in order (after the format's own elements) |
/// |---|---|
/// | title | `dc:title`, `media:title` |
/// | body | `xhtml:body`, `dc:description`, `media:description`, `itunes:summary` |
/// | author | `dc:creator`, `itunes:author` |
/// | published | `dc:date`, `dcterms:issued`, `dcterms:created` |
/// | updated | `dcterms:modified` |
/// | language | `dc:language` |
/// | attachments | `media:content`, `media:thumbnail`, `enc:enclosure` |
///
/// Only the entry's own children count, and Media RSS's `media:group` (which holds
/// the entry's media elements as one set, as YouTube's feeds do). A `media:title` or
/// `media:description` inside a `media:content` describes that file, not the entry: it
/// becomes the attachment's description.
enum FeedExtensions {
    typealias NS = XMLFeedSupport

    static func apply(to entry: inout FeedEntry, from element: XMLFeedElement) {
        let dc: Set<String> = [NS.dcNS]
        let dcterms: Set<String> = [NS.dctermsNS]
        let itunes: Set<String> = [NS.itunesNS]
        let groups = element.elements("group", in: NS.mediaNS)
        /// The first `media:name` of the entry, else of its groups.
        func media(_ name: String) -> XMLFeedElement? {
            element.first(name, in: NS.mediaNS) ?? groups.lazy.compactMap { $0.first(name, in: NS.mediaNS) }.first
        }

        if entry.title == nil {
            if let title = element.first("title", in: dc) ?? media("title"), let text = title.textField(html: false) {
                entry.title = text.text
                entry.titleIsHTML = text.isHTML
            }
        }
        if entry.body == nil {
            if let body = element.first("body", in: [NS.xhtmlNS]), body.hasElementChildren || XMLFeedSupport.clean(body.text) != nil {
                entry.body = body.innerHTML
                entry.bodyIsHTML = true
            } else if let description = element.first("description", in: dc), let text = description.textField(html: false) {
                entry.body = text.text
                entry.bodyIsHTML = text.isHTML
            } else if let description = media("description"), let text = description.textField(html: description.attribute("type")?.lowercased() == "html") {
                entry.body = text.text
                entry.bodyIsHTML = text.isHTML
            } else if let summary = element.first("summary", in: itunes), let text = summary.textField(html: false) {
                entry.body = text.text
                entry.bodyIsHTML = text.isHTML
            }
        }
        entry.author = entry.author ?? element.text(of: "creator", in: dc) ?? element.text(of: "author", in: itunes)
        entry.published = entry.published ?? element.text(of: "date", in: dc) ?? element.text(of: "issued", in: dcterms)
            ?? element.text(of: "created", in: dcterms)
        entry.updated = entry.updated ?? element.text(of: "modified", in: dcterms)
        entry.language = entry.language ?? element.text(of: "language", in: dc)

        for e in element.elements("enclosure", in: [NS.encNS]) {
            if let url = XMLFeedSupport.clean(e.attribute("resource") ?? e.attribute("url")) {
                entry.attachments.append(Attachment(url: url, mediaType: XMLFeedSupport.clean(e.attribute("type"))))
            }
        }
        for holder in [element] + groups {
            for content in holder.elements("content", in: NS.mediaNS) {
                guard let url = XMLFeedSupport.clean(content.attribute("url")) else { continue }
                let description = (content.first("description", in: NS.mediaNS) ?? content.first("title", in: NS.mediaNS)).flatMap(plainText)
                entry.attachments.append(Attachment(
                    url: url, mediaType: XMLFeedSupport.clean(content.attribute("type")) ?? XMLFeedSupport.clean(content.attribute("medium")),
                    description: description))
                for thumbnail in content.elements("thumbnail", in: NS.mediaNS) { addThumbnail(thumbnail, to: &entry) }
            }
            for thumbnail in holder.elements("thumbnail", in: NS.mediaNS) { addThumbnail(thumbnail, to: &entry) }
        }
        var seen = Set<String>()
        entry.attachments = entry.attachments.filter { seen.insert($0.url).inserted }
    }

    private static func addThumbnail(_ thumbnail: XMLFeedElement, to entry: inout FeedEntry) {
        guard let url = XMLFeedSupport.clean(thumbnail.attribute("url")) else { return }
        entry.attachments.append(Attachment(url: url))
    }

    /// An attachment's description is plain text; Media RSS allows HTML (`type="html"`).
    private static func plainText(_ element: XMLFeedElement) -> String? {
        guard let field = element.textField(html: element.attribute("type")?.lowercased() == "html") else { return nil }
        return XMLFeedSupport.clean(field.isHTML ? HTMLText.plainText(field.text) : field.text)
    }
}
