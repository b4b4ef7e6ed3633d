/// Turns the HTML a platform sends (Mastodon content, feed descriptions) into the
/// plain text that is journaled, searched and decided on. Markup is dropped and never
/// rendered; entities are decoded; a link whose label hides its address keeps the
/// address in parentheses, so no destination is lost from the record.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return normaliseSpace(html) }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var scalars = html.unicodeScalars[...]
        var linkStack: [(href: String?, labelStart: String.Index)] = []
        var skipUntil: String? = nil   // inside <script> or <style>

        while let c = scalars.first {
            if c == "<" {
                let next = scalars.dropFirst().first
                // Markup starts with a letter, '/', '!' or '?'; "3 < 5" is text, even
                // when a '>' follows later ("3 < 5 and 6 > 4" must not lose a word).
                let opensTag = next.map { $0.properties.isAlphabetic || $0 == "/" || $0 == "!" || $0 == "?" } ?? false
                if opensTag, scalars.starts(with: "<!--".unicodeScalars) {
                    // A comment ends at "-->", whatever '>' it holds.
                    let rest = String(String.UnicodeScalarView(scalars))
                    if let end = rest.range(of: "-->") {
                        scalars = Substring(rest[end.upperBound...]).unicodeScalars
                    } else {
                        scalars = scalars[scalars.endIndex...]
                    }
                    continue
                }
                guard opensTag, let close = scalars.firstIndex(of: ">") else {
                    // A lone '<' is text, not markup.
                    out.unicodeScalars.append(c)
                    scalars = scalars.dropFirst()
                    continue
                }
                let tag = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
                scalars = scalars[scalars.index(after: close)...]
                let (name, isClosing) = tagName(tag)
                if let skip = skipUntil {
                    if isClosing && name == skip { skipUntil = nil }
                    continue
                }
                switch name {
                case "script", "style":
                    if !isClosing { skipUntil = name }
                case "br":
                    out += "\n"
                case "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "pre":
                    if !out.isEmpty && !out.hasSuffix("\n\n") { out += out.hasSuffix("\n") ? "\n" : "\n\n" }
                    if !isClosing && name == "li" { out += "- " }
                case "a":
                    if isClosing {
                        if let link = linkStack.popLast(), let href = link.href {
                            let label = String(out[link.labelStart...]).trimmingSpaces
                            if shouldAppend(href: href, label: label) { out += " (\(href))" }
                        }
                    } else {
                        linkStack.append((attribute("href", in: tag).map(decodeEntities), out.endIndex))
                    }
                case "img":
                    if let alt = attribute("alt", in: tag), !alt.isEmpty { out += "[\(decodeEntities(alt))]" }
                default:
                    break
                }
                continue
            }
            if skipUntil != nil {
                scalars = scalars.dropFirst()
                continue
            }
            if c == "&" {
                let end = scalars.prefix(12).firstIndex(of: ";")
                if let end {
                    let entity = String(String.UnicodeScalarView(scalars[scalars.startIndex...end]))
                    let decoded = decodeEntities(entity)
                    if decoded != entity {
                        out += decoded
                        scalars = scalars[scalars.index(after: end)...]
                        continue
                    }
                }
            }
            out.unicodeScalars.append(c)
            scalars = scalars.dropFirst()
        }
        return normaliseSpace(out)
    }

    private static func shouldAppend(href: String, label: String) -> Bool {
        guard !label.isEmpty, href.hasPrefix("http") else { return false }
        if label.hasPrefix("#") || label.hasPrefix("@") { return false }
        let bare = href.replacingPrefix("https://").replacingPrefix("http://")
        let bareLabel = label.replacingPrefix("https://").replacingPrefix("http://")
        if bare.hasPrefix(bareLabel.trimmingCharacters(in: "…")) { return false }
        return !label.contains(bare)
    }

    private static func tagName(_ tag: String) -> (String, Bool) {
        var body = Substring(tag)
        let closing = body.hasPrefix("/")
        if closing { body = body.dropFirst() }
        let name = body.prefix { $0.isLetter || $0.isNumber }
        return (name.lowercased(), closing)
    }

    /// The value of `name="…"` (or single-quoted, or bare) in a tag's text.
    static func attribute(_ name: String, in tag: String) -> String? {
        let lower = tag.lowercased()
        var search = lower.startIndex
        while let range = lower.range(of: name, range: search..<lower.endIndex) {
            search = range.upperBound
            if range.lowerBound > lower.startIndex {
                let before = lower[lower.index(before: range.lowerBound)]
                guard before == " " || before == "\t" || before == "\n" else { continue }
            }
            var i = range.upperBound
            while i < lower.endIndex, lower[i] == " " { i = lower.index(after: i) }
            guard i < lower.endIndex, lower[i] == "=" else { continue }
            i = lower.index(after: i)
            while i < lower.endIndex, lower[i] == " " { i = lower.index(after: i) }
            guard i < lower.endIndex else { return "" }
            let quote = lower[i]
            if quote == "\"" || quote == "'" {
                let start = lower.index(after: i)
                let end = tag[start...].firstIndex(of: quote) ?? tag.endIndex
                return String(tag[start..<end])
            }
            let end = tag[i...].firstIndex(where: { $0 == " " || $0 == ">" || $0 == "/" }) ?? tag.endIndex
            return String(tag[i..<end])
        }
        return nil
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "hellip": "…",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "laquo": "«", "raquo": "»", "aring": "å", "Aring": "Å", "aelig": "æ", "AElig": "Æ",
        "oslash": "ø", "Oslash": "Ø", "auml": "ä", "Auml": "Ä", "ouml": "ö", "Ouml": "Ö",
        "uuml": "ü", "Uuml": "Ü", "eacute": "é", "Eacute": "É", "egrave": "è", "copy": "©",
        "reg": "®", "euro": "€", "shy": "", "zwj": "", "zwnj": "",
    ]

    /// Decodes named and numeric character references; unknown ones stay as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let name = rest[rest.index(after: rest.startIndex)..<semi]
            var replacement: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                if let v = UInt32(name.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) { replacement = String(Character(s)) }
            } else if name.hasPrefix("#") {
                if let v = UInt32(name.dropFirst()), let s = Unicode.Scalar(v) { replacement = String(Character(s)) }
            } else {
                replacement = named[String(name)]
            }
            if let replacement {
                out += replacement
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        out += rest
        return out
    }

    /// Collapses runs of blanks, keeps at most one empty line, trims the ends.
    static func normaliseSpace(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var newlines = 0
        for ch in text {
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                newlines += 1
                pendingSpace = false
            } else if ch == " " || ch == "\t" || ch == "\u{00A0}" {
                pendingSpace = true
            } else {
                if !out.isEmpty {
                    if newlines > 0 { out += newlines > 1 ? "\n\n" : "\n" } else if pendingSpace { out += " " }
                }
                newlines = 0
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String { trimmingCharacters(in: " \n\t") }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }

    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
