import Foundation

/// A poll published with an item. Its options are published content, as much as the
/// text: they are written into the item's text (`textBlock`, so search, the rulebook and
/// every rendering see them) and into the version fingerprint (`Item.contentHash`), so an
/// edit that only changes the poll is a new version.
public struct Poll: Codable, Sendable, Hashable {
    /// The options' titles, in the order the platform shows them.
    public var options: [String]
    /// Whether a voter may choose more than one option.
    public var multiple: Bool
    /// When voting closes; nil for a poll without an end, or where the source does not
    /// say (an entry of Mastodon's edit history).
    public var expiresAt: Date?

    public init(options: [String], multiple: Bool = false, expiresAt: Date? = nil) {
        self.options = options
        self.multiple = multiple
        self.expiresAt = expiresAt
    }

    /// The poll as lines of plain text, the way a reader sees it under the post:
    /// `Poll (choose one):` then one `- option` line each.
    public var textBlock: String {
        let heading = multiple ? "Poll (choose one or more):" : "Poll (choose one):"
        return ([heading] + options.map { "- \($0)" }).joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey { case options, multiple, expiresAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        options = try c.decodeIfPresent([String].self, forKey: .options) ?? []
        multiple = try c.decodeIfPresent(Bool.self, forKey: .multiple) ?? false
        // A closing time that does not parse is left out: it decides nothing here.
        expiresAt = try c.decodeIfPresent(String.self, forKey: .expiresAt).flatMap(Timestamp.parse)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(options, forKey: .options)
        try c.encode(multiple, forKey: .multiple)
        try c.encode(expiresAt.flatMap(Timestamp.storable), forKey: .expiresAt)
    }
}
