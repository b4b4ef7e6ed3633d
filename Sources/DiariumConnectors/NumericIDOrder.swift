/// Ids written as decimal numbers in strings, as Mastodon's and X's are: a longer id is
/// newer, and ids of one length sort lexically. Compared as text, never parsed, so an id
/// beyond 64 bits still orders (and Mastodon's are opaque strings, feed-apis.md §1.3).
/// One ordering for every platform that numbers this way.
public protocol NumericIDOrder {}

extension NumericIDOrder {
    /// True when `a` is newer (sorts after) `b`.
    public static func isNewer(_ a: String, than b: String) -> Bool {
        a.utf8.count != b.utf8.count ? a.utf8.count > b.utf8.count : a > b
    }

    /// The newest of `ids`, or nil for none.
    public static func newest<S: Sequence>(_ ids: S) -> String? where S.Element == String {
        var best: String?
        for id in ids where best.map({ isNewer(id, than: $0) }) ?? true { best = id }
        return best
    }
}
