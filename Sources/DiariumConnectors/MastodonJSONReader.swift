import Foundation

/// Reads Mastodon statuses straight from the response bytes: only the fields of
/// `MastodonStatus` are decoded, everything else is stepped over without being built.
/// `JSONDecoder` spent ~30 µs per status (a dictionary of every key of every nested
/// object first); this spends a few. It keeps the decoder's contract: the same
/// `DecodingError`s for a body that is not JSON, not an array of objects, lacks `id` or
/// `account`, or has a read field of the wrong type — so such a page is still
/// quarantined — and unknown fields are ignored.
struct MastodonJSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// Nesting depth while skipping, bounded so a hostile body cannot exhaust the stack.
    private var depth = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// A statuses page: a JSON array of `Status`.
    static func statuses(_ data: Data) throws -> [MastodonStatus] {
        try data.withUnsafeBytes { raw in
            var reader = MastodonJSONReader(raw)
            let statuses = try reader.array { try $0.status() }
            try reader.end()
            return statuses
        }
    }

    /// `Context`: both lists are required, as the decoder had them.
    static func context(_ data: Data) throws -> MastodonContext {
        try data.withUnsafeBytes { raw in
            var reader = MastodonJSONReader(raw)
            var ancestors: [MastodonStatus]?
            var descendants: [MastodonStatus]?
            try reader.object { reader, key in
                if reader.key(key, is: "ancestors") {
                    ancestors = try reader.array { try $0.status() }
                } else if reader.key(key, is: "descendants") {
                    descendants = try reader.array { try $0.status() }
                } else {
                    try reader.skipValue()
                }
            }
            try reader.end()
            guard let ancestors else { throw reader.missing("ancestors") }
            guard let descendants else { throw reader.missing("descendants") }
            return MastodonContext(ancestors: ancestors, descendants: descendants)
        }
    }

    // MARK: The shapes

    private mutating func status() throws -> MastodonStatus {
        var id: String?
        var createdAt: String?, editedAt: String?, inReplyToID: String?, inReplyToAccountID: String?
        var visibility: String?, language: String?, uri: String?, url: String?, content: String?, spoiler: String?
        var account: MastodonAccount?
        var media: [MastodonMedia]?
        var reblog: MastodonStatus?
        var repliesCount: Int?
        try object { r, key in
            switch r.length(of: key) {
            case 2 where r.key(key, is: "id"): id = try r.string()
            case 3 where r.key(key, is: "uri"): uri = try r.optionalString()
            case 3 where r.key(key, is: "url"): url = try r.optionalString()
            case 6 where r.key(key, is: "reblog"):
                if try !r.null() { reblog = try r.status() }
            case 7 where r.key(key, is: "content"): content = try r.optionalString()
            case 7 where r.key(key, is: "account"): account = try r.account()
            case 8 where r.key(key, is: "language"): language = try r.optionalString()
            case 9 where r.key(key, is: "edited_at"): editedAt = try r.optionalString()
            case 10 where r.key(key, is: "created_at"): createdAt = try r.optionalString()
            case 10 where r.key(key, is: "visibility"): visibility = try r.optionalString()
            case 12 where r.key(key, is: "spoiler_text"): spoiler = try r.optionalString()
            case 13 where r.key(key, is: "replies_count"): repliesCount = try r.optionalInt()
            case 14 where r.key(key, is: "in_reply_to_id"): inReplyToID = try r.optionalString()
            case 17 where r.key(key, is: "media_attachments"):
                if try !r.null() { media = try r.array { try $0.media() } }
            case 22 where r.key(key, is: "in_reply_to_account_id"): inReplyToAccountID = try r.optionalString()
            default: try r.skipValue()
            }
        }
        guard let id else { throw missing("id") }
        guard let account else { throw missing("account") }
        return MastodonStatus(
            id: id, created_at: createdAt, edited_at: editedAt, in_reply_to_id: inReplyToID,
            in_reply_to_account_id: inReplyToAccountID, visibility: visibility, language: language,
            uri: uri, url: url, content: content, spoiler_text: spoiler,
            account: account, media_attachments: media, reblog: reblog, replies_count: repliesCount)
    }

    private mutating func account() throws -> MastodonAccount {
        var id: String?
        var username: String?, acct: String?, displayName: String?, url: String?
        try object { r, key in
            switch r.length(of: key) {
            case 2 where r.key(key, is: "id"): id = try r.string()
            case 3 where r.key(key, is: "url"): url = try r.optionalString()
            case 4 where r.key(key, is: "acct"): acct = try r.optionalString()
            case 8 where r.key(key, is: "username"): username = try r.optionalString()
            case 12 where r.key(key, is: "display_name"): displayName = try r.optionalString()
            default: try r.skipValue()
            }
        }
        guard let id else { throw missing("id") }
        return MastodonAccount(id: id, username: username, acct: acct, display_name: displayName, url: url)
    }

    private mutating func media() throws -> MastodonMedia {
        var media = MastodonMedia()
        try object { r, key in
            switch r.length(of: key) {
            case 2 where r.key(key, is: "id"): media.id = try r.optionalString()
            case 3 where r.key(key, is: "url"): media.url = try r.optionalString()
            case 4 where r.key(key, is: "type"): media.type = try r.optionalString()
            case 10 where r.key(key, is: "remote_url"): media.remote_url = try r.optionalString()
            case 11 where r.key(key, is: "description"): media.description = try r.optionalString()
            default: try r.skipValue()
            }
        }
        return media
    }

    // MARK: JSON

    /// A key as it appears in the bytes; `decoded` is set only when it had escapes.
    struct Key {
        var range: Range<Int>
        var decoded: String?
    }

    private func length(of key: Key) -> Int {
        key.decoded.map { $0.utf8.count } ?? key.range.count
    }

    private func key(_ key: Key, is name: StaticString) -> Bool {
        if let decoded = key.decoded { return decoded == name.description }
        guard key.range.count == name.utf8CodeUnitCount else { return false }
        let start = name.utf8Start
        var k = 0
        for i in key.range {
            if bytes[i] != start[k] { return false }
            k += 1
        }
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without consuming it; nil at the end.
    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw corrupted("expected \(what)") }
        index += 1
    }

    private mutating func end() throws {
        guard peek() == nil else { throw corrupted("unexpected bytes after the JSON value") }
    }

    private mutating func array<T>(_ element: (inout MastodonJSONReader) throws -> T) throws -> [T] {
        guard peek() == UInt8(ascii: "[") else { throw mismatch([Any].self, "expected an array") }
        index += 1
        var out: [T] = []
        if peek() == UInt8(ascii: "]") {
            index += 1
            return out
        }
        while true {
            do {
                out.append(try element(&self))
            } catch let error as DecodingError {
                throw Self.prepending(PathKey(intValue: out.count), to: error)
            }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return out
            default: throw corrupted("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func object(_ field: (inout MastodonJSONReader, Key) throws -> Void) throws {
        guard peek() == UInt8(ascii: "{") else { throw mismatch([String: Any].self, "expected an object") }
        index += 1
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw corrupted("expected a key in an object") }
            let key = try readKey()
            try expect(UInt8(ascii: ":"), "':' after a key")
            do {
                try field(&self, key)
            } catch let error as DecodingError {
                let name = key.decoded ?? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key.range]), as: UTF8.self)
                throw Self.prepending(PathKey(stringValue: name), to: error)
            }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw corrupted("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func readKey() throws -> Key {
        let start = index + 1
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                index = i + 1
                return Key(range: start..<i, decoded: nil)
            }
            if c == UInt8(ascii: "\\") { return Key(range: start..<i, decoded: try string()) }
            i += 1
        }
        throw corrupted("unterminated string")
    }

    /// True (and consumed) when the next value is `null`.
    private mutating func null() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func optionalString() throws -> String? {
        try null() ? nil : string()
    }

    /// A whole number (a count such as `replies_count`); anything else is a type mismatch,
    /// as JSONDecoder reports it for an `Int`.
    private mutating func optionalInt() throws -> Int? {
        if try null() { return nil }
        let start = index
        try skipValue()
        guard let value = Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) else {
            index = start
            throw mismatch(Int.self, "expected a whole number")
        }
        return value
    }

    private mutating func string() throws -> String {
        guard peek() == UInt8(ascii: "\"") else {
            throw peek() == UInt8(ascii: "n") ? valueNotFound() : mismatch(String.self, "expected a string")
        }
        index += 1
        let start = index
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if c < 0x20 { throw corrupted("a control character in a string") }
            index += 1
        }
        throw corrupted("unterminated string")
    }

    /// The rest of a string that has escapes; `index` is at the first backslash.
    private mutating func escapedString(from start: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 64)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw corrupted("unterminated string") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                        }
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: UTF8.encode(character)!)
                default:
                    throw corrupted("an unknown escape in a string")
                }
            default:
                if c < 0x20 { throw corrupted("a control character in a string") }
                // Copy the run up to the next quote or backslash at once.
                let runStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
                    index += 1
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            }
        }
        throw corrupted("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw corrupted("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw corrupted("a bad \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw corrupted("unexpected end") }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] {
            throw corrupted("an unknown literal")
        }
        index += count
    }

    /// Steps over one value of any kind, checking it is well-formed.
    private mutating func skipValue() throws {
        guard let c = peek() else { throw corrupted("unexpected end") }
        switch c {
        case UInt8(ascii: "\""):
            index += 1
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                if b == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if b < 0x20 { throw corrupted("a control character in a string") }
                index += 1
            }
            throw corrupted("unterminated string")
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth < 512 else { throw corrupted("nested too deeply") }
            try object { r, _ in try r.skipValue() }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth < 512 else { throw corrupted("nested too deeply") }
            _ = try array { r -> Void in try r.skipValue() }
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
                    guard index > start + (bytes[start] == UInt8(ascii: "-") ? 1 : 0) else { throw corrupted("a bad number") }
                    return
                }
            }
        default:
            throw corrupted("unexpected character")
        }
    }

    // MARK: Errors, as JSONDecoder reports them

    private func corrupted(_ what: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "The data is not valid JSON: \(what) at byte \(index)."))
    }

    private func mismatch(_ type: Any.Type, _ what: String) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: [], debugDescription: "\(what) at byte \(index)."))
    }

    private func valueNotFound() -> DecodingError {
        .valueNotFound(String.self, DecodingError.Context(codingPath: [], debugDescription: "a required string is null at byte \(index)."))
    }

    private func missing(_ key: String) -> DecodingError {
        .keyNotFound(PathKey(stringValue: key), DecodingError.Context(codingPath: [], debugDescription: "No value for the key '\(key)' before byte \(index)."))
    }

    /// Puts the array index or object key an error happened under in front of its
    /// coding path, as the decoder reports it ("[0].id"). Syntax errors keep an empty
    /// path: they are about the bytes, not about a field.
    private static func prepending(_ key: PathKey, to error: DecodingError) -> DecodingError {
        func moved(_ context: DecodingError.Context) -> DecodingError.Context {
            DecodingError.Context(codingPath: [key] + context.codingPath, debugDescription: context.debugDescription)
        }
        switch error {
        case let .typeMismatch(type, context): return .typeMismatch(type, moved(context))
        case let .valueNotFound(type, context): return .valueNotFound(type, moved(context))
        case let .keyNotFound(missing, context): return .keyNotFound(missing, moved(context))
        default: return error
        }
    }

    private struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            self.stringValue = "Index \(intValue)"
            self.intValue = intValue
        }
    }
}
