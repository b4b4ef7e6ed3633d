/// TOMLKit's parser (toml++ 3) asserts instead of reporting an error when a table header
/// names nothing it can read, e.g. `[` followed by a line break, `[ ]x` or `[{`: a debug
/// build aborts and a release build is undefined behaviour. Found by the configuration
/// fuzz test. This check runs first and turns such a header into one sentence.
///
/// It looks at every line whose first non-blank character is `[`, so it is stricter than
/// TOML in one corner the configuration never uses: a multi-line array (or string) with a
/// line that starts with `[` followed by something other than a key.
enum TableHeaderGuard {
    static func check(_ text: String, file: String) throws {
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            if rest.first == "[" { rest = rest.dropFirst() }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let next = rest.unicodeScalars.first else {
                throw ConfigurationError("\(file) line \(number): a table header must name a table, like [poll] or [[account]].")
            }
            let readable = (next.isASCII && (next.properties.isAlphabetic || ("0"..."9").contains(next)))
                || next == "_" || next == "-" || next == "\"" || next == "'" || next == "]"
            guard readable else {
                throw ConfigurationError("\(file) line \(number): a table header must name a table, like [poll] or [[account]].")
            }
        }
    }
}
