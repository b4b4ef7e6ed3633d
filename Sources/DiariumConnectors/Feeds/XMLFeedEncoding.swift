import Foundation

/// Which character encoding a feed document is read in. RFC 7303 (XML media types,
/// which replaced RFC 3023) decides, for `application/*+xml`, `application/xml` and
/// `text/xml` alike:
///
/// 1. A byte-order mark wins over everything (RFC 7303 § 3.3).
/// 2. Else the `charset` parameter of the HTTP `Content-Type` wins over the document's
///    own XML declaration (§ 3.2: the charset parameter is authoritative when present).
/// 3. Else the XML declaration's `encoding`, else UTF-8 (XML 1.0 § 4.3.3).
///
/// The chosen encoding is handed to libxml2 by writing it into the XML declaration
/// of the bytes given to the parser (so every encoding libxml2 knows is readable:
/// windows-1252, ISO-8859-*, KOI8-R, Shift_JIS, …). The captured bytes are never
/// changed. One departure, so a wrong server default does not cost the feed: when
/// the HTTP charset cannot read the document (invalid bytes, an unknown name) but
/// the document's own declaration can, the document is read as it declares.
enum XMLFeedEncoding {
    struct Candidate {
        var bytes: Data
        /// False for UTF-16/32, which only the parser itself reads.
        var asciiCompatible: Bool
    }

    /// The inputs to try, in order, for a document received with `httpCharset`.
    static func candidates(_ data: Data, httpCharset: String?) -> [Candidate] {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            return [Candidate(bytes: data, asciiCompatible: false)]
        }
        let hadUTF8BOM = data.starts(with: [0xEF, 0xBB, 0xBF])
        let body = XMLFeedSupport.trimmedStart(data)
        // UTF-16 or UTF-32 without a mark (`<` next to a zero byte): libxml2 detects it.
        if body.count >= 2, body[body.startIndex] == 0 || body[body.startIndex + 1] == 0 {
            return [Candidate(bytes: body, asciiCompatible: false)]
        }
        let declared = declaredEncoding(body)
        if hadUTF8BOM {
            let utf8 = declared.map { same($0, "utf-8") } ?? true
            return [Candidate(bytes: utf8 ? body : declaring("UTF-8", in: body), asciiCompatible: true)]
        }
        if let http = httpCharset.flatMap(usable), !same(http, declared ?? "utf-8") {
            return [Candidate(bytes: declaring(http, in: body), asciiCompatible: true),
                    Candidate(bytes: body, asciiCompatible: true)]
        }
        return [Candidate(bytes: body, asciiCompatible: true)]
    }

    /// The `charset` parameter of a `Content-Type` value (`text/xml; charset="windows-1252"`).
    static func charset(fromContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// A charset name that can go into an XML declaration and describes bytes in which
    /// `<` is the ASCII byte (not UTF-16/32, which need a mark or the parser's detection).
    private static func usable(_ name: String) -> String? {
        guard !name.isEmpty, name.count <= 40,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        let key = normalised(name)
        guard !key.hasPrefix("utf16"), !key.hasPrefix("utf32"), !key.hasPrefix("ucs2"), !key.hasPrefix("ucs4"), key != "unicode" else { return nil }
        return name
    }

    private static func normalised(_ name: String) -> String {
        name.lowercased().filter { $0 != "-" && $0 != "_" }
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        normalised(a) == normalised(b)
    }

    /// The `encoding` of the XML declaration at the start of `body`, if any.
    static func declaredEncoding(_ body: Data) -> String? {
        guard let decl = declaration(body), let value = decl.encoding else { return nil }
        return String(decoding: body[value], as: UTF8.self)
    }

    /// The declaration's extent and where its `version` and `encoding` values are.
    private static func declaration(_ body: Data) -> (end: Int, versionEnd: Int?, encoding: Range<Int>?)? {
        let start = body.startIndex
        guard body.starts(with: Array("<?xml".utf8)), body.count > 6, [0x20, 0x09, 0x0A, 0x0D].contains(body[start + 5]) else { return nil }
        let limit = min(body.endIndex, start + 512)
        var end: Int?
        var i = start + 5
        while i + 1 < limit {
            if body[i] == UInt8(ascii: "?"), body[i + 1] == UInt8(ascii: ">") { end = i; break }
            i += 1
        }
        guard let end else { return nil }
        /// The quoted value after `name`, as a range of `body`.
        func value(of name: String) -> Range<Int>? {
            let pattern = Array(name.utf8)
            var i = start + 5
            while i + pattern.count < end {
                if body[i..<(i + pattern.count)].elementsEqual(pattern) {
                    var j = i + pattern.count
                    while j < end, [0x20, 0x09, 0x0A, 0x0D].contains(body[j]) { j += 1 }
                    guard j < end, body[j] == UInt8(ascii: "=") else { i += 1; continue }
                    j += 1
                    while j < end, [0x20, 0x09, 0x0A, 0x0D].contains(body[j]) { j += 1 }
                    guard j < end, body[j] == UInt8(ascii: "\"") || body[j] == UInt8(ascii: "'") else { return nil }
                    let quote = body[j]
                    var k = j + 1
                    while k < end, body[k] != quote { k += 1 }
                    return k < end ? (j + 1)..<k : nil
                }
                i += 1
            }
            return nil
        }
        return (end, value(of: "version").map { $0.upperBound + 1 }, value(of: "encoding"))
    }

    /// `body` with its XML declaration saying `encoding` (replaced, added, or a whole
    /// declaration put in front when there is none).
    static func declaring(_ encoding: String, in body: Data) -> Data {
        guard let decl = declaration(body) else {
            return Data("<?xml version=\"1.0\" encoding=\"\(encoding)\"?>".utf8) + body
        }
        var out = Data()
        if let range = decl.encoding {
            out += body[body.startIndex..<range.lowerBound]
            out += Data(encoding.utf8)
            out += body[range.upperBound...]
        } else {
            // The encoding declaration goes right after the version (XML 1.0 § 2.8).
            let at = decl.versionEnd ?? (body.startIndex + 5)
            out += body[body.startIndex..<at]
            out += Data(" encoding=\"\(encoding)\"".utf8)
            out += body[at...]
        }
        return out
    }
}
