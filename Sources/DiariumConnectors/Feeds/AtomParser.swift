import DiariumCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Atom (RFC 4287). Identity is the entry `id`; an edit is the same id with a later
/// `updated`. `content` wins over `summary`, with `type` text, html or xhtml (xhtml
/// arrives as child elements and is rebuilt as HTML for `HTMLText`). RFC 6721
/// `at:deleted-entry ref= when=` tombstones are collected for deletions.
public enum AtomParser {
    public static func parse(_ data: Data) throws(FeedParseError) -> ParsedFeed {
        let delegate = AtomDelegate()
        try XMLFeedSupport.parse(data, delegate: delegate)
        guard delegate.sawRoot else { throw FeedParseError("XML that is not an Atom feed") }
        return delegate.feed
    }
}

private final class AtomDelegate: NSObject, XMLParserDelegate, XMLFeedDelegate {
    var feed = ParsedFeed(format: .atom)
    var failure: String?
    var sawRoot = false
    private var text = ""
    private var entry: FeedEntry?
    private var content: (text: String, html: Bool)?
    private var summary: (text: String, html: Bool)?
    /// Inside `content`/`summary`/`title` of type xhtml: the depth of that element.
    private var xhtmlDepth: Int?
    private var textType = "text"
    private var inAuthor = false
    private var depth = 0

    func reset() {
        feed = ParsedFeed(format: .atom)
        sawRoot = false
        text = ""
        entry = nil
        xhtmlDepth = nil
        inAuthor = false
        depth = 0
    }

    private func isAtom(_ ns: String?) -> Bool {
        ns == XMLFeedSupport.atomNS || ns == XMLFeedSupport.atom03NS || ns == nil || ns == ""
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI ns: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        if xhtmlDepth != nil {
            // Rebuild the markup that matters to HTMLText: element names, href, alt.
            var tag = "<" + name
            if let href = attributes["href"] { tag += " href=\"\(escape(href))\"" }
            if let alt = attributes["alt"] { tag += " alt=\"\(escape(alt))\"" }
            text += tag + ">"
            return
        }
        text = ""
        if depth == 1 {
            sawRoot = name == "feed" && isAtom(ns)
            feed.language = XMLFeedSupport.attribute(attributes, "lang")
            return
        }
        if ns == XMLFeedSupport.tombstoneNS, name == "deleted-entry" {
            if let ref = XMLFeedSupport.clean(attributes["ref"]) {
                feed.tombstones.append(FeedTombstone(ref: ref, when: XMLFeedSupport.clean(attributes["when"])))
            }
            return
        }
        guard isAtom(ns) else { return }
        switch name {
        case "entry":
            entry = FeedEntry()
            entry?.language = XMLFeedSupport.attribute(attributes, "lang")
            content = nil
            summary = nil
        case "author":
            inAuthor = true
        case "link":
            guard let href = XMLFeedSupport.clean(attributes["href"]) else { return }
            let rel = attributes["rel"] ?? "alternate"
            if entry != nil {
                if rel == "alternate", entry?.url == nil {
                    entry?.url = href
                } else if rel == "enclosure" {
                    entry?.attachments.append(Attachment(url: href, mediaType: XMLFeedSupport.clean(attributes["type"]), description: XMLFeedSupport.clean(attributes["title"])))
                }
            } else if rel == "alternate", feed.link == nil {
                feed.link = href
            }
        case "content", "summary", "title":
            textType = (attributes["type"] ?? "text").lowercased()
            if textType == "xhtml" || textType.hasSuffix("xhtml+xml") { xhtmlDepth = depth }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        noteError(parser, parseError)
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        noteError(parser, validationError)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += xhtmlDepth != nil ? escape(string) : string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        let string = String(decoding: block, as: UTF8.self)
        text += xhtmlDepth != nil ? escape(string) : string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI ns: String?, qualifiedName: String?) {
        defer { depth -= 1 }
        if let xd = xhtmlDepth, depth > xd {
            text += "</\(name)>"
            return
        }
        let isXHTML = xhtmlDepth != nil
        xhtmlDepth = nil
        defer { text = "" }
        guard isAtom(ns) else { return }
        let value = XMLFeedSupport.clean(text)
        let html = isXHTML || textType == "html" || textType.hasSuffix("html")
        if name == "author" { inAuthor = false; return }
        guard var current = entry else {
            switch name {
            case "title" where depth == 2: feed.title = html ? value.map(HTMLText.plainText) : value
            case "name" where inAuthor && depth == 3: feed.author = value
            default: break
            }
            return
        }
        switch name {
        case "entry":
            current.body = content?.text ?? summary?.text
            current.bodyIsHTML = content?.html ?? summary?.html ?? false
            feed.entries.append(current)
            entry = nil
            return
        case "id": current.id = value
        case "title":
            current.title = value
            current.titleIsHTML = html
        case "published", "issued": current.published = value
        case "updated", "modified": current.updated = value
        case "name" where inAuthor: if current.author == nil { current.author = value }
        case "content": if let value { content = (value, html) }
        case "summary": if let value { summary = (value, html) }
        default: break
        }
        entry = current
    }

    private func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
