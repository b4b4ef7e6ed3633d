/// Another post an item re-publishes (a boost, repost or retweet: the item's kind is
/// `share`) or quotes: whose it is and where it lives, so the record names the original
/// and not only its words.
public struct SharedPost: Codable, Sendable, Hashable {
    /// The post's id as the platform gave it; nil when the platform no longer says (a
    /// quote of a post since deleted).
    public var id: String?
    /// The post's own page.
    public var url: String?
    /// Who wrote it; `agency` is true when the account shares or quotes itself.
    public var author: Author?
    /// For a quote, whether it stands as the platform reports it (Mastodon: `accepted`,
    /// `pending`, `revoked`, `deleted`, …); nil for a boost.
    public var state: String?

    public init(id: String?, url: String? = nil, author: Author? = nil, state: String? = nil) {
        self.id = id
        self.url = url
        self.author = author
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case id, url, author, state }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        author = try c.decodeIfPresent(Author.self, forKey: .author)
        state = try c.decodeIfPresent(String.self, forKey: .state)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        try c.encode(author, forKey: .author)
        try c.encode(state, forKey: .state)
    }
}
