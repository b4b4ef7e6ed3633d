import DiariumCore
import Foundation

/// Reads the item and decision JSON the registry itself wrote (`Item.jsonText`,
/// `Decision.jsonText`) without Foundation's JSONDecoder, which cost ~70 µs a row and
/// made the journal of a busy day take a second. It reads only the happy path: any
/// shape it does not expect (a type it does not know, an escape it cannot read, an
/// unknown enum value, a repeated key) answers nil and the caller falls back to the
/// Codable reader, so the result — value or error — is always the Codable one.
struct RecordReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func item(_ json: String) -> Item? {
        var json = json
        return json.withUTF8 { buffer in
            var reader = RecordReader(buffer)
            guard let item = reader.readItem(), reader.atEnd() else { return nil }
            return item
        }
    }

    static func decision(_ json: String) -> Decision? {
        var json = json
        return json.withUTF8 { buffer in
            var reader = RecordReader(buffer)
            guard let decision = reader.readDecision(), reader.atEnd() else { return nil }
            return decision
        }
    }

    static func author(_ json: String) -> Author? {
        var json = json
        return json.withUTF8 { buffer in
            var reader = RecordReader(buffer)
            guard let author = reader.readAuthor(), reader.atEnd() else { return nil }
            return author
        }
    }

    // MARK: the three objects, with the defaults of their Codable initialisers

    private mutating func readItem() -> Item? {
        var id: String?, kind: ItemKind?, platform: Platform?, account: String?, url: String?
        var author: Author?, inReplyTo: String?, threadRoot: String?, createdAt: Date?, editedAt: Date?, deletedAt: Date?
        var visibility: Visibility?, language: String?, text: String?, attachments: [Attachment]?
        var seen: UInt32 = 0
        let ok = readObject { reader, key in
            func once(_ bit: UInt32) -> Bool {
                if seen & bit != 0 { return false }
                seen |= bit
                return true
            }
            switch key {
            case "id": guard once(1 << 0), let v = reader.readString() else { return false }; id = v
            case "kind":
                guard once(1 << 1), let v = reader.readString(), let k = ItemKind(rawValue: v) else { return false }; kind = k
            case "platform":
                guard once(1 << 2), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { platform = nil; return true }
                guard let p = Platform(rawValue: raw) else { return false }; platform = p
            case "account": guard once(1 << 3), let v = reader.readOptionalString() else { return false }; account = v
            case "url": guard once(1 << 4), let v = reader.readOptionalString() else { return false }; url = v
            case "author":
                guard once(1 << 5) else { return false }
                if reader.readNull() { author = nil; return true }
                guard let a = reader.readAuthor() else { return false }; author = a
            case "inReplyTo": guard once(1 << 6), let v = reader.readOptionalString() else { return false }; inReplyTo = v
            case "threadRoot": guard once(1 << 7), let v = reader.readOptionalString() else { return false }; threadRoot = v
            case "createdAt": guard once(1 << 8), let v = reader.readOptionalDate() else { return false }; createdAt = v
            case "editedAt": guard once(1 << 9), let v = reader.readOptionalDate() else { return false }; editedAt = v
            case "deletedAt": guard once(1 << 10), let v = reader.readOptionalDate() else { return false }; deletedAt = v
            case "visibility":
                guard once(1 << 11), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { visibility = nil; return true }
                guard let vis = Visibility(rawValue: raw) else { return false }; visibility = vis
            case "language": guard once(1 << 12), let v = reader.readOptionalString() else { return false }; language = v
            case "text": guard once(1 << 13), let v = reader.readOptionalString() else { return false }; text = v
            case "attachments":
                guard once(1 << 14) else { return false }
                if reader.readNull() { attachments = nil; return true }
                var list: [Attachment] = []
                guard reader.readArray({ reader in
                    guard let a = reader.readAttachment() else { return false }
                    list.append(a)
                    return true
                }) else { return false }
                attachments = list
            default: return reader.skipValue()
            }
            return true
        }
        guard ok, let id, let kind else { return nil }
        return Item(platform: platform ?? .feed, account: account ?? "", id: id, url: url, kind: kind,
                    author: author ?? Author(id: "", agency: false), inReplyTo: inReplyTo, threadRoot: threadRoot,
                    createdAt: createdAt, editedAt: editedAt, deletedAt: deletedAt, visibility: visibility,
                    language: language, text: text ?? "", attachments: attachments ?? [])
    }

    private mutating func readAuthor() -> Author? {
        var id: String?, handle: String?, name: String?, agency: Bool?
        var seen: UInt32 = 0
        let ok = readObject { reader, key in
            func once(_ bit: UInt32) -> Bool {
                if seen & bit != 0 { return false }
                seen |= bit
                return true
            }
            switch key {
            case "id": guard once(1), let v = reader.readOptionalString() else { return false }; id = v
            case "handle": guard once(2), let v = reader.readOptionalString() else { return false }; handle = v
            case "name": guard once(4), let v = reader.readOptionalString() else { return false }; name = v
            case "agency": guard once(8), let v = reader.readOptionalBool() else { return false }; agency = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Author(id: id ?? "", handle: handle, name: name, agency: agency ?? false)
    }

    private mutating func readAttachment() -> Attachment? {
        var url: String?, mediaType: String?, description: String?
        var seen: UInt32 = 0
        let ok = readObject { reader, key in
            func once(_ bit: UInt32) -> Bool {
                if seen & bit != 0 { return false }
                seen |= bit
                return true
            }
            switch key {
            case "url": guard once(1), let v = reader.readOptionalString() else { return false }; url = v
            case "mediaType": guard once(2), let v = reader.readOptionalString() else { return false }; mediaType = v
            case "description": guard once(4), let v = reader.readOptionalString() else { return false }; description = v
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
        var seen: UInt32 = 0
        let ok = readObject { reader, key in
            func once(_ bit: UInt32) -> Bool {
                if seen & bit != 0 { return false }
                seen |= bit
                return true
            }
            switch key {
            case "id": guard once(1 << 0), let v = reader.readString() else { return false }; id = v
            case "account": guard once(1 << 1), let v = reader.readOptionalString() else { return false }; account = v
            case "journal": guard once(1 << 2), let v = reader.readBool() else { return false }; journal = v
            case "type":
                guard once(1 << 3), let v = reader.readString(), let t = JournalType(rawValue: v) else { return false }; type = t
            case "status":
                guard once(1 << 4), let v = reader.readOptionalString() else { return false }
                guard let raw = v else { status = nil; return true }
                guard let s = JournalStatus(rawValue: raw) else { return false }; status = s
            case "access":
                guard once(1 << 5) else { return false }
                if reader.readNull() { access = nil; return true }
                guard let a = reader.readAccess() else { return false }; access = a
            case "retention":
                guard once(1 << 6), let v = reader.readString(), let r = Retention(rawValue: v) else { return false }; retention = r
            case "rules":
                guard once(1 << 7), let v = reader.readOptionalStrings() else { return false }; rules = v
            case "reason": guard once(1 << 8), let v = reader.readOptionalString() else { return false }; reason = v
            case "profile": guard once(1 << 9), let v = reader.readOptionalString() else { return false }; profile = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok, let id, let journal, let type, let retention else { return nil }
        return Decision(id: id, account: account ?? "", journal: journal, type: type, status: status, access: access ?? .open,
                        retention: retention, rules: rules ?? [], reason: reason ?? "", profile: profile ?? "")
    }

    private mutating func readAccess() -> Access? {
        var restricted: Bool?, basis: String?, screen: [String]?
        var seen: UInt32 = 0
        let ok = readObject { reader, key in
            func once(_ bit: UInt32) -> Bool {
                if seen & bit != 0 { return false }
                seen |= bit
                return true
            }
            switch key {
            case "restricted": guard once(1), let v = reader.readOptionalBool() else { return false }; restricted = v
            case "basis": guard once(2), let v = reader.readOptionalString() else { return false }; basis = v
            case "screen": guard once(4), let v = reader.readOptionalStrings() else { return false }; screen = v
            default: return reader.skipValue()
            }
            return true
        }
        guard ok else { return nil }
        return Access(restricted: restricted ?? false, basis: basis, screen: screen ?? [])
    }

    // MARK: JSON pieces

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    fileprivate func atEnd() -> Bool {
        var i = index
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return false
            }
        }
        return true
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { return false }
        index += count
        return true
    }

    private mutating func readNull() -> Bool { literal("null") }

    /// `{ "key": value, … }`; `field` reads the value after the colon and says whether it could.
    /// Keys are compared as bytes where they stand (a key with an escape is left to the
    /// Codable reader): building a String per key and switching over strings was a third
    /// of reading an item.
    private mutating func readObject(_ field: (inout RecordReader, Key) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = readKey(), consume(UInt8(ascii: ":")) else { return false }
            guard field(&self, key) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    private mutating func readArray(_ element: (inout RecordReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        let start: Int
        let count: Int

        static func ~= (name: StaticString, key: Key) -> Bool {
            guard key.count == name.utf8CodeUnitCount else { return false }
            let start = name.utf8Start
            for k in 0..<key.count where key.bytes[key.start + k] != start[k] { return false }
            return true
        }
    }

    private mutating func readKey() -> Key? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                index += 1
                return Key(bytes: bytes, start: start, count: index - 1 - start)
            }
            if byte == 0x5C || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private mutating func readBool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// nil when the value is neither a bool nor null; .some(nil) for null.
    private mutating func readOptionalBool() -> Bool?? {
        if readNull() { return .some(nil) }
        guard let value = readBool() else { return nil }
        return .some(value)
    }

    private mutating func readOptionalString() -> String?? {
        if readNull() { return .some(nil) }
        guard let value = readString() else { return nil }
        return .some(value)
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

    private mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return value
            }
            if byte == 0x5C { return readEscapedString(from: start) }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// The slow half of `readString`, for strings with backslash escapes.
    private mutating func readEscapedString(from start: Int) -> String? {
        var out: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22:
                return String(validating: out, as: UTF8.self)
            case 0x5C:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = readHex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                        index += 2
                        guard let low = readHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        return nil
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: String(Character(unicode)).utf8)
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    private mutating func readHex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            switch c {
            case 0x30...0x39: value = value << 4 | UInt32(c - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(c - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | UInt32(c - 0x61 + 10)
            default: return nil
            }
        }
        return value
    }

    /// Steps over one value of any type (keys this reader does not use).
    private mutating func skipValue() -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return readString() != nil
        case UInt8(ascii: "{"): return readObject { reader, _ in reader.skipValue() }
        case UInt8(ascii: "["): return readArray { reader in reader.skipValue() }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            let start = index
            while index < bytes.count, let c = Optional(bytes[index]),
                  (0x30...0x39).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                index += 1
            }
            return index > start
        }
    }
}
