/// The Mastodon REST shapes the connector reads (feed-apis.md §1.7), with only the
/// fields an archive needs: decoding skips the rest, which keeps parsing fast and
/// lets servers add fields freely. Dates stay strings here and are parsed by
/// `Timestamp`, so one bad date costs a field, not the whole page. A wrong type in a
/// field that is read still fails the page, which is then quarantined.

/// `Account` (also the body of `/api/v1/accounts/lookup`).
public struct MastodonAccount: Decodable, Sendable, Hashable {
    public var id: String
    public var username: String?
    /// Bare username for local accounts, `user@domain` for remote ones.
    public var acct: String?
    public var display_name: String?
    public var url: String?
}

/// `MediaAttachment`.
public struct MastodonMedia: Decodable, Sendable, Hashable {
    public var id: String?
    /// `image`, `gifv`, `video`, `audio` or `unknown`.
    public var type: String?
    public var url: String?
    public var remote_url: String?
    /// Alt text.
    public var description: String?
}

/// `Poll`, as a status carries it; the `poll` of a `StatusEdit` has only the options' titles.
public struct MastodonPoll: Decodable, Sendable, Hashable {
    public var options: [MastodonPollOption]?
    /// Whether more than one option may be chosen.
    public var multiple: Bool?
    public var expires_at: String?

    public init(options: [MastodonPollOption]? = nil, multiple: Bool? = nil, expires_at: String? = nil) {
        self.options = options
        self.multiple = multiple
        self.expires_at = expires_at
    }
}

/// One option of a `Poll` (vote counts are not read: they change by the minute and are
/// no part of what was published).
public struct MastodonPollOption: Decodable, Sendable, Hashable {
    public var title: String?

    public init(title: String?) {
        self.title = title
    }
}

/// `Quote` (Mastodon 4.4+): the quoted status while it may be shown, else only the
/// quote's state; a `ShallowQuote` (a quote inside a quoted status) names the quoted
/// status by `quoted_status_id` instead.
public struct MastodonQuote: Decodable, Sendable {
    /// `accepted`, `pending`, `rejected`, `revoked`, `deleted`, `unauthorized`, …
    public var state: String?
    public var quoted_status: MastodonStatus?
    public var quoted_status_id: String?

    public init(state: String? = nil, quoted_status: MastodonStatus? = nil, quoted_status_id: String? = nil) {
        self.state = state
        self.quoted_status = quoted_status
        self.quoted_status_id = quoted_status_id
    }
}

/// `Status`. A class because a boost nests the boosted status (`reblog`); all
/// properties are constants, so it is safely `Sendable`.
public final class MastodonStatus: Decodable, Sendable {
    public let id: String
    public let created_at: String?
    public let edited_at: String?
    public let in_reply_to_id: String?
    public let in_reply_to_account_id: String?
    public let visibility: String?
    public let language: String?
    public let uri: String?
    public let url: String?
    public let content: String?
    public let spoiler_text: String?
    public let account: MastodonAccount
    public let media_attachments: [MastodonMedia]?
    public let reblog: MastodonStatus?
    /// Replies the server knows of; 0 lets the harvest skip `/context` of a post no one
    /// answered (nil, from an older server or fixture, does not).
    public let replies_count: Int?
    public let poll: MastodonPoll?
    /// The status this one quotes (Mastodon 4.4+).
    public let quote: MastodonQuote?

    public init(
        id: String, created_at: String? = nil, edited_at: String? = nil, in_reply_to_id: String? = nil,
        in_reply_to_account_id: String? = nil, visibility: String? = nil, language: String? = nil,
        uri: String? = nil, url: String? = nil, content: String? = nil, spoiler_text: String? = nil,
        account: MastodonAccount, media_attachments: [MastodonMedia]? = nil, reblog: MastodonStatus? = nil,
        replies_count: Int? = nil, poll: MastodonPoll? = nil, quote: MastodonQuote? = nil
    ) {
        self.id = id
        self.created_at = created_at
        self.edited_at = edited_at
        self.in_reply_to_id = in_reply_to_id
        self.in_reply_to_account_id = in_reply_to_account_id
        self.visibility = visibility
        self.language = language
        self.uri = uri
        self.url = url
        self.content = content
        self.spoiler_text = spoiler_text
        self.account = account
        self.media_attachments = media_attachments
        self.reblog = reblog
        self.replies_count = replies_count
        self.poll = poll
        self.quote = quote
    }
}

/// `Context`: the thread around one status.
public struct MastodonContext: Decodable, Sendable {
    public var ancestors: [MastodonStatus]
    public var descendants: [MastodonStatus]
}

/// `StatusEdit`: one revision in `/api/v1/statuses/:id/history`, oldest first.
public struct MastodonStatusEdit: Decodable, Sendable {
    public var content: String?
    public var spoiler_text: String?
    /// When this revision was made (for the first entry: when the status was posted).
    public var created_at: String?
    public var account: MastodonAccount?
    public var media_attachments: [MastodonMedia]?
    /// The poll as this revision had it: only the options' titles.
    public var poll: MastodonPoll?
}

/// Mastodon ids are opaque strings (feed-apis.md §1.3): never integers. Vanilla ids
/// sort by length, then lexically, which is how the newest one is found.
public enum MastodonID: NumericIDOrder {}

/// A notification (`/api/v1/notifications`); only mentions are read, for their status.
public struct MastodonNotification: Decodable, Sendable {
    public var id: String
    public var type: String
    public var status: MastodonStatus?
}
