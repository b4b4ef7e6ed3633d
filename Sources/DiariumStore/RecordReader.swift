import DiariumCore
import Foundation

/// Reads the item and decision JSON the registry itself wrote (`Item.jsonText`,
/// `Decision.jsonText`) without Foundation's JSONDecoder, which cost ~70 µs a row and
/// made the journal of a busy day take a second. It reads only the happy path: any
/// shape it does not expect (a type it does not know, an escape it cannot read, an
/// unknown enum value, a repeated key) answers nil and the caller falls back to the
/// Codable reader, so the result — value or error — is always the Codable one. The JSON
/// grammar is `JSONScanner`'s (shared with the Mastodon reader), in its strict mode.
struct RecordReader {
    private var scanner: JSONScanner

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        scanner = JSONScanner(bytes)
    }

    static func item(_ json: UnsafeBufferPointer<UInt8>) -> Item? {
        read(json) { $0.readItem() }
    }

    static func decision(_ json: UnsafeBufferPointer<UInt8>) -> Decision? {
        read(json) { $0.readDecision() }
    }

    static func author(_ json: UnsafeBufferPointer<UInt8>) -> Author? {
        read(json) { $0.readAuthor() }
    }

    static func item(_ json: String) -> Item? { withBytes(json, item) }

    static func decision(_ json: String) -> Decision? { withBytes(json, decision) }

    static func author(_ json: String) -> Author? { withBytes(json, author) }

    private static func withBytes<T>(_ json: String, _ read: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        var json = json
        return json.withUTF8 { read($0) }
    }

    /// The one value `body` reads, when nothing but whitespace follows it.
    private static func read<T>(_ json: UnsafeBufferPointer<UInt8>, _ body: (inout RecordReader) -> T?) -> T? {
        var reader = RecordReader(json)
        guard let value = body(&reader), reader.scanner.atEnd() else { return nil }
        return value
    }

    // MARK: the three objects, with the defaults of their Codable initialisers

    private mutating func readItem() -> Item? {
        var id: String?, kind: ItemKind?, platform: Platform?, account: String?, url: String?
        var author: Author?, inReplyTo: String?, threadRoot: String?, createdAt: Date?, editedAt: Date?, deletedAt: Date?
        var visibility: Visibility?, language: String?, text: String?, attachments: [Attachment]?
        var poll: Poll?, shared: SharedPost?, quoted: SharedPost?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "id": guard seen.once(0), let v = reader.readString() else { return false }; id = v
            case "kind":
                guard seen.once(1), let v = reader.readString(), let k = ItemKind(rawValue: v) else { return false }; kind = k
            case "platform":
                guard seen.once(2), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { platform = nil; return true }
                guard let p = Platform(rawValue: raw) else { return false }; platform = p
            case "account": guard seen.once(3), let v = reader.readOptionalString() else { return false }; account = v
            case "url": guard seen.once(4), let v = reader.readOptionalString() else { return false }; url = v
            case "author":
                guard seen.once(5) else { return false }
                if reader.readNull() { author = nil; return true }
                guard let a = reader.readAuthor() else { return false }; author = a
            case "inReplyTo": guard seen.once(6), let v = reader.readOptionalString() else { return false }; inReplyTo = v
            case "threadRoot": guard seen.once(7), let v = reader.readOptionalString() else { return false }; threadRoot = v
            case "createdAt": guard seen.once(8), let v = reader.readOptionalDate() else { return false }; createdAt = v
            case "editedAt": guard seen.once(9), let v = reader.readOptionalDate() else { return false }; editedAt = v
            case "deletedAt": guard seen.once(10), let v = reader.readOptionalDate() else { return false }; deletedAt = v
            case "visibility":
                guard seen.once(11), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { visibility = nil; return true }
                guard let vis = Visibility(rawValue: raw) else { return false }; visibility = vis
            case "language": guard seen.once(12), let v = reader.readOptionalString() else { return false }; language = v
            case "text": guard seen.once(13), let v = reader.readOptionalString() else { return false }; text = v
            case "attachments":
                guard seen.once(14) else { return false }
                if reader.readNull() { attachments = nil; return true }
                var list: [Attachment] = []
                guard reader.readArray({ reader in
                    guard let a = reader.readAttachment() else { return false }
                    list.append(a)
                    return true
                }) else { return false }
                attachments = list
            case "poll":
                guard seen.once(15) else { return false }
                if reader.readNull() { poll = nil; return true }
                guard let p = reader.readPoll() else { return false }; poll = p
            case "shared":
                guard seen.once(16) else { return false }
                if reader.readNull() { shared = nil; return true }
                guard let p = reader.readSharedPost() else { return false }; shared = p
            case "quoted":
                guard seen.once(17) else { return false }
                if reader.readNull() { quoted = nil; return true }
                guard let p = reader.readSharedPost() else { return false }; quoted = p
            default: return reader.skipValue()
            }
            return true
        }
        guard ok, let id, let kind else { return nil }
        return Item(platform: platform ?? .feed, account: account ?? "", id: id, url: url, kind: kind,
                    author: author ?? Author(id: "", agency: false), inReplyTo: inReplyTo, threadRoot: threadRoot,
                    createdAt: createdAt, editedAt: editedAt, deletedAt: deletedAt, visibility: visibility,
                    language: language, text: text ?? "", attachments: attachments ?? [], poll: poll, shared: shared, quoted: quoted)
    }

    private mutating func readPoll() -> Poll? {
        var options: [String]?, multiple: Bool?, expiresAt: Date?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "options": guard seen.once(0), let v = reader.readOptionalStrings() else { return false }; options = v
            case "multiple": guard seen.once(1), let v = reader.readOptionalBool() else { return false }; multiple = v
            case "expiresAt": guard seen.once(2), let v = reader.readOptionalDate() else { return false }; expiresAt = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Poll(options: options ?? [], multiple: multiple ?? false, expiresAt: expiresAt)
    }

    private mutating func readSharedPost() -> SharedPost? {
        var id: String?, url: String?, author: Author?, state: String?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "id": guard seen.once(0), let v = reader.readOptionalString() else { return false }; id = v
            case "url": guard seen.once(1), let v = reader.readOptionalString() else { return false }; url = v
            case "author":
                guard seen.once(2) else { return false }
                if reader.readNull() { author = nil; return true }
                guard let a = reader.readAuthor() else { return false }; author = a
            case "state": guard seen.once(3), let v = reader.readOptionalString() else { return false }; state = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return SharedPost(id: id, url: url, author: author, state: state)
    }

    private mutating func readAuthor() -> Author? {
        var id: String?, handle: String?, name: String?, agency: Bool?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "id": guard seen.once(0), let v = reader.readOptionalString() else { return false }; id = v
            case "handle": guard seen.once(1), let v = reader.readOptionalString() else { return false }; handle = v
            case "name": guard seen.once(2), let v = reader.readOptionalString() else { return false }; name = v
            case "agency": guard seen.once(3), let v = reader.readOptionalBool() else { return false }; agency = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Author(id: id ?? "", handle: handle, name: name, agency: agency ?? false)
    }

    private mutating func readAttachment() -> Attachment? {
        var url: String?, mediaType: String?, description: String?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "url": guard seen.once(0), let v = reader.readOptionalString() else { return false }; url = v
            case "mediaType": guard seen.once(1), let v = reader.readOptionalString() else { return false }; mediaType = v
            case "description": guard seen.once(2), let v = reader.readOptionalString() else { return false }; description = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Attachment(url: url ?? "", mediaType: mediaType, description: description)
    }

    private mutating func readDecision() -> Decision? {
        var id: String?, account: String?, journal: Bool?, type: JournalType?, status: JournalStatus?
        var access: Access?, retention: Retention?, rules: [String]?, reason: String?, profile: String?
        var period: String?, ends: String?, basis: String?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "id": guard seen.once(0), let v = reader.readString() else { return false }; id = v
            case "account": guard seen.once(1), let v = reader.readOptionalString() else { return false }; account = v
            case "journal": guard seen.once(2), let v = reader.readBool() else { return false }; journal = v
            case "type":
                guard seen.once(3), let v = reader.readString(), let t = JournalType(rawValue: v) else { return false }; type = t
            case "status":
                guard seen.once(4), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { status = nil; return true }
                guard let s = JournalStatus(rawValue: raw) else { return false }; status = s
            case "access":
                guard seen.once(5) else { return false }
                if reader.readNull() { access = nil; return true }
                guard let a = reader.readAccess() else { return false }; access = a
            case "retention":
                guard seen.once(6), let v = reader.readString(), let r = Retention(rawValue: v) else { return false }; retention = r
            case "rules":
                guard seen.once(7), let v = reader.readOptionalStrings() else { return false }; rules = v
            case "reason": guard seen.once(8), let v = reader.readOptionalString() else { return false }; reason = v
            case "profile": guard seen.once(9), let v = reader.readOptionalString() else { return false }; profile = v
            case "retentionPeriod": guard seen.once(10), let v = reader.readOptionalString() else { return false }; period = v
            case "retentionEnds": guard seen.once(11), let v = reader.readOptionalString() else { return false }; ends = v
            case "retentionBasis": guard seen.once(12), let v = reader.readOptionalString() else { return false }; basis = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok, let id, let journal, let type, let retention else { return nil }
        var decision = Decision(id: id, account: account ?? "", journal: journal, type: type, status: status, access: access ?? .open,
                                retention: retention, rules: rules ?? [], reason: reason ?? "", profile: profile ?? "")
        decision.retentionPeriod = period
        decision.retentionEnds = ends
        decision.retentionBasis = basis
        return decision
    }

    private mutating func readAccess() -> Access? {
        var restricted: Bool?, basis: String?, screen: [String]?
        var seen = SeenFields()
        let ok = readObject { reader, key in
            switch key {
            case "restricted": guard seen.once(0), let v = reader.readOptionalBool() else { return false }; restricted = v
            case "basis": guard seen.once(1), let v = reader.readOptionalString() else { return false }; basis = v
            case "screen": guard seen.once(2), let v = reader.readOptionalStrings() else { return false }; screen = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Access(restricted: restricted ?? false, basis: basis, screen: screen ?? [])
    }

    // MARK: JSON pieces: the scanner's, failing as nil

    private mutating func readNull() -> Bool {
        (try? scanner.null()) == true
    }

    /// `{ "key": value, … }`; `field` reads the value after the colon and says whether it could.
    /// Keys are compared as bytes where they stand: building a String per key and
    /// switching over strings was a third of reading an item. A key with an escape might
    /// spell a known one, so it is left to the Codable reader.
    @inline(__always)
    private mutating func readObject(_ field: (inout RecordReader, JSONScanner.Key) -> Bool) -> Bool {
        guard scanner.consume(UInt8(ascii: "{")) else { return false }
        do {
            var next = try scanner.firstKey(.reject)
            while let key = next {
                guard !key.escaped, field(&self, key) else { return false }
                next = try scanner.nextKey(.reject)
            }
            return true
        } catch {
            return false
        }
    }

    @inline(__always)
    private mutating func readArray(_ element: (inout RecordReader) -> Bool) -> Bool {
        guard scanner.consume(UInt8(ascii: "[")) else { return false }
        do {
            var more = scanner.firstElement()
            while more {
                guard element(&self) else { return false }
                more = try scanner.nextElement()
            }
            return true
        } catch {
            return false
        }
    }

    private mutating func readBool() -> Bool? {
        try? scanner.bool()
    }

    /// nil when the value is neither a bool nor null; .some(nil) for null.
    private mutating func readOptionalBool() -> Bool?? {
        do {
            return try scanner.null() ? .some(nil) : .some(scanner.bool())
        } catch {
            return nil
        }
    }

    private mutating func readString() -> String? {
        try? scanner.string(.reject)
    }

    private mutating func readOptionalString() -> String?? {
        do {
            return .some(try scanner.optionalString(.reject))
        } catch {
            return nil
        }
    }

    private mutating func readOptionalDate() -> Date?? {
        guard let raw = readOptionalString() else { return nil }
        guard let text = raw else { return .some(nil) }
        guard let date = Timestamp.parse(text) else { return nil }
        return .some(date)
    }

    private mutating func readOptionalStrings() -> [String]?? {
        if readNull() { return .some(nil) }
        var list: [String] = []
        guard readArray({ reader in
            guard let s = reader.readString() else { return false }
            list.append(s)
            return true
        }) else { return nil }
        return .some(list)
    }

    /// Steps over one value of any type (keys this reader does not use).
    private mutating func skipValue() -> Bool {
        do {
            try scanner.skipValue(.reject)
            return true
        } catch {
            return false
        }
    }
}

/// Which keys of one object were read already. A repeated key is a shape the Codable
/// reader decides, so a second sighting of any field sends the row to it.
struct SeenFields {
    private var bits: UInt32 = 0

    /// True the first time `field` (0 to 31) comes, false every time after.
    mutating func once(_ field: Int) -> Bool {
        let bit: UInt32 = 1 << UInt32(field)
        if bits & bit != 0 { return false }
        bits |= bit
        return true
    }
}
