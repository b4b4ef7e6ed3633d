/// The detectors' word lists, per detector and language, as the rule files wrote
/// them. Every list applies to every item whatever its `language`: platforms often
/// report no language or a wrong one, and agencies' followers mix Norwegian, Swedish
/// and English in one thread. The language split only keeps the files readable.
struct WordLists: Sendable, Equatable {
    /// The language keys a word list may use; `other` holds words of no one language
    /// (brand names such as "bitcoin").
    static let languages = ["nb", "nn", "sv", "en", "other"]

    /// Detector → language → patterns, in file order.
    var lists: [Detector: [String: [String]]] = [:]
    /// `spam` fires on this many links or more.
    var minLinks = 3

    func patterns(_ detector: Detector, _ language: String) -> [String] {
        lists[detector]?[language] ?? []
    }

    mutating func replace(_ detector: Detector, _ language: String, with patterns: [String]) {
        lists[detector, default: [:]][language] = patterns
    }

    mutating func add(_ detector: Detector, _ language: String, _ patterns: [String]) {
        var current = lists[detector]?[language] ?? []
        for p in patterns where !current.contains(p) { current.append(p) }
        lists[detector, default: [:]][language] = current
    }

    mutating func remove(_ detector: Detector, _ language: String, _ patterns: [String]) {
        let drop = Set(patterns.map { $0.lowercased() })
        lists[detector]?[language]?.removeAll { drop.contains($0.lowercased()) }
    }

    /// Every pattern of a detector, all languages together.
    func allPatterns(_ detector: Detector) -> [String] {
        Self.languages.flatMap { patterns(detector, $0) }
    }
}

/// One entry of a word list, compiled: `klag*` is a stem (any ending), `søke om` a
/// phrase of two whole words, `kan` one whole word (so `kanskje` is not `kan`).
/// Stems are plain prefixes: `klag*` matches `klagemur` too. That is deliberate: a
/// false proposal costs the officer one click, a missed complaint costs a case.
struct WordPattern: Sendable, Equatable {
    /// Lowercased NFC words joined by the tokenizer's separators.
    var bytes: [UInt8]
    var isStem: Bool

    /// Compiles `raw`, or returns why it is not a usable pattern.
    static func compile(_ raw: String) -> Result<WordPattern, PatternProblem> {
        var body = Substring(raw.trimmingWhitespace())
        let isStem = body.hasSuffix("*")
        if isStem { body = body.dropLast() }
        if body.contains("*") { return .failure(.init("\"\(raw)\" may only have a * at its end")) }
        if body.isEmpty { return .failure(.init("\"\(raw)\" is empty")) }
        let scan = Tokenizer.scan(String(body))
        guard !scan.words.isEmpty else { return .failure(.init("\"\(raw)\" has no letters or digits")) }
        if isStem, let last = body.unicodeScalars.last, Tokenizer.scan(String(last)).words.isEmpty {
            return .failure(.init("\"\(raw)\" must have a letter or digit right before its *"))
        }
        return .success(WordPattern(bytes: scan.words, isStem: isStem))
    }

    struct PatternProblem: Error { var text: String; init(_ text: String) { self.text = text } }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
