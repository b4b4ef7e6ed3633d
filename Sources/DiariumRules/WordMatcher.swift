import DiariumCore

/// Runs all six detectors over a text. Built once per rulebook: every word-list
/// pattern goes into one byte trie, so one walk from each word start finds every
/// whole word, stem and phrase of every detector at once, at a cost that does not
/// grow with the number of patterns.
struct WordMatcher: Sendable {
    /// Children of the root, indexed by byte (-1: none); the root is the busiest node.
    private var rootChildren = [Int32](repeating: -1, count: 256)
    /// For every other node: its child bytes and child node numbers, side by side.
    private var childBytes: [[UInt8]] = [[]]
    private var childNodes: [[Int32]] = [[]]
    /// Detectors whose whole-word pattern ends at this node.
    private var exact: [UInt8] = [0]
    /// Detectors whose stem pattern ends at this node.
    private var stem: [UInt8] = [0]
    private let minLinks: Int

    init(_ lists: WordLists) {
        minLinks = lists.minLinks
        for detector in Detector.allCases where detector.usesWords {
            for raw in lists.allPatterns(detector) {
                // Patterns were validated when the file was read; skip rather than trap.
                guard case .success(let pattern) = WordPattern.compile(raw) else { continue }
                insert(pattern, detector.bit.rawValue)
            }
        }
    }

    private mutating func insert(_ pattern: WordPattern, _ bit: UInt8) {
        var node: Int32 = 0
        for byte in pattern.bytes {
            if let next = child(of: node, byte) {
                node = next
                continue
            }
            let new = Int32(exact.count)
            exact.append(0); stem.append(0); childBytes.append([]); childNodes.append([])
            if node == 0 {
                rootChildren[Int(byte)] = new
            } else {
                childBytes[Int(node)].append(byte)
                childNodes[Int(node)].append(new)
            }
            node = new
        }
        if pattern.isStem { stem[Int(node)] |= bit } else { exact[Int(node)] |= bit }
    }

    @inline(__always)
    private func child(of node: Int32, _ byte: UInt8) -> Int32? {
        if node == 0 {
            let c = rootChildren[Int(byte)]
            return c < 0 ? nil : c
        }
        let keys = childBytes[Int(node)]
        for i in keys.indices where keys[i] == byte { return childNodes[Int(node)][i] }
        return nil
    }

    /// The detectors that fire on `text`.
    func detect(_ text: String) -> DetectorSet {
        let scan = Tokenizer.scan(text)
        var found = matchWords(scan)
        // `question` needs both a question mark and one of its words.
        if !scan.hasQuestionMark { found.remove(Detector.question.bit) }
        if scan.links >= minLinks { found.insert(Detector.spam.bit) }
        // Most texts hold no digit run shaped like a national number and skip the search.
        if scan.mayHoldNationalID, NationalIdentityNumber.containsAny(in: text) {
            found.insert(Detector.nationalID.bit)
        }
        return found
    }

    private func matchWords(_ scan: ScannedText) -> DetectorSet {
        var found: UInt8 = 0
        let words = scan.words
        let n = words.count
        for start in scan.wordStarts {
            var node: Int32 = 0
            var p = start
            while p < n, let next = child(of: node, words[p]) {
                node = next
                p += 1
                found |= stem[Int(node)]
                if exact[Int(node)] != 0, scan.isBoundary(p) { found |= exact[Int(node)] }
            }
        }
        return DetectorSet(rawValue: found)
    }
}
