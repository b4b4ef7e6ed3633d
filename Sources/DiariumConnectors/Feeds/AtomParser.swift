import DiariumCore
import Foundation

/// Atom (RFC 4287, and the older Atom 0.3). Identity is the entry `id`; an edit is the
/// same id with a later `updated`. `content` wins over `summary`; a text construct is
/// text, html or xhtml (xhtml, and any markup written unescaped inside, is rebuilt as
/// HTML for `HTMLText`). Content in base64 — Atom 0.3's `mode="base64"`, Atom 1.0's
/// types that are neither text nor XML — is decoded: a text type becomes the body,
/// anything else an attachment (a `data:` URL with the bytes). `content src=` is an
/// attachment too. RFC 6721 `at:deleted-entry ref= when=` tombstones are collected for
/// deletions.
///
/// Fields are read only at their own depth: an entry's `id`, `title`, `link` and
/// `updated` are its children, never those of the `<source>` an aggregator (a "Planet")
/// copies into each entry. The source's author is the entry's only when the entry
/// names none (RFC 4287 § 4.2.1).
public enum AtomParser {
    public static func parse(_ data: Data, charset: String? = nil) throws(FeedParseError) -> ParsedFeed {
        let root = try XMLFeedSupport.parse(data, charset: charset)
        let atom: Set<String> = ["", XMLFeedSupport.atomNS, XMLFeedSupport.atom03NS]
        guard root.name == "feed", atom.contains(root.namespace) else { throw FeedParseError("XML that is not an Atom feed") }
        return read(root, atom)
    }

    static func read(_ root: XMLFeedElement, _ atom: Set<String>) -> ParsedFeed {
        var feed = ParsedFeed(format: .atom)
        feed.language = XMLFeedSupport.clean(root.attribute("lang"))
        if let title = root.first("title", in: atom).flatMap({ text($0) }) {
            feed.title = title.isHTML ? HTMLText.plainText(title.text) : title.text
        }
        feed.author = root.first("author", in: atom)?.text(of: "name", in: atom)
        feed.link = alternate(root, atom)
        for tombstone in root.elements("deleted-entry", in: [XMLFeedSupport.tombstoneNS]) {
            if let ref = XMLFeedSupport.clean(tombstone.attribute("ref")) {
                feed.tombstones.append(FeedTombstone(ref: ref, when: XMLFeedSupport.clean(tombstone.attribute("when"))))
            }
        }
        feed.entries = root.elements("entry", in: atom).map { entry($0, atom) }
        if feed.entries.isEmpty {
            let stray = root.descendants(named: "entry")
            feed.emptyReason = stray.isEmpty
                ? "the feed holds no <entry>" + (feed.tombstones.isEmpty ? " (an empty feed)" : ", only tombstones")
                : "the document has \(stray.count) <entry> element(s), but none is a child of <feed> in the Atom namespace"
        }
        return feed
    }

    private static func entry(_ element: XMLFeedElement, _ atom: Set<String>) -> FeedEntry {
        var entry = FeedEntry()
        entry.id = element.text(of: "id", in: atom)
        entry.language = XMLFeedSupport.clean(element.attribute("lang"))
        if let title = element.first("title", in: atom).flatMap({ text($0) }) {
            entry.title = title.text
            entry.titleIsHTML = title.isHTML
        }
        entry.published = element.text(of: "published", in: atom) ?? element.text(of: "issued", in: atom)
            ?? element.text(of: "created", in: atom)
        entry.updated = element.text(of: "updated", in: atom) ?? element.text(of: "modified", in: atom)
        entry.author = element.first("author", in: atom)?.text(of: "name", in: atom)
        entry.url = alternate(element, atom)
        for link in element.elements("link", in: atom) where link.attribute("rel") == "enclosure" {
            if let href = XMLFeedSupport.clean(link.attribute("href")) {
                entry.attachments.append(Attachment(url: href, mediaType: XMLFeedSupport.clean(link.attribute("type")),
                                                    description: XMLFeedSupport.clean(link.attribute("title"))))
            }
        }
        var body: (text: String, isHTML: Bool)?
        if let content = element.first("content", in: atom) {
            switch self.content(content) {
            case .text(let text, let isHTML): body = (text, isHTML)
            case .attachment(let attachment): entry.attachments.append(attachment)
            case nil: break
            }
        }
        if body == nil, let summary = element.first("summary", in: atom), case .text(let text, let isHTML)? = content(summary) {
            body = (text, isHTML)
        }
        if let body {
            entry.body = body.text
            entry.bodyIsHTML = body.isHTML
        }
        FeedExtensions.apply(to: &entry, from: element)
        if entry.author == nil, let source = element.first("source", in: atom) {
            entry.author = source.first("author", in: atom)?.text(of: "name", in: atom)
        }
        return entry
    }

