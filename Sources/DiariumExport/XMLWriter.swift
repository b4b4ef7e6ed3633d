import Foundation

/// A small streaming XML writer. Every text and attribute value goes through `escape`
/// (invariant 9: text from the internet is never trusted), and a value that is missing,
/// empty or only whitespace is never written: Noark 5 extracts must hold no empty
/// element (Arkade N5.63), so optional elements are simply left out and required ones
/// must be given a real value by the caller (`required` refuses an empty one).
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var stack: [String] = []

    init() {}

    /// Opens an element; attributes are written in the given order.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        indent()
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value))\"" }
        text += ">\n"
        stack.append(name)
    }

    /// Opens an element whose attributes are decided at run time (METS and PREMIS leave
    /// optional attributes out rather than writing them empty).
    mutating func open(_ name: String, attributes: [(String, String)]) {
        indent()
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value))\"" }
        text += ">\n"
        stack.append(name)
    }

    /// An element with attributes only (`<mptr …/>`): an XSD element of empty content
    /// must not even hold the whitespace `open` and `close` would put in it.
    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        indent()
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value))\"" }
        text += "/>\n"
    }

    mutating func close() {
        guard let name = stack.popLast() else { return }
        indent()
        text += "</\(name)>\n"
    }

    /// An element with text content, left out when the value is nil or blank.
    mutating func element(_ name: String, _ value: String?, _ attributes: KeyValuePairs<String, String> = [:]) {
        guard let value, !Self.isBlank(value) else { return }
        indent()
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value))\"" }
        text += ">\(Self.escape(value))</\(name)>\n"
    }

    mutating func element(_ name: String, _ value: Int?) {
        element(name, value.map(String.init))
    }

    /// An element the schema requires: a blank value is replaced by `fallback`, which
    /// callers choose so that it says what is missing rather than leaving it empty.
    mutating func required(_ name: String, _ value: String?, fallback: String) {
        if let value, !Self.isBlank(value) {
            element(name, value)
        } else {
            element(name, fallback)
        }
    }

    var data: Data { Data(text.utf8) }

    private mutating func indent() {
        text += String(repeating: "  ", count: stack.count)
    }

    static func isBlank(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    /// Escapes markup characters and replaces characters XML 1.0 cannot carry (control
    /// characters other than tab, newline and carriage return; U+FFFE and U+FFFF) with
    /// U+FFFD, so hostile or broken platform text can never break the document.
    static func escape(_ value: String) -> String {
        var out = String()
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
