import DiariumCore
import Foundation

/// Turns Mastodon statuses into platform-neutral items. Pure functions over decoded
/// values (or bytes), so the benchmark and the unit tests can run them without a
/// network, and the connector only decides *what* to fetch.
public enum MastodonNormaliser {
    // MARK: Decoding

    /// A statuses page (`/api/v1/accounts/:id/statuses`): a JSON array of `Status`.
    /// Read by `MastodonJSONReader` rather than `JSONDecoder`: statuses and contexts are
    /// nearly every byte a harvest reads, and the decoder was most of ingest's parse time.
    public static func decodeStatuses(_ data: Data) throws -> [MastodonStatus] {
        try MastodonJSONReader.statuses(data)
    }

    public static func decodeContext(_ data: Data) throws -> MastodonContext {
        try MastodonJSONReader.context(data)
    }

    public static func decodeHistory(_ data: Data) throws -> [MastodonStatusEdit] {
        try JSONDecoder().decode([MastodonStatusEdit].self, from: data)
    }

    public static func decodeAccount(_ data: Data) throws -> MastodonAccount {
        try JSONDecoder().decode(MastodonAccount.self, from: data)
    }

    /// Parse and normalise a statuses page in one call (what the benchmark measures).
    /// Thread roots are those knowable from the page alone: a post is its own root, a
    /// reply's root is its parent's root when the parent is on the page, else the parent.
    public static func items(fromStatusesPage data: Data, accountKey: String, agencyAccountID: String) throws -> [Item] {
        let statuses = try decodeStatuses(data)
        var parent: [String: String] = [:]
        for s in statuses { if let p = s.in_reply_to_id { parent[s.id] = p } }
        return statuses.map { s in
            item(from: s, accountKey: accountKey, agencyAccountID: agencyAccountID, threadRoot: rootOnPage(s.id, parent))
        }
    }

    private static func rootOnPage(_ id: String, _ parent: [String: String]) -> String {
        var current = id
        var steps = 0
        while let p = parent[current], steps < 64 { current = p; steps += 1 }
        return current
    }

    // MARK: Normalising

    /// One status as an item.
    /// - kind: `share` for a boost, `message` for visibility `direct`, `post` when it
    ///   replies to nothing, else `reply`.
    /// - A boost carries the boosted status's text, media and poll; its author is the
    ///   booster (the agency), because the agency is who published it on this account.
    ///   The original is named in `shared` (id, page, author), and the boost's URL is the
    ///   original's page: the boost's own `url` is an `/activity` address, no page at all.
    /// - A quote (Mastodon 4.4+) is the quoting status's own words; the quoted status is
    ///   named in `quoted`, with the quote's state.
    /// - A poll's options are in `poll` and, after the body, in the text.
    /// - `threadRoot`: the root the caller worked out from `/context`; nil means the
    ///   status's own id for a post, or its parent for a reply.
    public static func item(from status: MastodonStatus, accountKey: String, agencyAccountID: String, threadRoot: String?) -> Item {
        let shown = status.reblog ?? status
        let kind: ItemKind
        if status.reblog != nil {
            kind = .share
        } else if status.visibility == "direct" {
            kind = .message
        } else if status.in_reply_to_id == nil {
            kind = .post
        } else {
            kind = .reply
        }
        let poll = poll(shown.poll)
        return Item(
            platform: .mastodon,
            account: accountKey,
            id: status.id,
            url: status.reblog.map { $0.url ?? $0.uri ?? status.url } ?? status.url ?? status.uri,
            kind: kind,
            author: author(status.account, agencyAccountID: agencyAccountID),
            inReplyTo: status.in_reply_to_id,
            threadRoot: threadRoot ?? status.in_reply_to_id ?? status.id,
            createdAt: status.created_at.flatMap(Timestamp.parse),
            editedAt: status.edited_at.flatMap(Timestamp.parse),
            visibility: status.visibility.flatMap(Visibility.init(rawValue:)),
            language: shown.language ?? status.language,
            text: text(content: shown.content, spoiler: shown.spoiler_text, poll: poll),
            attachments: attachments(shown.media_attachments),
            poll: poll,
            shared: status.reblog.map { original in
                SharedPost(id: original.id, url: original.url ?? original.uri,
                           author: author(original.account, agencyAccountID: agencyAccountID))
            },
            quoted: shown.quote.map { quoted($0, agencyAccountID: agencyAccountID) }
        )
    }

