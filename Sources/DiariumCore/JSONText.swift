import Foundation

/// A small JSON writer for the two objects the registry stores for every item version
/// (the item and its decision). Foundation's JSONEncoder spent more time than the rest
/// of ingest together; this writes the same keys and values, and a test holds the two
/// to the same output.
public struct JSONText {
    /// UTF-8 bytes, turned into a String once at the end: appending to a String
    /// piece by piece cost more than the rest of writing the two objects.
    private var out: [UInt8] = []
    /// Whether the next key or element needs a comma before it.
    private var needsComma = false

    public init() {
        out.reserveCapacity(512)
    }

    public var text: String { String(decoding: out, as: UTF8.self) }

    mutating func separate() {
        if needsComma { out.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    mutating func key(_ name: StaticString) {
        separate()
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func raw(_ literal: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    public mutating func beginObject() {
        out.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        out.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        out.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        out.append(UInt8(ascii: "]"))
        needsComma = true
    }

    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { Self.appendString(value, to: &out) } else { raw("null") }
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        if value { raw("true") } else { raw("false") }
    }

    /// A date as RFC 3339, or null for one `Timestamp.parse` could not read back (a year
    /// outside 0000…9999): a stored record never holds a date text it cannot read again.
    /// Ingest leaves such dates out earlier, with a log line (`Item.clearDates`).
    public mutating func field(_ name: StaticString, _ value: Date?) {
        field(name, value.flatMap(Timestamp.storable))
    }

    public mutating func objectField(_ name: StaticString) {
        key(name)
        beginObject()
    }

    public mutating func arrayField(_ name: StaticString) {
        key(name)
        beginArray()
    }

    public mutating func element(_ value: String) {
        separate()
        Self.appendString(value, to: &out)
    }

    public mutating func elementObject() {
        separate()
        beginObject()
    }

    /// `value` as a JSON string literal, escaped as `JSONText` writes it.
    public static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        appendString(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON string escaping as JSONEncoder does it (without escaping slashes).
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainStart = 0
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                if byte == 0x22 || byte == 0x5C || byte < 0x20 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                    out.append(UInt8(ascii: "\\"))
                    switch byte {
                    case 0x22: out.append(0x22)
                    case 0x5C: out.append(0x5C)
                    case 0x0A: out.append(UInt8(ascii: "n"))
                    case 0x0D: out.append(UInt8(ascii: "r"))
                    case 0x09: out.append(UInt8(ascii: "t"))
                    case 0x08: out.append(UInt8(ascii: "b"))
                    case 0x0C: out.append(UInt8(ascii: "f"))
                    default:
                        let hex: StaticString = "0123456789abcdef"
                        out.append(UInt8(ascii: "u"))
                        out.append(UInt8(ascii: "0"))
                        out.append(UInt8(ascii: "0"))
                        out.append(hex.utf8Start[Int(byte >> 4)])
                        out.append(hex.utf8Start[Int(byte & 0xF)])
                    }
                    index += 1
                    plainStart = index
                } else {
                    index += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension Item {
    /// The item as one JSON object, keys in sorted order (as `JSONLines.encode`).
    public var jsonText: String {
        var w = JSONText()
        w.beginObject()
        w.field("account", account)
        w.arrayField("attachments")
        for a in attachments {
            w.elementObject()
            w.field("description", a.description)
            w.field("mediaType", a.mediaType)
            w.field("url", a.url)
            w.endObject()
        }
        w.endArray()
        w.author("author", author)
        w.field("createdAt", createdAt)
        w.field("deletedAt", deletedAt)
        w.field("editedAt", editedAt)
        w.field("id", id)
        w.field("inReplyTo", inReplyTo)
        w.field("kind", kind.rawValue)
        w.field("language", language)
        w.field("platform", platform.rawValue)
        if let poll {
            w.objectField("poll")
            w.field("expiresAt", poll.expiresAt)
            w.field("multiple", poll.multiple)
            w.arrayField("options")
            for o in poll.options { w.element(o) }
            w.endArray()
            w.endObject()
        }
        if let quoted { w.sharedPost("quoted", quoted) }
        if let shared { w.sharedPost("shared", shared) }
        w.field("text", text)
        w.field("threadRoot", threadRoot)
        w.field("url", url)
        w.field("visibility", visibility?.rawValue)
        w.endObject()
        return w.text
    }
}

extension JSONText {
    mutating func author(_ name: StaticString, _ author: Author) {
        objectField(name)
        field("agency", author.agency)
        field("handle", author.handle)
        field("id", author.id)
        field("name", author.name)
        endObject()
    }

    mutating func sharedPost(_ name: StaticString, _ post: SharedPost) {
        objectField(name)
        if let author = post.author { self.author("author", author) } else { field("author", nil as String?) }
        field("id", post.id)
        field("state", post.state)
        field("url", post.url)
        endObject()
    }
}

extension Decision {
    /// The decision as one JSON object, keys in sorted order (as `JSONLines.encode`).
    public var jsonText: String {
        var w = JSONText()
        w.beginObject()
        w.objectField("access")
        w.field("basis", access.basis)
        w.field("restricted", access.restricted)
        w.arrayField("screen")
        for s in access.screen { w.element(s) }
        w.endArray()
        w.endObject()
        w.field("account", account)
        w.field("id", id)
        w.field("journal", journal)
        w.field("profile", profile)
        w.field("reason", reason)
        w.field("retention", retention.rawValue)
        if let retentionBasis { w.field("retentionBasis", retentionBasis) }
        if let retentionEnds { w.field("retentionEnds", retentionEnds) }
        if let retentionPeriod { w.field("retentionPeriod", retentionPeriod) }
        w.arrayField("rules")
        for r in rules { w.element(r) }
        w.endArray()
        w.field("status", status?.rawValue)
        w.field("type", type.rawValue)
        w.endObject()
        return w.text
    }
}
