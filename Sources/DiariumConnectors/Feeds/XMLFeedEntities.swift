import DiariumCore

/// Entity references, settled before the XML parser sees the document. FoundationXML
/// loses text at two kinds of reference, so both are rewritten into forms it reads:
///
/// - An entity declared in the document's internal DTD subset
///   (`<!DOCTYPE rss [<!ENTITY agency "Etaten">]>`) comes out of the parser as nothing,
///   or as the tail of its value. In character data its replacement text is put in
///   place of the reference, which is what XML defines it to mean (the text is then
///   parsed as content, so markup in it stays markup). In attribute values the parser
///   already expands them, and they are left to it.
/// - A named HTML entity (`&eacute;`, `&frac12;`) is not XML: it fails the document,
///   or vanishes when a DOCTYPE names an external DTD (which is never read). Every name
///   HTML 4 defines becomes a numeric reference, in text and in attribute values alike.
///   An unknown name under an external DTD is kept as the text `&name;` instead of
///   vanishing; without one it still fails the document (it is malformed).
///
/// External entities (`SYSTEM`/`PUBLIC`) are never expanded and never fetched: no file
/// and no URL is read because of what a feed says. CDATA sections, comments and
/// processing instructions are copied untouched. Expansion is bounded (depth, size,
/// no recursion), so an entity bomb is not expanded here.
enum XMLFeedEntities {
    /// The document with its entity references rewritten; `bytes` itself when nothing
    /// needs it (the common case: only `&amp;`, `&lt;` and numeric references).
    static func settle(_ bytes: [UInt8]) -> [UInt8] {
        guard needsWork(bytes) else { return bytes }
        var doctype = Doctype()
        let contentStart = doctype.read(bytes)
        var scanner = Scanner(entities: doctype.internalEntities, external: doctype.externalEntities,
                              keepUnknown: doctype.hasExternalSubset, limit: bytes.count * 4 + 1_000_000)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        out += bytes[..<contentStart]
        guard scanner.scan(bytes[contentStart...], depth: 0, into: &out) else { return bytes }
        return out
    }

