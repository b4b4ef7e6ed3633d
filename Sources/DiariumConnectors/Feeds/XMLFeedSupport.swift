import DiariumCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What RSS and Atom parsing share: running `XMLParser` safely over bytes from the
/// internet into an `XMLFeedElement` tree, the character encoding, and the namespaces
/// both formats meet.
enum XMLFeedSupport {
    static let atomNS = "http://www.w3.org/2005/Atom"
    static let atom03NS = "http://purl.org/atom/ns#"
    static let tombstoneNS = "http://purl.org/atompub/tombstones/1.0"
    static let contentNS = "http://purl.org/rss/1.0/modules/content/"
    static let dcNS = "http://purl.org/dc/elements/1.1/"
    static let dctermsNS = "http://purl.org/dc/terms/"
    /// Media RSS; the second is a spelling (without the slash) that publishers use too.
    static let mediaNS: Set<String> = ["http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"]
    static let itunesNS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let rss10NS = "http://purl.org/rss/1.0/"
    static let rss090NS = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdfNS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xhtmlNS = "http://www.w3.org/1999/xhtml"
    /// The RSS 1.0 enclosure module (`enc:enclosure rdf:resource=… enc:type=…`).
    static let encNS = "http://purl.oclc.org/net/rss_2.0/enc#"

    /// Parses `data` into a tree. `charset` is the HTTP `Content-Type` charset, when the
    /// server sent one (see `XMLFeedEncoding` for which encoding wins). External
    /// entities are never resolved (no XXE); entity references FoundationXML would
    /// lose are settled first (`XMLFeedEntities`).
    static func parse(_ data: Data, charset: String? = nil) throws(FeedParseError) -> XMLFeedElement {
        var first: String?
        for candidate in XMLFeedEncoding.candidates(data, httpCharset: charset) {
            let input = candidate.asciiCompatible ? Data(XMLFeedEntities.settle([UInt8](candidate.bytes))) : candidate.bytes
            let builder = XMLTreeBuilder()
            if run(input, builder), let root = builder.root { return root }
            if first == nil { first = builder.failure }
        }
        throw FeedParseError("malformed XML (\(first ?? "the parser stopped"))")
    }

    private static func run(_ data: Data, _ builder: XMLTreeBuilder) -> Bool {
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        // FoundationXML can report an error to the delegate and still return true;
        // either one makes the document malformed.
        if parser.parse(), builder.failure == nil { return true }
        if builder.failure == nil {
            let reason = parser.parserError.map { describe(($0 as NSError).code) } ?? "the parser stopped"
            builder.failure = "line \(parser.lineNumber): \(reason)"
        }
        return false
    }

    /// A readable name for libxml2's error codes (FoundationXML's messages are empty).
    static func describe(_ code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends too early"
        case 9: return "an invalid character"
        case 26: return "an undefined entity"
        case 32: return "an encoding the parser does not know"
        case 38, 39, 41: return "a broken attribute"
        case 64: return "a missing XML declaration end"
        case 73: return "a missing '>'"
        case 76: return "a closing tag that does not match its opening tag"
        case 77: return "a missing closing tag"
        case 85: return "an element that is never closed"
        default:
            return XMLParser.ErrorCode(rawValue: code).map { "\($0)" } ?? "XML error \(code)"
        }
    }

    /// Drops a UTF-8 byte-order mark and blanks before the first `<`: an XML
    /// declaration must come first, and stray newlines there are common.
    static func trimmedStart(_ data: Data) -> Data {
        var start = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        while start < data.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[start]) { start += 1 }
        return start == data.startIndex ? data : Data(data[start...])
    }

    /// The value of an attribute whether or not the parser kept its prefix.
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let v = attributes[name] { return v }
        for (key, value) in attributes where key.hasSuffix(":" + name) { return value }
        return nil
    }

    /// Trimmed text, nil when empty.
    static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Resolves a link relative to the feed's own URL (`/news/1` → `https://host/news/1`).
    static func resolve(_ link: String?, against base: String?) -> String? {
        guard let link = clean(link) else { return nil }
        guard !link.contains("://"), let base, let url = URL(string: link, relativeTo: URL(string: base)) else { return link }
        return url.absoluteString
    }
}