    /// The first `link` child with `rel="alternate"` (or no `rel`).
    private static func alternate(_ element: XMLFeedElement, _ atom: Set<String>) -> String? {
        element.elements("link", in: atom).lazy
            .filter { ($0.attribute("rel") ?? "alternate") == "alternate" }
            .compactMap { XMLFeedSupport.clean($0.attribute("href")) }
            .first
    }

    enum Content {
        case text(String, isHTML: Bool)
        case attachment(Attachment)
    }

    /// A text construct (title, summary) read as text; nil when blank.
    private static func text(_ element: XMLFeedElement) -> (text: String, isHTML: Bool)? {
        guard case .text(let text, let isHTML)? = content(element) else { return nil }
        return (text, isHTML)
    }

    /// What a `content`, `summary` or `title` holds, by its `type` (1.0: text, html, xhtml
    /// or a media type; 0.3: a media type) and Atom 0.3's `mode` (xml, escaped, base64).
    static func content(_ element: XMLFeedElement) -> Content? {
        let type = (XMLFeedSupport.clean(element.attribute("type")) ?? "text").lowercased()
        let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? type
        if let src = XMLFeedSupport.clean(element.attribute("src")) {
            return .attachment(Attachment(url: src, mediaType: ["text", "html", "xhtml"].contains(mediaType) ? nil : mediaType))
        }
        let isHTML = ["html", "xhtml"].contains(mediaType) || mediaType.hasSuffix("/html") || mediaType.hasSuffix("xhtml+xml")
        let mode = element.attribute("mode")?.lowercased()
        let isXML = mediaType.hasSuffix("+xml") || mediaType.hasSuffix("/xml")
        let isText = ["text", "html", "xhtml"].contains(mediaType) || mediaType.hasPrefix("text/") || isXML
        // Atom 1.0 § 4.1.3.3: a type that is neither text nor XML is base64, as is 0.3's mode="base64".
        if mode == "base64" || (mode == nil && !isText && !element.hasElementChildren) {
            guard let raw = XMLFeedSupport.clean(element.text) else { return nil }
            guard let bytes = Data(base64Encoded: raw, options: .ignoreUnknownCharacters) else { return .text(raw, isHTML: false) }
            if isText || textual(mediaType) {
                let decoded = String(decoding: bytes, as: UTF8.self)
                guard let clean = XMLFeedSupport.clean(decoded) else { return nil }
                return .text(clean, isHTML: isHTML)
            }
            return .attachment(Attachment(url: "data:\(mediaType);base64,\(bytes.base64EncodedString())", mediaType: mediaType))
        }
        if element.hasElementChildren { return .text(element.innerHTML, isHTML: true) }
        guard let text = XMLFeedSupport.clean(element.text) else { return nil }
        return .text(text, isHTML: isHTML)
    }

    /// Media types outside `text/` whose bytes are text.
    private static func textual(_ mediaType: String) -> Bool {
        ["application/json", "application/javascript", "application/ecmascript"].contains(mediaType) || mediaType.hasSuffix("+json")
    }
}
