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

    /// What a libxml2 error code means, in words a records officer can read in a log
    /// line or a quarantine note. The parser reports libxml2's own `xmlParserErrors`
    /// numbers, and FoundationXML's messages are empty; `XMLParser.ErrorCode`'s names
    /// do not line up with those numbers (89, libxml2's entity loop, is its
    /// `invalidURIError`), so they are never shown. An unknown code is named by number.
    static func describe(_ code: Int) -> String {
        libxml2Errors[code] ?? "XML error \(code) (libxml2)"
    }

    /// libxml2's `xmlParserErrors` (include/libxml/xmlerror.h) that a feed can meet.
    static let libxml2Errors: [Int: String] = [
        1: "an internal error of the XML parser",
        2: "the XML parser ran out of memory",
        3: "the document does not start like XML",
        4: "the document is empty or does not start with an element",
        5: "content after the end of the root element",
        6: "an invalid hexadecimal character reference",
        7: "an invalid decimal character reference",
        8: "an invalid character reference",
        9: "an invalid character (bytes not valid in the document's encoding, or a character XML does not allow)",
        10: "a character reference at the end of the document",
        11: "a character reference before the root element",
        12: "a character reference after the root element",
        13: "a character reference in the document type declaration",
        14: "an entity reference at the end of the document",
        15: "an entity reference before the root element",
        16: "an entity reference after the root element",
        17: "an entity reference in the document type declaration",
        18: "a parameter entity reference at the end of the document",
        19: "a parameter entity reference before the root element",
        20: "a parameter entity reference after the root element",
        21: "a parameter entity reference inside a declaration of the document type declaration",
        22: "an & without an entity name (write &amp;)",
        23: "an entity reference without its closing ;",
        24: "a % without a parameter entity name",
        25: "a parameter entity reference without its closing ;",
        26: "an entity that is not declared",
        27: "an entity that is not declared",
        28: "a reference to an unparsed entity",
        29: "a reference to an external entity, which is never read",
        30: "a parameter entity used as text",
        31: "an unknown character encoding",
        32: "an encoding the parser does not support",
        33: "a quoted value that does not start with a quote",
        34: "a quoted value that is never closed",
        35: "a malformed namespace declaration",
        36: "an entity value that does not start with a quote",
        37: "an entity value that is never closed",
        38: "a < inside an attribute value",
        39: "an attribute value without quotes",
        40: "an attribute value that is never closed",
        41: "an attribute without a value",
        42: "an attribute given twice in one element",
        43: "a system or public identifier that does not start with a quote",
        44: "a system or public identifier that is never closed",
        45: "a comment that is never closed",
        46: "a malformed processing instruction",
        47: "a processing instruction that is never closed",
        48: "a malformed notation declaration",
        49: "a notation declaration that is never closed",
        50: "a malformed attribute list declaration",
        51: "an attribute list declaration that is never closed",
        52: "a malformed mixed content declaration",
        53: "a mixed content declaration that is never closed",
        54: "a malformed element content declaration",
        55: "an element content declaration that is never closed",
        56: "a malformed XML declaration",
        57: "an XML declaration that is never closed",
        58: "a malformed conditional section",
        59: "a conditional section that is never closed",
        60: "an external DTD subset that is never closed",
        61: "a document type declaration (DOCTYPE) that is never closed",
        62: "a stray ]]> outside a CDATA section",
        63: "a CDATA section that is never closed",
        64: "an XML declaration that is not at the very start of the document",
        65: "a missing space",
        66: "a missing separator in a declaration",
        67: "a missing name token",
        68: "a < or & not followed by a name (write &lt; and &amp; in text)",
        69: "missing #PCDATA in a declaration",
        70: "a missing system identifier (URI)",
        71: "a missing public identifier",
        72: "a missing <",
        73: "a missing >",
        74: "a missing </",
        75: "an attribute without =",
        76: "a closing tag that does not match its opening tag",
        77: "a tag that is never finished",
        78: "an invalid standalone value in the XML declaration",
        79: "a malformed encoding name in the XML declaration",
        80: "-- inside a comment",
        81: "bytes that are not valid in the document's encoding",
        82: "an external entity in a standalone document",
        83: "a malformed conditional section",
        84: "a declaration without its value",
        85: "an element that is never closed",
        86: "extra content at the end of the document",
        87: "an entity that is not well-formed",
        88: "a parameter entity inside a declaration of the internal DTD subset",
        89: "entity expansion refused: the document type declaration defines entities that refer to themselves or expand without bound (an entity bomb such as \"billion laughs\")",
        90: "an entity that ends inside a tag or starts one it does not finish",
        91: "an invalid URI in the document type declaration",
        92: "a URI with a fragment in the document type declaration",
        94: "no document type declaration to validate against",
        95: "an unknown keyword in a conditional section",
        96: "an XML declaration without a version",
        97: "an unknown XML version",
        101: "an XML declaration without an encoding where one is required",
        103: "a document that says it is standalone but is not",
        104: "entity processing refused",
        105: "notation processing refused",
        108: "an XML version the parser does not know",
        109: "an XML version that does not match",
        110: "a name longer than the parser accepts",
        111: "parsing stopped",
        200: "a misused xml: namespace prefix",
        201: "an element or attribute prefix with no namespace declared",
        202: "a malformed qualified name",
        203: "an attribute given twice in one element (with namespaces)",
        204: "an empty namespace name",
        205: "a name with a misplaced colon",
    ]

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
