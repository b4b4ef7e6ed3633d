/// Turns the HTML a platform sends (Mastodon content, feed descriptions) into the
/// plain text that is journaled, searched and decided on. Markup is dropped and never
/// rendered; entities are decoded; a link whose label hides its address keeps the
/// address in parentheses, so no destination is lost from the record.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        var html = html
        return html.withUTF8 { plainText(bytes: $0) }
    }

    /// The work of `plainText`, on UTF-8 bytes: it runs for every item captured, and
    /// walking bytes instead of Characters made ingest several times faster. Every byte
    /// that matters to HTML (`<`, `>`, `&`, quotes, blanks) is ASCII, so multi-byte
    /// characters pass through untouched.
    static func plainText(bytes input: UnsafeBufferPointer<UInt8>) -> String {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&")
        guard input.contains(lt) || input.contains(amp) else { return normaliseSpace(bytes: input) }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var linkStack: [(href: String?, labelStart: Int)] = []
        var skipUntil: [UInt8]? = nil   // inside <script> or <style>
        var i = 0
        let n = input.count

        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        /// Whether the text so far ends in a blank line. Takes `out` as an argument: a nested
        /// function that captured it made every access to `out` a dynamic exclusivity check.
        func endsWithBlankLine(_ out: [UInt8]) -> Bool {
            out.count >= 2 && out[out.count - 1] == 0x0A && out[out.count - 2] == 0x0A
        }
        let newline = UInt8(ascii: "\n")

        while i < n {
            let c = input[i]
            if c == lt {
                let next: UInt8? = i + 1 < n ? input[i + 1] : nil
                // Markup starts with a letter, '/', '!' or '?'; "3 < 5" is text, even
                // when a '>' follows later ("3 < 5 and 6 > 4" must not lose a word).
                let opensTag = next.map { isLetter($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "!") || $0 == UInt8(ascii: "?") } ?? false
                if opensTag, i + 3 < n, input[i + 1] == UInt8(ascii: "!"), input[i + 2] == UInt8(ascii: "-"), input[i + 3] == UInt8(ascii: "-") {
                    // A comment ends at "-->", whatever '>' it holds.
                    var j = i + 4
                    while j + 2 < n, !(input[j] == UInt8(ascii: "-") && input[j + 1] == UInt8(ascii: "-") && input[j + 2] == gt) { j += 1 }
                    i = j + 2 < n ? j + 3 : n
                    continue
                }
                var close = i + 1
                while close < n, input[close] != gt { close += 1 }
                guard opensTag, close < n else {
                    // A lone '<' is text, not markup.
                    out.append(c)
                    i += 1
                    continue
                }
                let tagStart = i + 1
                i = close + 1
                var k = tagStart
                let isClosing = input[k] == UInt8(ascii: "/")
                if isClosing { k += 1 }
                var name: [UInt8] = []
                while k < close, isLetter(input[k]) || (input[k] >= 0x30 && input[k] <= 0x39) {
                    name.append(input[k] | (isLetter(input[k]) ? 0x20 : 0))
                    k += 1
                }
                if let skip = skipUntil {
                    if isClosing && name == skip { skipUntil = nil }
                    continue
                }
                switch String(decoding: name, as: UTF8.self) {
                case "script", "style":
                    if !isClosing { skipUntil = name }
                case "br":
                    out.append(newline)
                case "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "pre":
                    if !out.isEmpty && !endsWithBlankLine(out) {
                        if out.last == newline { out.append(newline) } else { out += [newline, newline] }
                    }
                    if !isClosing && name == Array("li".utf8) { out += Array("- ".utf8) }
                case "a":
                    if isClosing {
                        if let link = linkStack.popLast(), let href = link.href, link.labelStart <= out.count {
                            let label = String(decoding: out[link.labelStart...], as: UTF8.self).trimmingSpaces
                            if shouldAppend(href: href, label: label) { out += Array(" (\(href))".utf8) }
                        }
                    } else {
                        let tag = String(decoding: UnsafeBufferPointer(rebasing: input[tagStart..<close]), as: UTF8.self)
                        linkStack.append((attribute("href", in: tag).map(decodeEntities), out.count))
                    }
                case "img":
                    let tag = String(decoding: UnsafeBufferPointer(rebasing: input[tagStart..<close]), as: UTF8.self)
                    if let alt = attribute("alt", in: tag), !alt.isEmpty { out += Array("[\(decodeEntities(alt))]".utf8) }
                default:
                    break
                }
                continue
            }
            if skipUntil != nil {
                i += 1
                continue
            }
            if c == amp {
                var end = i + 1
                while end < n, end < i + 12, input[end] != UInt8(ascii: ";") { end += 1 }
                if end < n, input[end] == UInt8(ascii: ";") {
                    let entity = String(decoding: UnsafeBufferPointer(rebasing: input[i...end]), as: UTF8.self)
                    let decoded = decodeEntities(entity)
                    if decoded != entity {
                        out += Array(decoded.utf8)
                        i = end + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return out.withUnsafeBufferPointer { normaliseSpace(bytes: $0) }
    }

    private static func shouldAppend(href: String, label: String) -> Bool {
        guard !label.isEmpty, href.hasPrefix("http") else { return false }
        if label.hasPrefix("#") || label.hasPrefix("@") { return false }
        let bare = href.replacingPrefix("https://").replacingPrefix("http://")
        let bareLabel = label.replacingPrefix("https://").replacingPrefix("http://")
        if bare.hasPrefix(bareLabel.trimmingCharacters(in: "…")) { return false }
        return !label.contains(bare)
    }

    /// The value of `name="…"` (or single-quoted, or bare) in a tag's text. The name is
    /// matched without regard to ASCII case; walked as bytes, since it runs for every link.
    static func attribute(_ name: String, in tag: String) -> String? {
        let t = Array(tag.utf8)
        let n = Array(name.lowercased().utf8)
        guard !n.isEmpty else { return nil }
        let space = UInt8(ascii: " "), equals = UInt8(ascii: "=")
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        var search = 0
        while search + n.count <= t.count {
            var at = search
            while at + n.count <= t.count {
                var k = 0
                while k < n.count, lower(t[at + k]) == n[k] { k += 1 }
                if k == n.count { break }
                at += 1
            }
            guard at + n.count <= t.count else { return nil }
            search = at + n.count
            if at > 0 {
                let before = t[at - 1]
                guard before == space || before == UInt8(ascii: "\t") || before == UInt8(ascii: "\n") else { continue }
            }
            var i = at + n.count
            while i < t.count, t[i] == space { i += 1 }
            guard i < t.count, t[i] == equals else { continue }
            i += 1
            while i < t.count, t[i] == space { i += 1 }
            guard i < t.count else { return "" }
            let quote = t[i]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let start = i + 1
                var end = start
                while end < t.count, t[end] != quote { end += 1 }
                return String(decoding: t[start..<end], as: UTF8.self)
            }
            var end = i
            while end < t.count, t[end] != space, t[end] != UInt8(ascii: ">"), t[end] != UInt8(ascii: "/") { end += 1 }
            return String(decoding: t[i..<end], as: UTF8.self)
        }
        return nil
    }

    /// Decodes named (`HTMLEntities`, all of HTML 4) and numeric character references;
    /// unknown ones stay as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
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
                replacement = HTMLEntities.named[String(name)]
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
        var text = text
        return text.withUTF8 { normaliseSpace(bytes: $0) }
    }

    /// Blanks are space, tab and no-break space (C2 A0); newlines are LF, CR and CR LF.
    static func normaliseSpace(bytes input: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var pendingSpace = false
        var newlines = 0
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            if b == 0x0A || b == 0x0D {
                newlines += 1
                pendingSpace = false
                if b == 0x0D, i + 1 < n, input[i + 1] == 0x0A { i += 1 }
                i += 1
            } else if b == 0x20 || b == 0x09 {
                pendingSpace = true
                i += 1
            } else if b == 0xC2, i + 1 < n, input[i + 1] == 0xA0 {
                pendingSpace = true
                i += 2
            } else {
                if !out.isEmpty {
                    if newlines > 0 { out += newlines > 1 ? [0x0A, 0x0A] : [0x0A] } else if pendingSpace { out.append(0x20) }
                }
                newlines = 0
                pendingSpace = false
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
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
