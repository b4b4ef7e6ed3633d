import DiariumCore

/// What a person types into search, checked and turned into an FTS5 expression that
/// cannot be an SQL or FTS syntax error. The language, said in one line in every error:
/// words (all required), "exact phrases", a trailing * for any ending, OR between two
/// terms, and -word to leave out.
public enum SearchQuery {
    public static let syntax = "Write words (all must match), \"exact phrases\", word* for any ending, OR between two terms, and -word to leave a word out."

    /// Whether a term of the query could match a one-letter token: a one-letter word, or a
    /// one-letter prefix (`m*`). The tokenizer splits at whatever is not a letter or a digit,
    /// so any run of one letter or digit in what was typed counts; a word of two or more
    /// letters can never fold into one. Conservative by design: true is always safe.
    public static func mayMatchOneLetterTokens(_ query: String) -> Bool {
        var run = 0
        for character in query {
            if character.isLetter || character.isNumber {
                run += 1
            } else {
                if run == 1 { return true }
                run = 0
            }
        }
        return run == 1
    }

    /// The FTS5 expression, or nil for an empty query (which matches everything).
    public static func ftsExpression(_ query: String) throws -> String? {
        var positives: [[String]] = []   // groups joined by AND; the terms of a group by OR
        var negatives: [String] = []
        var pendingOr = false
        var chars = Substring(query)

        func term(_ raw: Substring) throws -> String {
            var word = String(raw)
            let prefix = word.hasSuffix("*")
            if prefix { word.removeLast() }
            guard !word.isEmpty, !word.contains("*") else {
                throw RegistryError("The search term '\(raw)' is not valid: * may only end a word. \(syntax)")
            }
            return "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? "*" : "")
        }

        while let first = chars.first {
            if first.isWhitespace { chars = chars.dropFirst(); continue }
            var negate = false
            if first == "-" && chars.count > 1 && !(chars.dropFirst().first?.isWhitespace ?? true) {
                negate = true
                chars = chars.dropFirst()
            }
            var expression: String
            if chars.first == "\"" {
                let rest = chars.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else {
                    throw RegistryError("The search has an unclosed quote. \(syntax)")
                }
                let phrase = rest[..<close].split(whereSeparator: \.isWhitespace)
                guard !phrase.isEmpty else { throw RegistryError("The search has an empty phrase \"\". \(syntax)") }
                expression = "\"" + phrase.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
                chars = rest[rest.index(after: close)...]
            } else {
                let end = chars.firstIndex(where: { $0.isWhitespace || $0 == "\"" }) ?? chars.endIndex
                let word = chars[..<end]
                chars = chars[end...]
                if word == "OR" && !negate {
                    guard !positives.isEmpty, !pendingOr else {
                        throw RegistryError("OR must stand between two search terms. \(syntax)")
                    }
                    pendingOr = true
                    continue
                }
                expression = try term(word)
            }
            if negate {
                guard !pendingOr else { throw RegistryError("OR must stand between two search terms, not before a -word. \(syntax)") }
                negatives.append(expression)
            } else if pendingOr {
                positives[positives.count - 1].append(expression)
                pendingOr = false
            } else {
                positives.append([expression])
            }
        }
        if pendingOr { throw RegistryError("OR must stand between two search terms. \(syntax)") }
        if positives.isEmpty {
            if negatives.isEmpty { return nil }
            throw RegistryError("A search cannot consist only of -words: say what to find. \(syntax)")
        }
        var fts = positives.map { $0.count == 1 ? $0[0] : "(" + $0.joined(separator: " OR ") + ")" }.joined(separator: " AND ")
        for n in negatives { fts = "(\(fts)) NOT \(n)" }
        return fts
    }
}
