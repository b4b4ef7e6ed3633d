/// Text from the platforms made safe to show in a terminal: the one place every line the
/// command line prints (journal, review list, show, search, status, verify, export, user
/// list, and the warnings on stderr) and every CSV cell goes through.
///
/// A title, name or post is written by the public. Printed raw, `ESC [2J` clears the
/// officer's screen, `ESC [1A ESC [2K` erases the line above (the one that said
/// "Access: restricted"), `ESC ] 0; … BEL` sets the window title and `ESC ] 8` makes a
/// link. So every control character is replaced by a visible stand-in:
///
/// - **C0 (U+0000–U+001F) except newline and tab** becomes its Unicode *control picture*
///   (U+2400 + code: `␛` for ESC, `␍` for carriage return, `␀` for NUL), and **DEL**
///   becomes `␡` (U+2421). A picture rather than U+FFFD because it tells the officer
///   *which* character the platform sent: `␛[2J` reads as an attempted escape sequence,
///   and is a finding in itself. The exact characters stay in the registry and in the JSON
///   output (`--format json`), so nothing is lost. Newline and tab are layout and are kept
///   (the renderers put each one-line field on its own line already).
/// - **C1 (U+0080–U+009F)** becomes U+FFFD `�`: there are no pictures for them, and a
///   terminal that reads UTF-8 may still act on them (U+009B is a CSI, U+009D an OSC).
/// - **Bidi overrides and isolates** (U+202A–U+202E, U+2066–U+2069) become U+FFFD too.
///   They do not drive the terminal, but in a terminal that lays out bidirectional text
///   they reorder what follows on the line ("Trojan Source"), so a title could make the
///   officer read the line otherwise than it is. Real right-to-left text (Arabic,
///   Hebrew) needs none of them to display, so replacing them costs nothing but shows
///   where someone placed one. The weak marks (U+200E, U+200F, U+061C) are kept: they
///   only nudge neutral characters and cannot reorder a line.
///
/// JSON is not cleaned with this (it is data and must give back the exact text): use
/// ``json(_:)``, which writes the same characters as `\uXXXX` escapes instead.
///
/// ```swift
/// TerminalText.clean("Hi\u{1B}[2J there")   // "Hi␛[2J there"
/// ```
public enum TerminalText {
    /// Whether `scalar` is replaced in text for a terminal.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The visible character shown in place of an unsafe one.
    public static func standIn(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F: return Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: return "\u{2421}"
        default: return "\u{FFFD}"
        }
    }

    /// `text` with every control character, C1 code point and bidi override replaced by
    /// its stand-in; newline and tab kept. Text without any is returned as it is.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(isUnsafe(scalar) ? standIn(for: scalar) : scalar)
        }
        return String(out)
    }

    /// A field that is one line on the page (a title, a name): cleaned as ``clean(_:)``,
    /// and a newline left in it shown as `␤` (U+2424), so a name or a title whose first
    /// "line" ends in CR LF cannot start a line of its own that looks like the output's
    /// (`    Access: open`).
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) || $0 == "\n" }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar == "\n" ? "\u{2424}" : isUnsafe(scalar) ? standIn(for: scalar) : scalar)
        }
        return String(out)
    }

    /// A JSON text (as `JSONLines.encode` writes it) with DEL, C1 code points and bidi
    /// overrides written as `\uXXXX` escapes, as the encoder already writes C0: the same
    /// value for a JSON reader, and nothing for a terminal to act on. Only string contents
    /// can hold such characters (JSON's own syntax is ASCII), so the escape always lands
    /// inside a string.
    public static func json(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
