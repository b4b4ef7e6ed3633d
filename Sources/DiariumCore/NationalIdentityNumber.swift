/// Finds valid national identity numbers in free text: Norwegian fødselsnummer and
/// D-numbers (two mod-11 control digits) and Swedish personnummer and
/// samordningsnummer (Luhn). Only numbers whose control digits hold count, so a phone
/// or case number of the same length is not mistaken for one. The rulebook uses it to
/// screen, and every published journal uses it to mask, whatever the decision said.
public enum NationalIdentityNumber {
    public enum Kind: String, Sendable { case norwegianBirthNumber, norwegianDNumber, swedishPersonalNumber, swedishCoordinationNumber }

    public struct Match: Sendable {
        public var kind: Kind
        public var range: Range<String.Index>
        public var digits: String
    }

    /// Every valid number in `text`, in order.
    public static func find(in text: String) -> [Match] {
        var matches: [Match] = []
        let chars = Array(text.indices)
        var i = 0
        while i < chars.count {
            guard text[chars[i]].isASCIIDigitChar, i == 0 || !text[chars[i - 1]].isASCIIDigitChar else { i += 1; continue }
            // A group of digits, optionally one separator, and a second group.
            var j = i
            while j < chars.count, text[chars[j]].isASCIIDigitChar { j += 1 }
            let first = j - i
            var groups = [(i, j)]
            if j + 1 < chars.count, "-+ ".contains(text[chars[j]]), text[chars[j + 1]].isASCIIDigitChar {
                var k = j + 1
                while k < chars.count, text[chars[k]].isASCIIDigitChar { k += 1 }
                groups.append((j + 1, k))
            }
            // Try the two groups together first (`DDMMYY NNNNN`, `YYMMDD-NNNN`), then the
            // first group alone: a valid number followed by a space and an unrelated number
            // ("01019012345 2 barn") must still be found.
            var candidates = [groups]
            if groups.count == 2 { candidates.append([groups[0]]) }
            var found: (kind: Kind, end: Int, digits: String)?
            for candidate in candidates {
                let digits = candidate.map { g in String(chars[g.0..<g.1].map { text[$0] }) }.joined()
                let lengths = candidate.map { $0.1 - $0.0 }
                if let kind = Self.kind(digits: digits, lengths: lengths) {
                    found = (kind, candidate.last!.1, digits)
                    break
                }
            }
            if let found {
                let range = chars[i]..<(found.end < chars.count ? chars[found.end] : text.endIndex)
                matches.append(Match(kind: found.kind, range: range, digits: found.digits))
                i = found.end
            } else {
                i += max(first, 1)
            }
        }
        return matches
    }

    /// The kind of number that digit groups of these lengths form, if their control digits hold.
    private static func kind(digits: String, lengths: [Int]) -> Kind? {
        switch lengths {
        case [11], [6, 5]: return norwegian(digits)
        case [10], [6, 4]: return swedish(digits)
        case [12], [8, 4]: return swedish(String(digits.dropFirst(2)))
        default: return nil
        }
    }

    public static func containsAny(in text: String) -> Bool {
        !find(in: text).isEmpty
    }

    /// `text` with every valid number replaced by `replacement`.
    public static func mask(_ text: String, with replacement: String = "******") -> String {
        let found = find(in: text)
        guard !found.isEmpty else { return text }
        var out = ""
        var cursor = text.startIndex
        for m in found {
            out += text[cursor..<m.range.lowerBound]
            out += replacement
            cursor = m.range.upperBound
        }
        out += text[cursor...]
        return out
    }

    /// Fødselsnummer DDMMYYIIIKK or D-number (day + 40), both control digits checked.
    public static func norwegian(_ digits: String) -> Kind? {
        let d = digits.compactMap { $0.wholeNumberValue }
        guard d.count == 11 else { return nil }
        let w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
        let w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        func control(_ weights: [Int]) -> Int? {
            let sum = zip(weights, d).reduce(0) { $0 + $1.0 * $1.1 }
            let k = 11 - sum % 11
            return k == 11 ? 0 : (k == 10 ? nil : k)
        }
        guard let k1 = control(w1), k1 == d[9], let k2 = control(w2), k2 == d[10] else { return nil }
        var day = d[0] * 10 + d[1]
        let month = d[2] * 10 + d[3]
        var kind = Kind.norwegianBirthNumber
        if day > 40 { day -= 40; kind = .norwegianDNumber }
        guard (1...31).contains(day), (1...12).contains(month) else { return nil }
        return kind
    }

    /// Personnummer YYMMDDNNNK or samordningsnummer (day + 60), Luhn-checked.
    public static func swedish(_ digits: String) -> Kind? {
        let d = digits.compactMap { $0.wholeNumberValue }
        guard d.count == 10 else { return nil }
        var sum = 0
        for (index, value) in d.enumerated() {
            var v = index % 2 == 0 ? value * 2 : value
            if v > 9 { v -= 9 }
            sum += v
        }
        guard sum % 10 == 0 else { return nil }
        var day = d[4] * 10 + d[5]
        let month = d[2] * 10 + d[3]
        var kind = Kind.swedishPersonalNumber
        if day > 60 { day -= 60; kind = .swedishCoordinationNumber }
        guard (1...31).contains(day), (1...12).contains(month) else { return nil }
        return kind
    }
}

extension Character {
    var isASCIIDigitChar: Bool { isASCII && isWholeNumber }
}
