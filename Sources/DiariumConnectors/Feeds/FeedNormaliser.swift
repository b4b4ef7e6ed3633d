import DiariumCore
import Foundation

/// Turns a parsed feed into items. A feed is the agency's own publication, so every
/// entry is an agency post that starts its own thread. Pure functions over bytes or
/// parsed values: the benchmark and unit tests call them without a network.
public enum FeedNormaliser {
    /// Detects the format from the body and parses it. `contentType` is the HTTP
    /// `Content-Type`, whose charset decides how XML is decoded (`XMLFeedEncoding`).
    public static func parse(_ data: Data, contentType: String? = nil) throws(FeedParseError) -> ParsedFeed {
        let charset = XMLFeedEncoding.charset(fromContentType: contentType)
        switch FeedFormat.detect(data) {
        case .rss: return try RSSParser.parse(data, charset: charset)
        case .atom: return try AtomParser.parse(data, charset: charset)
        case .jsonFeed: return try JSONFeedParser.parse(data)
        case nil:
            let head = FeedFormat.leadingText(data, limit: 64).lowercased()
            if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") {
                throw FeedParseError("an HTML page, not a feed")
            }
            if head.first == "<" { throw FeedParseError("XML that is neither RSS nor Atom") }
            throw FeedParseError(data.isEmpty ? "an empty body where a feed was expected" : "a body that is not a feed (neither XML nor JSON)")
        }
    }

    /// Parse and normalise in one call (what the benchmark measures).
    public static func items(fromFeed data: Data, accountKey: String, feedURL: String) throws(FeedParseError) -> [Item] {
        items(from: try parse(data), accountKey: accountKey, feedURL: feedURL)
    }

    /// Every entry as an item: kind post, author the agency (named by the entry, else
    /// the feed), its own thread root, text = title, a blank line, and the plain text
    /// of the body. `updated`/`date_modified` becomes `editedAt` only when it differs
    /// from the publication date; an entry without a publication date takes the
    /// update date as its creation date. A bad date is nil, never an error.
    public static func items(from feed: ParsedFeed, accountKey: String, feedURL: String) -> [Item] {
        var problems: [String] = []
        return items(from: feed, accountKey: accountKey, feedURL: feedURL, problems: &problems)
    }

    /// As above, and one sentence in `problems` for every date that is there but is not a
    /// date (`9999-12-31T23:59:59-99:99`), naming the entry and the text: the item is kept
    /// without it, and the captured feed keeps the text.
    public static func items(from feed: ParsedFeed, accountKey: String, feedURL: String, problems: inout [String]) -> [Item] {
        let feedAuthor = XMLFeedSupport.clean(feed.author) ?? XMLFeedSupport.clean(feed.title)
        return feed.entries.map { entry in
            let url = XMLFeedSupport.resolve(entry.url, against: feedURL)
            let text = text(of: entry)
            let id = XMLFeedSupport.clean(entry.id) ?? url ?? "sha256:" + SHA256.hexDigest(text)
            func read(_ raw: String?, _ field: String) -> Date? {
                guard let raw else { return nil }
                if let date = date(raw) { return date }
                problems.append("item \(id): \(field) '\(raw.trimmingCharacters(in: .whitespacesAndNewlines))' is not a date; stored without it, the raw capture keeps what the feed sent")
                return nil
            }
            let published = read(entry.published, "published date")
            let updated = read(entry.updated, "updated date")
            let createdAt = published ?? updated
            var editedAt: Date?
            if let published, let updated, abs(updated.timeIntervalSince(published)) >= 0.001 { editedAt = updated }
            return Item(
                platform: .feed,
                account: accountKey,
                id: id,
                url: url,
                kind: .post,
                author: Author(id: feedURL, name: XMLFeedSupport.clean(entry.author) ?? feedAuthor, agency: true),
                inReplyTo: nil,
                threadRoot: id,
                createdAt: createdAt,
                editedAt: editedAt,
                visibility: .public,
                language: XMLFeedSupport.clean(entry.language) ?? XMLFeedSupport.clean(feed.language),
                text: text,
                attachments: entry.attachments.map { a in
                    var a = a
                    a.url = XMLFeedSupport.resolve(a.url, against: feedURL) ?? a.url
                    return a
                }
            )
        }
    }

    /// Title, blank line, body; either alone when the other is missing.
    static func text(of entry: FeedEntry) -> String {
        let title = entry.title.map { entry.titleIsHTML ? HTMLText.plainText($0) : plain($0) } ?? ""
        let body = entry.body.map { entry.bodyIsHTML ? HTMLText.plainText($0) : plain($0) } ?? ""
        switch (title.isEmpty, body.isEmpty) {
        case (false, false): return title + "\n\n" + body
        case (false, true): return title
        default: return body
        }
    }

    /// Text that is not HTML: entities a publisher double-encoded are decoded, blanks
    /// tidied; a `<` stays a `<`.
    private static func plain(_ text: String) -> String {
        let decoded = HTMLText.decodeEntities(text)
        return decoded.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every feed date, RSS, Atom and JSON Feed alike, is read by `Timestamp.parseFeedDate`.
    private static func date(_ text: String) -> Date? {
        Timestamp.parseFeedDate(text)
    }
}