    private static let predefined: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    /// A DOCTYPE, or a reference other than the five predefined ones and numeric ones.
    private static func needsWork(_ b: [UInt8]) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            if b[i] == UInt8(ascii: "&"), i + 1 < n, b[i + 1] != UInt8(ascii: "#") {
                var j = i + 1
                while j < n, j - i <= 32, isNameByte(b[j]) { j += 1 }
                if j < n, b[j] == UInt8(ascii: ";"), j > i + 1, !predefined.contains(String(decoding: b[(i + 1)..<j], as: UTF8.self)) {
                    return true
                }
            } else if b[i] == UInt8(ascii: "<"), i + 2 < n, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "D") || b[i + 2] == UInt8(ascii: "d") {
                return true
            }
            i += 1
        }
        return false
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private static func starts(_ b: ArraySlice<UInt8>, at i: Int, with s: String) -> Bool {
        let p = Array(s.utf8)
        guard i + p.count <= b.endIndex else { return false }
        return b[i..<(i + p.count)].elementsEqual(p)
    }

    /// Index just past the first `terminator` at or after `i`, or the end.
    private static func past(_ terminator: String, in b: ArraySlice<UInt8>, from i: Int) -> Int {
        let t = Array(terminator.utf8)
        var j = i
        while j + t.count <= b.endIndex {
            if b[j] == t[0], b[j..<(j + t.count)].elementsEqual(t) { return j + t.count }
            j += 1
        }
        return b.endIndex
    }

    /// The prolog's DOCTYPE: where content starts, and the entities it declares.
    private struct Doctype {
        var internalEntities: [String: ArraySlice<UInt8>] = [:]
        var externalEntities: Set<String> = []
        var hasExternalSubset = false

        /// Reads the prolog; returns the index where the document's content starts
        /// (after the DOCTYPE, or 0 when there is none).
        mutating func read(_ bytes: [UInt8]) -> Int {
            let b = bytes[...]
            var i = 0
            while i < b.count {
                if isBlank(b[i]) { i += 1; continue }
                if starts(b, at: i, with: "<?") { i = past("?>", in: b, from: i); continue }
                if starts(b, at: i, with: "<!--") { i = past("-->", in: b, from: i + 4); continue }
                guard starts(b, at: i, with: "<!DOCTYPE") else { return 0 }
                return readDoctype(b, from: i + 9)
            }
            return 0
        }

        private mutating func readDoctype(_ b: ArraySlice<UInt8>, from start: Int) -> Int {
            var i = start
            var header = [UInt8]()
            // The header: name and external id, up to `[` or `>`.
            while i < b.endIndex, b[i] != UInt8(ascii: "["), b[i] != UInt8(ascii: ">") {
                if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                    let q = b[i]
                    i += 1
                    while i < b.endIndex, b[i] != q { i += 1 }
                } else {
                    header.append(b[i])
                }
                i += 1
            }
            let words = String(decoding: header, as: UTF8.self).split(whereSeparator: \.isWhitespace)
            hasExternalSubset = words.contains("SYSTEM") || words.contains("PUBLIC")
            guard i < b.endIndex else { return b.endIndex }
            if b[i] == UInt8(ascii: ">") { return i + 1 }
            // The internal subset: markup declarations, comments, PIs, PE references.
            i += 1
            while i < b.endIndex, b[i] != UInt8(ascii: "]") {
                if starts(b, at: i, with: "<!--") {
                    i = past("-->", in: b, from: i + 4)
                } else if starts(b, at: i, with: "<?") {
                    i = past("?>", in: b, from: i + 2)
                } else if starts(b, at: i, with: "<!") {
                    var j = i + 2
                    while j < b.endIndex, b[j] != UInt8(ascii: ">") {
                        if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                            let q = b[j]
                            j += 1
                            while j < b.endIndex, b[j] != q { j += 1 }
                        }
                        j += 1
                    }
                    if starts(b, at: i, with: "<!ENTITY") { declare(b[(i + 8)..<min(j, b.endIndex)]) }
                    i = min(j + 1, b.endIndex)
                } else {
                    i += 1
                }
            }
            // `]`, blanks, `>`.
            while i < b.endIndex, b[i] != UInt8(ascii: ">") { i += 1 }
            return min(i + 1, b.endIndex)
        }

        /// `name "value"`, `name 'value'` or `name SYSTEM "…"`; `% name …` is a
        /// parameter entity and no business of the content. The first declaration binds.
        private mutating func declare(_ d: ArraySlice<UInt8>) {
            var i = d.startIndex
            while i < d.endIndex, isBlank(d[i]) { i += 1 }
            guard i < d.endIndex, d[i] != UInt8(ascii: "%"), isNameStart(d[i]) else { return }
            let nameStart = i
            while i < d.endIndex, isNameByte(d[i]) { i += 1 }
            let name = String(decoding: d[nameStart..<i], as: UTF8.self)
            while i < d.endIndex, isBlank(d[i]) { i += 1 }
            guard i < d.endIndex, internalEntities[name] == nil, !externalEntities.contains(name) else { return }
            if d[i] == UInt8(ascii: "\"") || d[i] == UInt8(ascii: "'") {
                let q = d[i]
                var j = i + 1
                while j < d.endIndex, d[j] != q { j += 1 }
                guard j < d.endIndex else { return }
                internalEntities[name] = d[(i + 1)..<j]
            } else {
                externalEntities.insert(name)
            }
        }
    }

    /// Copies content, rewriting references as the type's comment says.
    private struct Scanner {
        let entities: [String: ArraySlice<UInt8>]
        let external: Set<String>
        let keepUnknown: Bool
        let limit: Int
        var expanding: [String] = []

        init(entities: [String: ArraySlice<UInt8>], external: Set<String>, keepUnknown: Bool, limit: Int) {
            self.entities = entities
            self.external = external
            self.keepUnknown = keepUnknown
            self.limit = limit
        }

        /// False when the expansion grew past the limit.
        mutating func scan(_ b: ArraySlice<UInt8>, depth: Int, into out: inout [UInt8]) -> Bool {
            var i = b.startIndex
            while i < b.endIndex {
                guard out.count <= limit else { return false }
                let c = b[i]
                if c == UInt8(ascii: "<") {
                    if starts(b, at: i, with: "<!--") {
                        let end = past("-->", in: b, from: i + 4)
                        out += b[i..<end]
                        i = end
                    } else if starts(b, at: i, with: "<![CDATA[") {
                        let end = past("]]>", in: b, from: i + 9)
                        out += b[i..<end]
                        i = end
                    } else if starts(b, at: i, with: "<?") {
                        let end = past("?>", in: b, from: i + 2)
                        out += b[i..<end]
                        i = end
                    } else {
                        i = tag(b, from: i, into: &out)
                    }
                } else if c == UInt8(ascii: "&"), let (name, end) = reference(b, at: i) {
                    if let value = entities[name], !expanding.contains(name), depth < 16 {
                        expanding.append(name)
                        defer { expanding.removeLast() }
                        guard scan(value, depth: depth + 1, into: &out) else { return false }
                    } else {
                        rewrite(name, original: b[i..<end], into: &out)
                    }
                    i = end
                } else {
                    out.append(c)
                    i += 1
                }
            }
            return true
        }

        /// A start or end tag, with HTML names in its quoted attribute values rewritten.
        private func tag(_ b: ArraySlice<UInt8>, from start: Int, into out: inout [UInt8]) -> Int {
            var i = start
            var quote: UInt8?
            while i < b.endIndex {
                let c = b[i]
                if let q = quote {
                    if c == q {
                        quote = nil
                    } else if c == UInt8(ascii: "&"), let (name, end) = reference(b, at: i) {
                        if entities[name] != nil {
                            out += b[i..<end]   // the parser expands these in attributes
                        } else {
                            rewrite(name, original: b[i..<end], into: &out)
                        }
                        i = end
                        continue
                    }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: ">") {
                    out.append(c)
                    return i + 1
                }
                out.append(c)
                i += 1
            }
            return i
        }

        /// `&name;` at `i`: the name and the index after `;`. Numeric references are not names.
        private func reference(_ b: ArraySlice<UInt8>, at i: Int) -> (String, Int)? {
            var j = i + 1
            guard j < b.endIndex, isNameStart(b[j]) else { return nil }
            while j < b.endIndex, j - i <= 64, isNameByte(b[j]) { j += 1 }
            guard j < b.endIndex, b[j] == UInt8(ascii: ";") else { return nil }
            return (String(decoding: b[(i + 1)..<j], as: UTF8.self), j + 1)
        }

        /// A reference that is not an internal entity being expanded here.
        private func rewrite(_ name: String, original: ArraySlice<UInt8>, into out: inout [UInt8]) {
            if predefined.contains(name) || entities[name] != nil || external.contains(name) {
                out += original
                return
            }
            if let value = HTMLEntities.named[name] {
                for scalar in value.unicodeScalars { out += Array("&#\(scalar.value);".utf8) }
                return
            }
            if keepUnknown {
                out += Array("&amp;".utf8)
                out += original.dropFirst()
            } else {
                out += original
            }
        }
    }
}
