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
    /// - A boost carries the boosted status's text and media; its author is the
    ///   booster (the agency), because the agency is who published it on this account.
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
        return Item(
            platform: .mastodon,
            account: accountKey,
            id: status.id,
            url: status.url ?? shown.url ?? status.uri,
            kind: kind,
            author: author(status.account, agencyAccountID: agencyAccountID),
            inReplyTo: status.in_reply_to_id,
            threadRoot: threadRoot ?? status.in_reply_to_id ?? status.id,
            createdAt: status.created_at.flatMap(Timestamp.parse),
            editedAt: status.edited_at.flatMap(Timestamp.parse),
            visibility: status.visibility.flatMap(Visibility.init(rawValue:)),
            language: shown.language ?? status.language,
            text: text(content: shown.content, spoiler: shown.spoiler_text),
            attachments: attachments(shown.media_attachments)
        )
    }

    /// Every revision from `/history` as a version of `status`, oldest first: the
    /// original has `editedAt` nil, each later one `editedAt` = when it was made.
    /// Fields a revision does not carry (visibility, reply target, language) come from
    /// the status as it is now.
    public static func versions(of status: MastodonStatus, history: [MastodonStatusEdit], accountKey: String, agencyAccountID: String, threadRoot: String?) -> [Item] {
        let current = item(from: status, accountKey: accountKey, agencyAccountID: agencyAccountID, threadRoot: threadRoot)
        return history.enumerated().map { index, edit in
            var version = current
            version.editedAt = index == 0 ? nil : edit.created_at.flatMap(Timestamp.parse)
            version.text = text(content: edit.content, spoiler: edit.spoiler_text)
            version.attachments = attachments(edit.media_attachments)
            if let account = edit.account, status.reblog == nil {
                version.author = author(account, agencyAccountID: agencyAccountID, fallback: current.author)
            }
            return version
        }
    }

    /// The plain text of a status: HTML dropped, links kept, the content warning first.
    public static func text(content: String?, spoiler: String?) -> String {
        let body = HTMLText.plainText(content ?? "")
        guard let spoiler, !spoiler.isEmpty else { return body }
        let warning = HTMLText.decodeEntities(spoiler)
        return body.isEmpty ? "CW: \(warning)" : "CW: \(warning)\n\n\(body)"
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