    /// Every revision from `/history` as a version of `status`, oldest first: the
    /// original has `editedAt` nil, each later one `editedAt` = when it was made. Text,
    /// content warning, media (with the alt text *that* revision had) and poll options
    /// come from the revision; fields a revision does not carry (visibility, reply
    /// target, language, URL, the quoted post, whether the poll takes several choices)
    /// come from the status as it is now. The revision that is the status as it is now is
    /// in the list too: the harvest's ledger lets the live status stand for it.
    public static func versions(of status: MastodonStatus, history: [MastodonStatusEdit], accountKey: String, agencyAccountID: String, threadRoot: String?) -> [Item] {
        let current = item(from: status, accountKey: accountKey, agencyAccountID: agencyAccountID, threadRoot: threadRoot)
        return history.enumerated().map { index, edit in
            var version = current
            version.editedAt = index == 0 ? nil : edit.created_at.flatMap(Timestamp.parse)
            version.poll = poll(edit.poll).map { Poll(options: $0.options, multiple: current.poll?.multiple ?? $0.multiple) }
            version.text = text(content: edit.content, spoiler: edit.spoiler_text, poll: version.poll)
            version.attachments = attachments(edit.media_attachments)
            if let account = edit.account, status.reblog == nil {
                version.author = author(account, agencyAccountID: agencyAccountID, fallback: current.author)
            }
            return version
        }
    }

    /// The plain text of a status: HTML dropped, links kept, the content warning first,
    /// the poll's options last.
    public static func text(content: String?, spoiler: String?, poll: Poll? = nil) -> String {
        var parts: [String] = []
        if let spoiler, !spoiler.isEmpty { parts.append("CW: \(HTMLText.decodeEntities(spoiler))") }
        let body = HTMLText.plainText(content ?? "")
        if !body.isEmpty { parts.append(body) }
        if let poll { parts.append(poll.textBlock) }
        return parts.joined(separator: "\n\n")
    }

    /// A poll with at least one option, as the item keeps it.
    static func poll(_ poll: MastodonPoll?) -> Poll? {
        guard let poll else { return nil }
        let options = (poll.options ?? []).compactMap(\.title)
        guard !options.isEmpty else { return nil }
        return Poll(options: options, multiple: poll.multiple ?? false, expiresAt: poll.expires_at.flatMap(Timestamp.parse))
    }

    /// The quoted status's identity: from the status itself while it may be shown, else
    /// the id a shallow quote gives (nil once the platform withholds it), with the state.
    static func quoted(_ quote: MastodonQuote, agencyAccountID: String) -> SharedPost {
        guard let status = quote.quoted_status else {
            return SharedPost(id: quote.quoted_status_id, state: quote.state)
        }
        return SharedPost(id: status.id, url: status.url ?? status.uri,
                          author: author(status.account, agencyAccountID: agencyAccountID), state: quote.state)
    }

    static func author(_ account: MastodonAccount, agencyAccountID: String, fallback: Author? = nil) -> Author {
        Author(
            id: account.id,
            handle: account.acct ?? account.username ?? fallback?.handle,
            name: account.display_name ?? fallback?.name,
            agency: account.id == agencyAccountID
        )
    }

    static func attachments(_ media: [MastodonMedia]?) -> [Attachment] {
        guard let media else { return [] }
        return media.compactMap { m in
            guard let url = m.url ?? m.remote_url, !url.isEmpty else { return nil }
            let description = m.description.flatMap { $0.isEmpty ? nil : $0 }
            return Attachment(url: url, mediaType: m.type, description: description)
        }
    }
}
