/// Turns what a person types into an FTS5 expression that cannot be a syntax error:
/// each word becomes a quoted term (prefix-matched when it ends in `*`), all of them
/// required. The auditor issue will add operators; this keeps plain search safe.
enum SearchQuery {
    static func ftsExpression(_ query: String) -> String? {
        let words = query.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return nil }
        return words.map { word -> String in
            var w = String(word)
            let prefix = w.hasSuffix("*")
            if prefix { w.removeLast() }
            let quoted = "\"" + w.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return prefix ? quoted + "*" : quoted
        }.joined(separator: " ")
    }
}
