import DiariumCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// RSS 2.0 (and the RSS 1.0 / RDF shape, which differs only in where items sit).
/// Identity is `guid`, else `link` (Mastodon's per-account RSS has no guid and no
/// title, feed-apis.md §1.8). `content:encoded` wins over `description`;
/// `enclosure` and `media:content` become attachments; `dc:creator` names the author.
public enum RSSParser {
    public static func parse(_ data: Data) throws(FeedParseError) -> ParsedFeed {
        let delegate = RSSDelegate()
        try XMLFeedSupport.parse(data, delegate: delegate)
        guard delegate.sawRoot else { throw FeedParseError("XML that is not an RSS feed") }
        return delegate.feed
    }
}

private final class RSSDelegate: NSObject, XMLParserDelegate, XMLFeedDelegate {
    var feed = ParsedFeed(format: .rss)
    var failure: String?
    var sawRoot = false
    private var text = ""
    private var entry: FeedEntry?
    private var itemDescription: String?
    private var encoded: String?
    private var media: Attachment?
    private var depth = 0
    private var itemDepth = 0

    func reset() {
        feed = ParsedFeed(format: .rss)
        sawRoot = false
        text = ""
        entry = nil
        media = nil
        depth = 0
    }

    /// RSS 2.0 elements have no namespace; RSS 1.0 ones have their own.
    private func isRSS(_ ns: String?) -> Bool {
        ns == nil || ns == "" || ns == XMLFeedSupport.rss10NS
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI ns: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        text = ""
        if depth == 1 { sawRoot = name == "rss" || name == "RDF" }
        if name == "item", isRSS(ns) {
            entry = FeedEntry()
            itemDescription = nil
            encoded = nil
            itemDepth = depth
            if let about = XMLFeedSupport.attribute(attributes, "about") { entry?.id = about }
            return
        }
        guard entry != nil else { return }
        if name == "enclosure", isRSS(ns), let url = XMLFeedSupport.clean(attributes["url"]) {
            entry?.attachments.append(Attachment(url: url, mediaType: XMLFeedSupport.clean(attributes["type"])))
        } else if name == "content", ns == XMLFeedSupport.mediaNS, let url = XMLFeedSupport.clean(attributes["url"]) {
            media = Attachment(url: url, mediaType: XMLFeedSupport.clean(attributes["type"]) ?? XMLFeedSupport.clean(attributes["medium"]))
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        noteError(parser, parseError)
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        noteError(parser, validationError)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        text += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI ns: String?, qualifiedName: String?) {
        defer { depth -= 1; text = "" }
        guard var current = entry else {
            channelElement(name, ns)
            return
        }
        if name == "item", isRSS(ns), depth == itemDepth {
            current.body = encoded ?? itemDescription
            feed.entries.append(current)
            entry = nil
            return
        }
        let value = XMLFeedSupport.clean(text)
        switch (ns ?? "", name) {
        case (XMLFeedSupport.contentNS, "encoded"): encoded = value
        case (XMLFeedSupport.dcNS, "creator"): current.author = value ?? current.author
        case (XMLFeedSupport.dcNS, "date"): if current.published == nil { current.published = value }
        case (XMLFeedSupport.dcNS, "language"): current.language = value
        case (XMLFeedSupport.mediaNS, "description"):
            if media != nil { media?.description = value } else if let last = current.attachments.indices.last, current.attachments[last].description == nil {
                current.attachments[last].description = value
            }
        case (XMLFeedSupport.mediaNS, "content"):
            if let m = media { current.attachments.append(m) }
            media = nil
        default:
            guard isRSS(ns) else { break }
            switch name {
            case "title": current.title = value
            case "link": current.url = value
            case "guid": current.id = value ?? current.id
            case "pubDate": current.published = value
            case "description": itemDescription = value
            case "author": if current.author == nil { current.author = value }
            default: break
            }
        }
        entry = current
    }

    private func channelElement(_ name: String, _ ns: String?) {
        let value = XMLFeedSupport.clean(text)
        switch (ns ?? "", name) {
        case (XMLFeedSupport.dcNS, "creator"): feed.author = value
        case (XMLFeedSupport.dcNS, "language"): feed.language = value
        default:
            guard isRSS(ns), depth == 3 else { return }   // rss > channel > title
            switch name {
            case "title": feed.title = value
            case "link": feed.link = value
            case "language": feed.language = value
            case "managingEditor": if feed.author == nil { feed.author = value }
            default: break
            }
        }
    }
}
