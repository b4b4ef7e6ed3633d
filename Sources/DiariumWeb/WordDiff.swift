import Foundation

/// A word-level diff between two versions of a post, for the item page's side-by-side
/// view: the longest common subsequence of words, the rest marked as removed or added.
/// Whitespace is kept with the word before it, so the marked text reads as written.
public enum WordDiff {
    public enum Part: Sendable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// Above this many words on either side, the versions are shown as replaced whole
    /// (the table is quadratic; posts are far shorter).
    static let limit = 3000

    public static func diff(_ old: String, _ new: String) -> [Part] {
        let a = words(old)
        let b = words(new)
        guard a.count <= limit, b.count <= limit else {
            return [.removed(old), .added(new)].filter { part in
                if case .removed(let t) = part { return !t.isEmpty }
                if case .added(let t) = part { return !t.isEmpty }
                return true
            }
        }
        let n = a.count, m = b.count
        // lcs[i][j]: length of the LCS of a[i...] and b[j...]; compared by word without
        // its trailing whitespace, so a changed line break alone is not a change.
        let ka = a.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let kb = b.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = ka[i] == kb[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var parts: [Part] = []
        func push(_ part: Part) {
            switch (parts.last, part) {
            case (.same(let x)?, .same(let y)): parts[parts.count - 1] = .same(x + y)
            case (.removed(let x)?, .removed(let y)): parts[parts.count - 1] = .removed(x + y)
            case (.added(let x)?, .added(let y)): parts[parts.count - 1] = .added(x + y)
            default: parts.append(part)
            }
        }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, ka[i] == kb[j] {
                push(.same(b[j])); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                push(.removed(a[i])); i += 1
            } else {
                push(.added(b[j])); j += 1
            }
        }
        return parts
    }

    /// Words with their trailing whitespace; leading whitespace is its own word.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inSpace = false
        for ch in text {
            if ch.isWhitespace {
                inSpace = true
                current.append(ch)
            } else {
                if inSpace && !current.isEmpty {
                    out.append(current)
                    current = ""
                }
                inSpace = false
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The diff as HTML: every piece escaped, removals in `<del>`, additions in `<ins>`.
    public static func html(_ parts: [Part]) -> String {
        parts.map { part in
            switch part {
            case .same(let t): return HTML.escape(t)
            case .removed(let t): return "<del>\(HTML.escape(t))</del>"
            case .added(let t): return "<ins>\(HTML.escape(t))</ins>"
            }
        }.joined()
    }
}
