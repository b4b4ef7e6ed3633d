import Foundation

/// The platform-neutral item of DESIGN.md: what every connector produces, what the
/// rulebook decides on, and what `show --format json` prints. The JSON keys are a
/// public contract; unknown keys are ignored and missing optional keys read as null.
public struct Item: Codable, Sendable, Hashable {
    public var platform: Platform
    /// The configured account key (`[[account]] key`), not the platform's account id.
    public var account: String
    /// The item's id as the platform gave it.
    public var id: String
    public var url: String?
    public var kind: ItemKind
    public var author: Author
    public var inReplyTo: String?
    /// The id of the item that started the thread; a thread is a case file.
    public var threadRoot: String?
    public var createdAt: Date?
    public var editedAt: Date?
    public var deletedAt: Date?
    public var visibility: Visibility?
    public var language: String?
    /// Plain text: markup dropped, entities decoded, links kept.
    public var text: String
    public var attachments: [Attachment]
    /// A poll published with the item (its options are in `text` too); nil for none.
    public var poll: Poll?
    /// For a share (boost, repost): the original post it re-publishes, whose text it carries.
    public var shared: SharedPost?
    /// The post the item quotes; its own words are the item's text.
    public var quoted: SharedPost?

    public init(
        platform: Platform, account: String, id: String, url: String? = nil, kind: ItemKind,
        author: Author, inReplyTo: String? = nil, threadRoot: String? = nil,
        createdAt: Date? = nil, editedAt: Date? = nil, deletedAt: Date? = nil,
        visibility: Visibility? = nil, language: String? = nil, text: String,
        attachments: [Attachment] = [], poll: Poll? = nil, shared: SharedPost? = nil, quoted: SharedPost? = nil
    ) {
        self.platform = platform
        self.account = account
        self.id = id
        self.url = url
        self.kind = kind
        self.author = author
        self.inReplyTo = inReplyTo
        self.threadRoot = threadRoot
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
        self.visibility = visibility
        self.language = language
        self.text = text
        self.attachments = attachments
        self.poll = poll
        self.shared = shared
        self.quoted = quoted
    }

    /// True for a direct or private message: the rulebook treats these as letters.
    public var isPrivateMessage: Bool {
        kind == .message || visibility == .direct || visibility == .private
    }

    /// The `ACCOUNT:ID` reference that is unique across accounts.
    public var reference: ItemReference { ItemReference(account: account, id: id) }

    enum CodingKeys: String, CodingKey {
        case platform, account, id, url, kind, author, inReplyTo, threadRoot
        case createdAt, editedAt, deletedAt, visibility, language, text, attachments
        case poll, shared, quoted
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(ItemKind.self, forKey: .kind)
        platform = try c.decodeIfPresent(Platform.self, forKey: .platform) ?? .feed
        account = try c.decodeIfPresent(String.self, forKey: .account) ?? ""
        url = try c.decodeIfPresent(String.self, forKey: .url)
        author = try c.decodeIfPresent(Author.self, forKey: .author) ?? Author(id: "", agency: false)
        inReplyTo = try c.decodeIfPresent(String.self, forKey: .inReplyTo)
        threadRoot = try c.decodeIfPresent(String.self, forKey: .threadRoot)
        let skips = decoder.userInfo[DateSkips.key] as? DateSkips
        createdAt = try Self.decodeDate(c, .createdAt, skips)
        editedAt = try Self.decodeDate(c, .editedAt, skips)
        deletedAt = try Self.decodeDate(c, .deletedAt, skips)
        visibility = try c.decodeIfPresent(Visibility.self, forKey: .visibility)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        attachments = try c.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
        poll = try c.decodeIfPresent(Poll.self, forKey: .poll)
        shared = try c.decodeIfPresent(SharedPost.self, forKey: .shared)
        quoted = try c.decodeIfPresent(SharedPost.self, forKey: .quoted)
    }

    /// A date key; a text that does not parse fails the item, or is left out and noted
    /// when the decoder collects skips (`decodeSkippingBadDates`).
    private static func decodeDate(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ skips: DateSkips?) throws -> Date? {
        guard let raw = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = Timestamp.parse(raw) else {
            if let skips {
                skips.problems.append(DateProblem(field: key.stringValue, value: raw))
                return nil
            }
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "'\(raw)' is not an RFC 3339 date-time")
        }
        return date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(platform, forKey: .platform)
        try c.encode(account, forKey: .account)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        try c.encode(kind, forKey: .kind)
        try c.encode(author, forKey: .author)
        try c.encode(inReplyTo, forKey: .inReplyTo)
        try c.encode(threadRoot, forKey: .threadRoot)
        try c.encode(createdAt.flatMap(Timestamp.storable), forKey: .createdAt)
        try c.encode(editedAt.flatMap(Timestamp.storable), forKey: .editedAt)
        try c.encode(deletedAt.flatMap(Timestamp.storable), forKey: .deletedAt)
        try c.encode(visibility, forKey: .visibility)
        try c.encode(language, forKey: .language)
        try c.encode(text, forKey: .text)
        try c.encode(attachments, forKey: .attachments)
        // Written only when there is one, so an item without stays the JSON it always was
        // (stored versions, printed lines and their hashes alike).
        try c.encodeIfPresent(poll, forKey: .poll)
        try c.encodeIfPresent(shared, forKey: .shared)
        try c.encodeIfPresent(quoted, forKey: .quoted)
    }
}

/// Names one item across the registry: the platform's id, qualified by the account
/// key where two accounts could share an id. Parses `ACCOUNT:ID` and plain `ID`.
public struct ItemReference: Sendable, Hashable, CustomStringConvertible {
    public var account: String?
    public var id: String

    public init(account: String?, id: String) {
        self.account = account
        self.id = id
    }

    /// `ACCOUNT:ID` when the part before the first colon is a configured account key;
    /// otherwise the whole string is the platform id (feed ids are often URLs with colons).
    public init(parsing text: String, knownAccounts: Set<String>) {
        if let colon = text.firstIndex(of: ":") {
            let prefix = String(text[..<colon])
            if knownAccounts.contains(prefix) {
                self.init(account: prefix, id: String(text[text.index(after: colon)...]))
                return
            }
        }
        self.init(account: nil, id: text)
    }

    public var description: String { account.map { "\($0):\(id)" } ?? id }
}
