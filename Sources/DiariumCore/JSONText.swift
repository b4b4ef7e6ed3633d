import Foundation

/// A small JSON writer for the two objects the registry stores for every item version
/// (the item and its decision). Foundation's JSONEncoder spent more time than the rest
/// of ingest together; this writes the same keys and values, and a test holds the two
/// to the same output.
public struct JSONText {
    private(set) var out: String = ""
    private var needsComma = [false]

    public init() {
        out.reserveCapacity(512)
    }

    public var text: String { out }

    mutating func separate() {
        if needsComma[needsComma.count - 1] { out += "," }
        needsComma[needsComma.count - 1] = true
    }

    mutating func key(_ name: String) {
        separate()
        out += "\""
        out += name
        out += "\":"
    }

    public mutating func beginObject() {
        out += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        out += "}"
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        out += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        out += "]"
        needsComma.removeLast()
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { Self.appendString(value, to: &out) } else { out += "null" }
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        out += value ? "true" : "false"
    }

    public mutating func field(_ name: String, _ value: Date?) {
        field(name, value.map(Timestamp.format))
    }

    public mutating func objectField(_ name: String) {
        key(name)
        beginObject()
    }

    public mutating func arrayField(_ name: String) {
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

    /// JSON string escaping as JSONEncoder does it (without escaping slashes).
    static func appendString(_ value: String, to out: inout String) {
        out += "\""
        var plainStart = value.utf8.startIndex
        let utf8 = value.utf8
        var index = plainStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 {
                out += value[plainStart..<index]
                switch byte {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                default:
                    let hex = Array("0123456789abcdef")
                    out += "\\u00" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
                }
                index = utf8.index(after: index)
                plainStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        out += value[plainStart..<utf8.endIndex]
        out += "\""
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
        w.objectField("author")
        w.field("agency", author.agency)
        w.field("handle", author.handle)
        w.field("id", author.id)
        w.field("name", author.name)
        w.endObject()
        w.field("createdAt", createdAt)
        w.field("deletedAt", deletedAt)
        w.field("editedAt", editedAt)
        w.field("id", id)
        w.field("inReplyTo", inReplyTo)
        w.field("kind", kind.rawValue)
        w.field("language", language)
        w.field("platform", platform.rawValue)
        w.field("text", text)
        w.field("threadRoot", threadRoot)
        w.field("url", url)
        w.field("visibility", visibility?.rawValue)
        w.endObject()
        return w.text
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
        w.arrayField("rules")
        for r in rules { w.element(r) }
        w.endArray()
        w.field("status", status?.rawValue)
        w.field("type", type.rawValue)
        w.endObject()
        return w.text
    }
}
