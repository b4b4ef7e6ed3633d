import DiariumCore
import Foundation

/// The formats every listing command offers.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, csv, json, html
}

/// Escaping for the formats the program writes. Text from the internet is never
/// trusted: it is escaped in every HTML page and CSV cell, and neither carries a control
/// character (`TerminalText`): a CSV file or an HTML page may well be read in a terminal.
public enum Escape {
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters are not allowed in HTML text either; bidi overrides are
            // left to the browser, which confines them to their element.
            case _ where ch.value < 0x20 || (0x7F...0x9F).contains(ch.value):
                out.unicodeScalars.append(TerminalText.isUnsafe(ch) ? TerminalText.standIn(for: ch) : ch)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// One CSV cell (RFC 4180), with spreadsheet formula injection neutralised: a cell
    /// that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`. Control
    /// characters and bidi overrides are replaced as on a terminal (`TerminalText.clean`),
    /// in every cell: ESC or NUL never reaches the file.
    public static func csv(_ text: String) -> String {
        var value = TerminalText.clean(text)
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}

