/// The byte-level JSON pieces both hand-written readers stand on (the Mastodon page
/// reader in Connectors, the registry's record reader in Store): each had its own copy
/// of string escapes, surrogate pairs, literals and value skipping, and the copies had
/// begun to drift. The readers keep their field mapping and their way of failing
/// (DecodingErrors for one, nil-and-fall-back for the other); this keeps the grammar.
///
/// It is a struct over borrowed bytes and everything small is `@inlinable`, because
/// both readers are hot paths of the benchmarks and Core is a module of its own: a call
/// per byte across the module boundary would cost more than the reading itself.
/// Nothing allocates but the Strings it decodes. Failures are typed throws, so a
/// reader that only wants "did it work" pays no existential box.
public struct JSONScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read; readers move it back to report or retry from a spot.
    public var index: Int

    @inlinable
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.index = 0
    }

    /// The bytes are not well-formed JSON at `offset`. `reason` is a fixed phrase so
    /// that failing costs no formatting; a reader that reports it builds its message.
    public struct SyntaxError: Error, Sendable {
        public let reason: StaticString
        public let offset: Int

        @inlinable
        public init(_ reason: StaticString, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// What an escape that is no character (a lone `\uD800`, a lone `\uDC00`) does.
    /// The two readers always differed here and both are right for their callers.
    public enum LoneSurrogates: Sendable {
        /// Becomes U+FFFD, and a skipped string's escapes are stepped over unread, as
        /// the Mastodon reader always read them: a page is not quarantined for a bad
        /// character in a field the archive does not keep.
        case replace
        /// Fails the string, and a skipped string is checked as if read, so a reader
        /// that falls back to Codable on failure never accepts what Codable refuses.
        case reject
    }

    @inlinable
    func failure(_ reason: StaticString) -> SyntaxError {
        SyntaxError(reason, at: index)
    }

    // MARK: Whitespace and single bytes

    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed; nil at the end.
    @inlinable @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` (after whitespace) when it is next; false and nothing consumed otherwise.
    @inlinable @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    @inlinable @inline(__always)
    public mutating func expect(_ byte: UInt8, _ reason: StaticString) throws(SyntaxError) {
        guard consume(byte) else { throw failure(reason) }
    }

    /// Only whitespace is left.
    @inlinable
    public mutating func atEnd() -> Bool {
        peek() == nil
    }

    // MARK: Literals and numbers

    /// `word` at the current byte (after whitespace).
    @inlinable @inline(__always)
    public mutating func literal(_ word: StaticString) throws(SyntaxError) {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end") }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] {
            throw failure("an unknown literal")
        }
        index += count
    }

    /// True, and consumed, when the next value is `null`; false with nothing consumed when
    /// it is some other value. A word that starts like `null` and is not is a syntax error.
    @inlinable @inline(__always)
    public mutating func null() throws(SyntaxError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    @inlinable
    public mutating func bool() throws(SyntaxError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw failure("expected true or false")
        }
    }

    /// The next value as an `Int` when it is a whole number in range (`-12`, not `1.5`,
    /// `1e3` or `"4"`); nil, with `index` left at the value, when it is some other
    /// well-formed value. Read in place: going through `Int(String)` cost a String and
    /// a trim per number.
    @inlinable
    public mutating func wholeNumber(_ surrogates: LoneSurrogates) throws(SyntaxError) -> Int? {
        skipWhitespace()
        let start = index
        try skipValue(surrogates)
        var i = start
        let negative = i < index && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < index else {
            index = start
            return nil
        }
        var value = 0
        while i < index {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else {
                index = start
                return nil
            }
            // Counted towards the negative side, so that Int.min reads too.
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int(digit))
            guard !o1, !o2 else {
                index = start
                return nil
            }
            value = next
            i += 1
        }
        if negative { return value }
        guard value != .min else {
            index = start
            return nil
        }
        return -value
    }

    // MARK: Strings

    /// A JSON string with its escapes decoded. Bytes that are not UTF-8 are repaired
    /// (U+FFFD), as `String(decoding:)` does; lone surrogates are as `surrogates` says.
    @inlinable
    public mutating func string(_ surrogates: LoneSurrogates) throws(SyntaxError) -> String {
        guard consume(UInt8(ascii: "\"")) else { throw failure("expected a string") }
        let start = index
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start, surrogates) }
            if c < 0x20 { throw failure("a control character in a string") }
            index += 1
        }
        throw failure("unterminated string")
    }

    /// nil for `null`, else `string`.
    @inlinable
    public mutating func optionalString(_ surrogates: LoneSurrogates) throws(SyntaxError) -> String? {
        try null() ? nil : string(surrogates)
    }

    /// The slow half of `string`, for strings with escapes; `index` is at the first backslash.
    @usableFromInline
    mutating func escapedString(from start: Int, _ surrogates: LoneSurrogates) throws(SyntaxError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 64)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                let scalar = try escape(surrogates)
                if scalar < 0x80 {
                    out.append(UInt8(truncatingIfNeeded: scalar))
                } else {
                    out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
                }
            default:
                if c < 0x20 { throw failure("a control character in a string") }
                // Copy the run up to the next quote or backslash at once.
                let runStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
                    index += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
        }
        throw failure("unterminated string")
    }

    /// One escape, `index` just past its backslash: the Unicode scalar value it stands
    /// for (always a valid scalar; U+FFFD for a lone surrogate under `.replace`).
    @usableFromInline
    mutating func escape(_ surrogates: LoneSurrogates) throws(SyntaxError) -> UInt32 {
        guard index < bytes.count else { throw failure("unterminated string") }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(e)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"): break
        default: throw failure("an unknown escape in a string")
        }
        let scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            let pairs = index + 1 < bytes.count && bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u")
            if pairs {
                let save = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                // Not a low half: under .replace the high half alone is U+FFFD and the
                // next escape is read on its own.
                index = save
            }
            guard surrogates == .replace else { throw failure("a lone surrogate in a string") }
            return 0xFFFD
        }
        if (0xDC00..<0xE000).contains(scalar) {
            guard surrogates == .replace else { throw failure("a lone surrogate in a string") }
            return 0xFFFD
        }
        return scalar
    }

    @usableFromInline
    mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw failure("a bad \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Steps over a string, `index` just past its opening quote, building nothing.
    @usableFromInline
    mutating func skipString(_ surrogates: LoneSurrogates) throws(SyntaxError) {
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                index += 1
                switch surrogates {
                case .replace: index += 1
                case .reject: _ = try escape(.reject)
                }
                continue
            }
            if b < 0x20 { throw failure("a control character in a string") }
            index += 1
        }
        throw failure("unterminated string")
    }

    // MARK: Objects and arrays

    /// An object key as it stands in the bytes, between its quotes. It holds no String
    /// (a String in every key cost a retain and a release per key, a tenth of reading a
    /// row): a key with escapes is decoded only when asked, which the readers never need
    /// for their own keys.
    public struct Key {
        public let bytes: UnsafeBufferPointer<UInt8>
        /// The bytes between the quotes, escapes as written.
        public let range: Range<Int>
        public let escaped: Bool

        @usableFromInline
        init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, escaped: Bool) {
            self.bytes = bytes
            self.range = range
            self.escaped = escaped
        }

        /// The key's length in UTF-8 bytes once decoded, for a first cheap switch over keys.
        @inlinable
        public var count: Int { escaped ? name.utf8.count : range.count }

        @inlinable @inline(__always)
        public func `is`(_ name: StaticString) -> Bool {
            if escaped { return self.name == name.description }
            guard range.count == name.utf8CodeUnitCount else { return false }
            let start = name.utf8Start
            var k = 0
            for i in range {
                if bytes[i] != start[k] { return false }
                k += 1
            }
            return true
        }

        /// So that a `switch key` can list names: `case "id":`.
        @inlinable @inline(__always)
        public static func ~= (name: StaticString, key: Key) -> Bool {
            key.is(name)
        }

        /// The key decoded. The scanner checked its escapes when it read it; a lone
        /// surrogate reads as U+FFFD here (under `.reject` the key never got this far).
        public var name: String {
            guard escaped else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            var scanner = JSONScanner(bytes)
            scanner.index = range.lowerBound - 1
            return (try? scanner.string(.replace)) ?? ""
        }
    }

    /// The first key of an object whose `{` was just consumed, with its `:` consumed;
    /// nil (and the `}` consumed) for `{}`.
    @inlinable @inline(__always)
    public mutating func firstKey(_ surrogates: LoneSurrogates) throws(SyntaxError) -> Key? {
        if consume(UInt8(ascii: "}")) { return nil }
        return try key(surrogates)
    }

    /// After a member's value: the next key, with its `:` consumed; nil once the
    /// closing `}` is consumed.
    @inlinable @inline(__always)
    public mutating func nextKey(_ surrogates: LoneSurrogates) throws(SyntaxError) -> Key? {
        switch peek() {
        case UInt8(ascii: ","):
            index += 1
            return try key(surrogates)
        case UInt8(ascii: "}"):
            index += 1
            return nil
        default:
            throw failure("expected ',' or '}' in an object")
        }
    }

    @inlinable
    mutating func key(_ surrogates: LoneSurrogates) throws(SyntaxError) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a key in an object") }
        let start = index + 1
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                index = i + 1
                try expect(UInt8(ascii: ":"), "expected ':' after a key")
                return Key(bytes: bytes, range: start..<i, escaped: false)
            }
            if c == UInt8(ascii: "\\") {
                // Read once to check its escapes; `Key.name` decodes it again if asked.
                _ = try string(surrogates)
                let end = index - 1
                try expect(UInt8(ascii: ":"), "expected ':' after a key")
                return Key(bytes: bytes, range: start..<end, escaped: true)
            }
            if c < 0x20 {
                index = i
                throw failure("a control character in a string")
            }
            i += 1
        }
        index = i
        throw failure("unterminated string")
    }

    /// After an array's `[` was consumed: whether an element follows (false, and the
    /// `]` consumed, for `[]`).
    @inlinable
    public mutating func firstElement() -> Bool {
        !consume(UInt8(ascii: "]"))
    }

    /// After an element: whether another follows (its `,` consumed); false once the
    /// closing `]` is consumed.
    @inlinable
    public mutating func nextElement() throws(SyntaxError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            index += 1
            return true
        case UInt8(ascii: "]"):
            index += 1
            return false
        default:
            throw failure("expected ',' or ']' in an array")
        }
    }

    // MARK: Skipping

    /// Steps over one value of any kind, checking it is well-formed (strings as
    /// `surrogates` says). Nesting is bounded so a hostile body cannot exhaust the stack.
    @inlinable
    public mutating func skipValue(_ surrogates: LoneSurrogates) throws(SyntaxError) {
        try skipValue(surrogates, depth: 0)
    }

    @usableFromInline
    mutating func skipValue(_ surrogates: LoneSurrogates, depth: Int) throws(SyntaxError) {
        guard let c = peek() else { throw failure("unexpected end") }
        switch c {
        case UInt8(ascii: "\""):
            index += 1
            try skipString(surrogates)
        case UInt8(ascii: "{"):
            guard depth < 511 else { throw failure("nested too deeply") }
            index += 1
            var key = try firstKey(surrogates)
            while key != nil {
                try skipValue(surrogates, depth: depth + 1)
                key = try nextKey(surrogates)
            }
        case UInt8(ascii: "["):
            guard depth < 511 else { throw failure("nested too deeply") }
            index += 1
            var more = firstElement()
            while more {
                try skipValue(surrogates, depth: depth + 1)
                more = try nextElement()
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                    index += 1
                default:
                    guard index > start + (bytes[start] == UInt8(ascii: "-") ? 1 : 0) else { throw failure("a bad number") }
                    return
                }
            }
        default:
            throw failure("unexpected character")
        }
    }
}
