import DiariumCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What RSS and Atom parsing share: running `XMLParser` safely over bytes from the
/// internet, and the namespaces both formats meet.
enum XMLFeedSupport {
    static let atomNS = "http://www.w3.org/2005/Atom"
    static let atom03NS = "http://purl.org/atom/ns#"
    static let tombstoneNS = "http://purl.org/atompub/tombstones/1.0"
    static let contentNS = "http://purl.org/rss/1.0/modules/content/"
    static let dcNS = "http://purl.org/dc/elements/1.1/"
    static let mediaNS = "http://search.yahoo.com/mrss/"
    static let rss10NS = "http://purl.org/rss/1.0/"
    static let xhtmlNS = "http://www.w3.org/1999/xhtml"

    /// Parses `data` with `delegate`. External entities are never resolved (no XXE).
    /// HTML entities that XML does not define (`&nbsp;`, `&aring;` — common in feeds
    /// written by hand or by HTML templates) would make the parse fail, so after such a
    /// failure they are rewritten as numeric references and the parse runs once more.
    static func parse(_ data: Data, delegate: any XMLParserDelegate & XMLFeedDelegate) throws(FeedParseError) {
        let input = trimmedStart(data)
        if run(input, delegate) { return }
        let first = delegate.failure
        let rewritten = numericHTMLEntities(input)
        if rewritten != input {
            delegate.reset()
            if run(rewritten, delegate) { return }
        }
        throw FeedParseError("malformed XML (\(first ?? "the parser stopped"))")
    }

    private static func run(_ data: Data, _ delegate: any XMLParserDelegate & XMLFeedDelegate) -> Bool {
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        delegate.failure = nil
        // FoundationXML can report an error to the delegate and still return true;
        // either one makes the document malformed.
        if parser.parse(), delegate.failure == nil { return true }
        if delegate.failure == nil {
            let reason = parser.parserError.map { describe(($0 as NSError).code) } ?? "the parser stopped"
            delegate.failure = "line \(parser.lineNumber): \(reason)"
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

    /// Rewrites `&name;` references XML does not predefine as `&#N;` when HTML knows them.
    static func numericHTMLEntities(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "&") {
                var j = i + 1
                while j < bytes.count, j - i <= 10, (bytes[j] >= 0x41 && bytes[j] <= 0x5A) || (bytes[j] >= 0x61 && bytes[j] <= 0x7A) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: ";"), j > i + 1 {
                    let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                    if !["amp", "lt", "gt", "quot", "apos"].contains(name) {
                        let decoded = HTMLText.decodeEntities("&\(name);")
                        if decoded != "&\(name);" {
                            for scalar in decoded.unicodeScalars { out += Array("&#\(scalar.value);".utf8) }
                            i = j + 1
                            continue
                        }
                    }
                }
            }
            out.append(b)
            i += 1
        }
        return Data(out)
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

/// The part of a feed delegate the shared runner needs.
protocol XMLFeedDelegate: AnyObject {
    /// Called by the delegates' `parseErrorOccurred`: records the first error.
    func noteError(_ parser: XMLParser, _ error: any Error)
    /// Set by the runner when a parse fails: where and why.
    var failure: String? { get set }
    /// Forget everything parsed so far (before a second attempt).
    func reset()
}

extension XMLFeedDelegate {
    func noteError(_ parser: XMLParser, _ error: any Error) {
        guard failure == nil else { return }
        failure = "line \(parser.lineNumber): \(XMLFeedSupport.describe((error as NSError).code))"
    }
}
