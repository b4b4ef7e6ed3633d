import DiariumCore
import Foundation

/// The three web-feed formats. The format is read from the body, never from the
/// content type: feeds are served as `text/xml`, `application/octet-stream` or
/// `text/plain` often enough that the header cannot be trusted.
public enum FeedFormat: String, Sendable, Hashable {
    case rss, atom, jsonFeed

    /// The format of `data`, or nil when it is none of the three (HTML, plain text, an
    /// unknown XML root). Looks only at the first element, so it is cheap.
    public static func detect(_ data: Data) -> FeedFormat? {
        let head = leadingText(data, limit: 4096)
        guard let first = head.first else { return nil }
        if first == "{" { return .jsonFeed }
        guard first == "<", let root = rootElementName(head) else { return nil }
        let local = root.split(separator: ":").last.map(String.init)?.lowercased() ?? ""
        switch local {
        case "rss", "rdf": return .rss
        case "feed": return .atom
        default: return nil
        }
    }

    /// The start of the body as text, after a UTF-8 (or UTF-16) byte-order mark and
    /// leading blanks, at most `limit` bytes.
    static func leadingText(_ data: Data, limit: Int) -> String {
        var bytes = data.prefix(limit)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes = bytes.dropFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            // UTF-16 with a BOM: decode enough to see the first element.
            let utf16 = String(data: Data(data.prefix(limit * 2)), encoding: .utf16) ?? ""
            return String(utf16.drop { $0.isWhitespace || $0 == "\u{FEFF}" })
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.drop { $0.isWhitespace })
    }

    /// The name of the first element, skipping the XML declaration, processing
    /// instructions, comments and a DOCTYPE.
    static func rootElementName(_ text: String) -> String? {
        var rest = Substring(text)
        while let lt = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: lt)...]
            if rest.hasPrefix("?") {
                guard let end = rest.range(of: "?>") else { return nil }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("!--") {
                guard let end = rest.range(of: "-->") else { return nil }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("!") {
                // A DOCTYPE's internal subset holds declarations, comments and quoted
                // values, any of which may contain '>': skip to the ']' that closes it.
                if let open = rest.firstIndex(where: { $0 == "[" || $0 == ">" }), rest[open] == "[" {
                    guard let close = subsetEnd(rest[rest.index(after: open)...]) else { return nil }
                    rest = rest[close...]
                }
                guard let end = rest.firstIndex(of: ">") else { return nil }
                rest = rest[rest.index(after: end)...]
            } else {
                let name = rest.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
                return name.isEmpty ? nil : String(name)
            }
        }
        return nil
    }

    /// The index of the `]` closing a DOCTYPE's internal subset, skipping quoted values
    /// and comments.
    private static func subsetEnd(_ text: Substring) -> Substring.Index? {
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "]" { return i }
            if c == "\"" || c == "'" {
                guard let close = text[text.index(after: i)...].firstIndex(of: c) else { return nil }
                i = close
            } else if text[i...].hasPrefix("<!--") {
                guard let close = text[i...].range(of: "-->") else { return nil }
                i = text.index(before: close.upperBound)
            }
            i = text.index(after: i)
        }
        return nil
    }
}

/// One entry of any feed format, before normalisation. Dates stay text so a bad date
/// costs the date, not the entry.
public struct FeedEntry: Sendable, Hashable {
    /// Atom `id`, RSS `guid`, JSON Feed `id`; nil when the entry has none.
    public var id: String?
    public var url: String?
    public var title: String?
    /// True when `title` is HTML (Atom `type="html"`/`"xhtml"`).
    public var titleIsHTML = false
    /// The entry's body: `content:encoded` / `xhtml:body` / `description`, Atom
    /// `content` / `summary`, JSON Feed `content_html` / `content_text`, else an
    /// extension's (`FeedExtensions`).
    public var body: String?
    public var bodyIsHTML = true
    public var author: String?
    public var published: String?
    public var updated: String?
    public var language: String?
    public var attachments: [Attachment] = []

    public init(id: String? = nil, url: String? = nil, title: String? = nil, body: String? = nil) {
        self.id = id
        self.url = url
        self.title = title
        self.body = body
    }
}

/// An Atom tombstone (RFC 6721 `at:deleted-entry`): the publisher says `ref` is gone.
public struct FeedTombstone: Sendable, Hashable {
    public var ref: String
    public var when: String?

    public init(ref: String, when: String?) {
        self.ref = ref
        self.when = when
    }
}

/// A parsed feed of any format.
public struct ParsedFeed: Sendable, Hashable {
    public var format: FeedFormat
    public var title: String?
    /// The feed-level author, used for entries that name none.
    public var author: String?
    public var language: String?
    public var link: String?
    public var entries: [FeedEntry] = []
    public var tombstones: [FeedTombstone] = []
    /// Why a well-formed document yielded no entry (`the channel holds no <item>`), for
    /// the log; nil when there are entries.
    public var emptyReason: String?

    public init(format: FeedFormat) {
        self.format = format
    }
}

/// Why a body is not a readable feed; `reason` completes a sentence that begins
/// with the feed's URL.
public struct FeedParseError: Error, Sendable, Hashable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
