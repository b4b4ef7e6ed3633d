import DiariumCore
import Foundation

/// RSS 2.0, 0.9x, and the RDF shapes (RSS 1.0 and 0.90), which differ in where items
/// sit: inside `<channel>`, or beside it under the root. Identity is `guid`, else
/// `rdf:about`, else `link` (Mastodon's per-account RSS has no guid and no title,
/// feed-apis.md §1.8). `content:encoded` wins over `xhtml:body`, which wins over
/// `description`; `enclosure` and the `FeedExtensions` (`media:`, `dc:`, `dcterms:`,
/// `itunes:`) fill the rest. `dc:creator` names the author before `author`.
///
/// Fields are read only where RSS puts them: an item's `<title>` is a child of the
/// item, so the `<title>` of an item's `<source>` or `<image>` is never the item's.
/// RSS elements are those in no namespace, in RSS 1.0's or 0.90's, or in whatever
/// namespace the document puts its `<rss>` and `<channel>` in (`<rss xmlns="…">`,
/// `<r:rss>`): the name of the element decides, not the publisher's choice of URI.
public enum RSSParser {
    public static func parse(_ data: Data, charset: String? = nil) throws(FeedParseError) -> ParsedFeed {
        let root = try XMLFeedSupport.parse(data, charset: charset)
        guard root.name == "rss" || root.name == "RDF" else { throw FeedParseError("XML that is not an RSS feed") }
        return read(root)
    }

    static func read(_ root: XMLFeedElement) -> ParsedFeed {
        var feed = ParsedFeed(format: .rss)
        var rss: Set<String> = ["", XMLFeedSupport.rss10NS, XMLFeedSupport.rss090NS]
        if root.name == "rss" { rss.insert(root.namespace) }
        let channel = root.elements.first { $0.name == "channel" && $0.namespace != XMLFeedSupport.rdfNS }
        if let channel { rss.insert(channel.namespace) }

        if let channel {
            let dc: Set<String> = [XMLFeedSupport.dcNS]
            if let title = channel.first("title", in: rss).flatMap({ $0.textField(html: false) }) {
                feed.title = title.isHTML ? HTMLText.plainText(title.text) : title.text
            }
            feed.link = channel.text(of: "link", in: rss)
            feed.language = channel.text(of: "language", in: rss) ?? channel.text(of: "language", in: dc)
            feed.author = channel.text(of: "creator", in: dc) ?? channel.text(of: "managingEditor", in: rss)
                ?? channel.text(of: "author", in: [XMLFeedSupport.itunesNS])
        }
        // RSS 0.91–2.0 put items in the channel; RSS 0.90 and 1.0 beside it.
        let items = (channel?.elements("item", in: rss) ?? []) + root.elements("item", in: rss)
        feed.entries = items.map { entry($0, rss) }
        if feed.entries.isEmpty { feed.emptyReason = whyEmpty(root, channel: channel, rss: rss) }
        return feed
    }

    private static func entry(_ item: XMLFeedElement, _ rss: Set<String>) -> FeedEntry {
        var entry = FeedEntry()
        entry.id = item.text(of: "guid", in: rss) ?? XMLFeedSupport.clean(item.attribute("about"))
        entry.url = item.text(of: "link", in: rss)
        if let title = item.first("title", in: rss).flatMap({ $0.textField(html: false) }) {
            entry.title = title.text
            entry.titleIsHTML = title.isHTML
        }
        if let encoded = item.first("encoded", in: [XMLFeedSupport.contentNS]).flatMap({ $0.textField(html: true) }) {
            entry.body = encoded.text
        } else if let body = item.first("body", in: [XMLFeedSupport.xhtmlNS]), body.hasElementChildren {
            entry.body = body.innerHTML
        } else if let description = item.first("description", in: rss).flatMap({ $0.textField(html: true) }) {
            entry.body = description.text
        }
        entry.bodyIsHTML = true
        entry.author = item.text(of: "creator", in: [XMLFeedSupport.dcNS]) ?? item.text(of: "author", in: rss)
        entry.published = item.text(of: "pubDate", in: rss)
        for enclosure in item.elements("enclosure", in: rss) {
            if let url = XMLFeedSupport.clean(enclosure.attribute("url")) {
                entry.attachments.append(Attachment(url: url, mediaType: XMLFeedSupport.clean(enclosure.attribute("type"))))
            }
        }
        FeedExtensions.apply(to: &entry, from: item)
        return entry
    }

    /// One sentence for the log when a well-formed RSS document yields no item.
    private static func whyEmpty(_ root: XMLFeedElement, channel: XMLFeedElement?, rss: Set<String>) -> String {
        let stray = root.descendants(named: "item")
        if !stray.isEmpty {
            let namespaces = Set(stray.map { $0.namespace.isEmpty ? "no namespace" : $0.namespace }).sorted().joined(separator: ", ")
            return "the document has \(stray.count) <item> element(s) (\(namespaces)), but none where RSS puts items (in <channel>, or under the root for RDF)"
        }
        guard channel != nil else { return "the <\(root.name)> root holds no <channel> and no <item>" }
        return "the channel holds no <item> (an empty feed)"
    }
}
