import DiariumCore
import Foundation

/// Reads Mastodon statuses straight from the response bytes: only the fields of
/// `MastodonStatus` are decoded, everything else is stepped over without being built.
/// `JSONDecoder` spent ~30 µs per status (a dictionary of every key of every nested
/// object first); this spends a few. It keeps the decoder's contract: the same
/// `DecodingError`s for a body that is not JSON, not an array of objects, lacks `id` or
/// `account`, or has a read field of the wrong type — so such a page is still
/// quarantined — and unknown fields are ignored. The JSON grammar is `JSONScanner`'s
/// (shared with the registry's record reader); this keeps the field mapping and the errors.
struct MastodonJSONReader {
    private var scanner: JSONScanner

    private init(_ bytes: UnsafeRawBufferPointer) {
        scanner = JSONScanner(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// A statuses page: a JSON array of `Status`.
    static func statuses(_ data: Data) throws -> [MastodonStatus] {
        try read(data) { reader in
            let statuses = try reader.array { try $0.status() }
            try reader.end()
            return statuses
        }
    }

    /// `Context`: both lists are required, as the decoder had them.
    static func context(_ data: Data) throws -> MastodonContext {
        try read(data) { reader in
            var ancestors: [MastodonStatus]?
            var descendants: [MastodonStatus]?
            try reader.object { reader, key in
                if key.is("ancestors") {
                    ancestors = try reader.array { try $0.status() }
                } else if key.is("descendants") {
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

    /// Syntax errors pass every level unchanged (they are about the bytes, not a
    /// field), so they become the decoder's `dataCorrupted` once, here.
    private static func read<T>(_ data: Data, _ body: (inout MastodonJSONReader) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var reader = MastodonJSONReader(raw)
            do {
                return try body(&reader)
            } catch let error as JSONScanner.SyntaxError {
                throw corrupted("\(error.reason)", at: error.offset)
            }
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
        var poll: MastodonPoll?
        var quote: MastodonQuote?
        try object { r, key in
            switch key.count {
            case 2 where key.is("id"): id = try r.string()
            case 4 where key.is("poll"):
                if try !r.null() { poll = try r.poll() }
            case 5 where key.is("quote"):
                if try !r.null() { quote = try r.quote() }
            case 3 where key.is("uri"): uri = try r.optionalString()
            case 3 where key.is("url"): url = try r.optionalString()
            case 6 where key.is("reblog"):
                if try !r.null() { reblog = try r.status() }
            case 7 where key.is("content"): content = try r.optionalString()
            case 7 where key.is("account"): account = try r.account()
            case 8 where key.is("language"): language = try r.optionalString()
            case 9 where key.is("edited_at"): editedAt = try r.optionalString()
            case 10 where key.is("created_at"): createdAt = try r.optionalString()
            case 10 where key.is("visibility"): visibility = try r.optionalString()
            case 12 where key.is("spoiler_text"): spoiler = try r.optionalString()
            case 13 where key.is("replies_count"): repliesCount = try r.optionalInt()
            case 14 where key.is("in_reply_to_id"): inReplyToID = try r.optionalString()
            case 17 where key.is("media_attachments"):
                if try !r.null() { media = try r.array { try $0.media() } }
            case 22 where key.is("in_reply_to_account_id"): inReplyToAccountID = try r.optionalString()
            default: try r.skipValue()
            }
        }
        guard let id else { throw missing("id") }
        guard let account else { throw missing("account") }
        return MastodonStatus(
            id: id, created_at: createdAt, edited_at: editedAt, in_reply_to_id: inReplyToID,
            in_reply_to_account_id: inReplyToAccountID, visibility: visibility, language: language,
            uri: uri, url: url, content: content, spoiler_text: spoiler,
            account: account, media_attachments: media, reblog: reblog, replies_count: repliesCount,
            poll: poll, quote: quote)
    }

    private mutating func poll() throws -> MastodonPoll {
        var poll = MastodonPoll()
        try object { r, key in
            switch key.count {
            case 7 where key.is("options"):
                if try !r.null() {
                    poll.options = try r.array { r in
                        var option = MastodonPollOption(title: nil)
                        try r.object { r, key in
                            if key.is("title") { option.title = try r.optionalString() } else { try r.skipValue() }
                        }
                        return option
                    }
                }
            case 8 where key.is("multiple"): poll.multiple = try r.optionalBool()
            case 10 where key.is("expires_at"): poll.expires_at = try r.optionalString()
            default: try r.skipValue()
            }
        }
        return poll
    }

    /// A `Quote` or a `ShallowQuote`: the quoted status itself, or only its id.
    private mutating func quote() throws -> MastodonQuote {
        var quote = MastodonQuote()
        try object { r, key in
            switch key.count {
            case 5 where key.is("state"): quote.state = try r.optionalString()
            case 13 where key.is("quoted_status"):
                if try !r.null() { quote.quoted_status = try r.status() }
            case 16 where key.is("quoted_status_id"): quote.quoted_status_id = try r.optionalString()
            default: try r.skipValue()
            }
        }
        return quote
    }

    private mutating func account() throws -> MastodonAccount {
        var id: String?
        var username: String?, acct: String?, displayName: String?, url: String?
        try object { r, key in
            switch key.count {
            case 2 where key.is("id"): id = try r.string()
            case 3 where key.is("url"): url = try r.optionalString()
            case 4 where key.is("acct"): acct = try r.optionalString()
            case 8 where key.is("username"): username = try r.optionalString()
            case 12 where key.is("display_name"): displayName = try r.optionalString()
            default: try r.skipValue()
            }
        }
        guard let id else { throw missing("id") }
        return MastodonAccount(id: id, username: username, acct: acct, display_name: displayName, url: url)
    }

    private mutating func media() throws -> MastodonMedia {
        var media = MastodonMedia()
        try object { r, key in
            switch key.count {
            case 2 where key.is("id"): media.id = try r.optionalString()
            case 3 where key.is("url"): media.url = try r.optionalString()
            case 4 where key.is("type"): media.type = try r.optionalString()
            case 10 where key.is("remote_url"): media.remote_url = try r.optionalString()
            case 11 where key.is("description"): media.description = try r.optionalString()
            default: try r.skipValue()
            }
        }
        return media
    }

    // MARK: JSON, typed as the decoder types it

    private mutating func end() throws {
        guard scanner.atEnd() else { throw Self.corrupted("unexpected bytes after the JSON value", at: scanner.index) }
    }

    private mutating func array<T>(_ element: (inout MastodonJSONReader) throws -> T) throws -> [T] {
        guard scanner.consume(UInt8(ascii: "[")) else { throw mismatch([Any].self, "expected an array") }
        var out: [T] = []
        var more = scanner.firstElement()
        while more {
            do {
                out.append(try element(&self))
            } catch let error as DecodingError {
                throw Self.prepending(PathKey(intValue: out.count), to: error)
            }
            more = try scanner.nextElement()
        }
        return out
    }

    private mutating func object(_ field: (inout MastodonJSONReader, JSONScanner.Key) throws -> Void) throws {
        guard scanner.consume(UInt8(ascii: "{")) else { throw mismatch([String: Any].self, "expected an object") }
        var next = try scanner.firstKey(.replace)
        while let key = next {
            do {
                try field(&self, key)
            } catch let error as DecodingError {
                throw Self.prepending(PathKey(stringValue: key.name), to: error)
            }
            next = try scanner.nextKey(.replace)
        }
    }

    /// True (and consumed) when the next value is `null`.
    private mutating func null() throws -> Bool {
        try scanner.null()
    }

    private mutating func string() throws -> String {
        switch scanner.peek() {
        case UInt8(ascii: "\""): return try scanner.string(.replace)
        case UInt8(ascii: "n"): throw valueNotFound()
        default: throw mismatch(String.self, "expected a string")
        }
    }

    private mutating func optionalString() throws -> String? {
        try null() ? nil : string()
    }

    private mutating func optionalBool() throws -> Bool? {
        if try null() { return nil }
        switch scanner.peek() {
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return try scanner.bool()
        default: throw mismatch(Bool.self, "expected true or false")
        }
    }

    /// A whole number (a count such as `replies_count`); anything else is a type mismatch,
    /// as JSONDecoder reports it for an `Int`.
    private mutating func optionalInt() throws -> Int? {
        if try null() { return nil }
        guard let value = try scanner.wholeNumber(.replace) else { throw mismatch(Int.self, "expected a whole number") }
        return value
    }

    private mutating func skipValue() throws {
        try scanner.skipValue(.replace)
    }

    // MARK: Errors, as JSONDecoder reports them

    private static func corrupted(_ what: String, at offset: Int) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "The data is not valid JSON: \(what) at byte \(offset)."))
    }

    private func mismatch(_ type: Any.Type, _ what: String) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: [], debugDescription: "\(what) at byte \(scanner.index)."))
    }

    private func valueNotFound() -> DecodingError {
        .valueNotFound(String.self, DecodingError.Context(codingPath: [], debugDescription: "a required string is null at byte \(scanner.index)."))
    }

    private func missing(_ key: String) -> DecodingError {
        .keyNotFound(PathKey(stringValue: key), DecodingError.Context(codingPath: [], debugDescription: "No value for the key '\(key)' before byte \(scanner.index)."))
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
