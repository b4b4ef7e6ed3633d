import DiariumCore
import Foundation

/// JSON Feed 1.1, and 1.0 (singular `author`, still accepted as the spec asks of
/// readers). Decoded with small `Decodable` structs holding only what is archived;
/// a wrong type in a field that is read fails the feed, which is then quarantined.
public enum JSONFeedParser {
    struct Document: Decodable {
        var version: String?
        var title: String?
        var home_page_url: String?
        var language: String?
        var authors: [Person]?
        var author: Person?
        var items: [Entry]
    }

    struct Person: Decodable {
        var name: String?
        var url: String?
    }

    struct Entry: Decodable {
        var id: String
        var url: String?
        var external_url: String?
        var title: String?
        var content_html: String?
        var content_text: String?
        var summary: String?
        var date_published: String?
        var date_modified: String?
        var authors: [Person]?
        var author: Person?
        var language: String?
        var attachments: [Media]?
    }

    struct Media: Decodable {
        var url: String
        var mime_type: String?
        var title: String?
    }

    public static func parse(_ data: Data) throws(FeedParseError) -> ParsedFeed {
        var body = data
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = Data(body.dropFirst(3)) }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: body)
        } catch {
            throw FeedParseError(describe(error))
        }
        if let version = document.version, !version.contains("jsonfeed.org") {
            throw FeedParseError("JSON whose version '\(version.prefix(80))' is not a JSON Feed version")
        }
        var feed = ParsedFeed(format: .jsonFeed)
        feed.title = document.title
        feed.link = document.home_page_url
        feed.language = document.language
        feed.author = name(document.authors, document.author)
        feed.entries = document.items.map { item in
            var entry = FeedEntry(id: item.id, url: item.url ?? item.external_url, title: item.title)
            if let html = item.content_html, !html.isEmpty {
                entry.body = html
                entry.bodyIsHTML = true
            } else if let text = item.content_text ?? item.summary {
                entry.body = text
                entry.bodyIsHTML = false
            }
            entry.author = name(item.authors, item.author)
            entry.published = item.date_published
            entry.updated = item.date_modified
            entry.language = item.language
            entry.attachments = (item.attachments ?? []).map {
                Attachment(url: $0.url, mediaType: $0.mime_type, description: $0.title)
            }
            return entry
        }
        if feed.entries.isEmpty { feed.emptyReason = "its items list is empty" }
        return feed
    }

    private static func name(_ authors: [Person]?, _ author: Person?) -> String? {
        (authors?.first { $0.name?.isEmpty == false } ?? author)?.name
    }

    private static func describe(_ error: any Error) -> String {
        // The connector prefixes the URL; strip the one `ResponseProblem` puts in.
        let sentence = ResponseProblem.decoding(error, url: "", expected: "a JSON Feed")
        var reason = sentence.hasPrefix(" returned ") ? String(sentence.dropFirst(" returned ".count)) : sentence
        if reason.hasSuffix(".") { reason.removeLast() }
        return reason
    }
}
