import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one Facebook harvest: what was fetched, what failed, and where the
/// cursor may move. Kept apart from `FacebookConnector` so the connector stays a
/// stateless value; fetching and error handling live in `FacebookFetch.swift`.
struct FacebookHarvestRun {
    let options: FacebookConnector.Options
    let account: AccountConfig
    let base: String
    let pageID: String
    let headers: [HTTPHeader]
    let hasCredentials: Bool
    var checkpoint: Checkpoint
    let known: KnownItems
    /// Every id the registry knows (rescan window), to tell new items from old ones.
    let knownIDs: Set<String>

    /// What this run observed, quarantined and found deleted, and its problems; `seen`
    /// holds the ids this harvest saw in some response (they exist, no lookup needed),
    /// and `stopped` is set when Graph throttles or usage reaches the limit.
    var ledger: HarvestLedger
    /// The Graph error of the last response, when it carried one.
    var lastGraphError: FacebookGraphError?
    /// New posts, newest first: their comments are fetched.
    private var newPosts: [String] = []
    /// Roots whose comments answered "does not exist": checked by direct lookup.
    private var vanishedRoots: [String] = []

    init(client: any HTTPClient, options: FacebookConnector.Options, logger: Logger, account: AccountConfig, base: String,
         pageID: String, headers: [HTTPHeader], hasCredentials: Bool, checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger)
        self.options = options
        self.account = account
        self.base = base
        self.pageID = pageID
        self.headers = headers
        self.hasCredentials = hasCredentials
        self.checkpoint = checkpoint
        self.known = known
        self.knownIDs = known.recentIDs
    }

    // MARK: Feed

    /// First poll: every page through `paging.cursors.after`. Later polls: from the top
    /// with `since=` the newest known post, until a known post shows up. The cursor
    /// (`newestCreated`, `newestId`) moves only when every page asked for was read.
    mutating func harvestFeed() async throws {
        var first = "\(base)/\(URLText.pathEscape(pageID))/feed?fields=\(FacebookConnector.postFields)&limit=\(options.pageSize)"
        let since = checkpoint["newestCreated"].flatMap(Timestamp.parse)
        if let since { first += "&since=\(Int(since.timeIntervalSince1970))" }
        var url: String? = first
        var pages = 0
        var complete = false
        var newest: (date: Date, id: String)?
        while let current = url {
            guard pages < options.pageLimit else {
                ledger.problems.append("\(account.key): stopped reading the Page feed after \(options.pageLimit) pages; the next poll starts again from the top.")
                break
            }
            pages += 1
            guard let (response, page) = try await fetch(current, as: FacebookPage<FacebookPost>.self, expected: "a Facebook feed page") else { break }
            var items: [Item] = []
            var reachedKnown = false
            for post in page.data {
                ledger.seen.insert(post.id)
                let item = FacebookNormaliser.item(from: post, accountKey: account.key, pageID: pageID)
                if let created = item.createdAt, newest.map({ created > $0.date }) ?? true { newest = (created, post.id) }
                if isKnown(post.id, created: item.createdAt, since: since) {
                    reachedKnown = true
                    if isNewerEdit(item) { items.append(item) }
                    continue
                }
                items.append(item)
                newPosts.append(post.id)
            }
            ledger.observe(items, from: response)
            if let after = page.paging?.cursors?.after, page.paging?.next != nil, !page.data.isEmpty, !(since != nil && reachedKnown) {
                url = first + "&after=\(URLText.queryEscape(after))"
            } else {
                complete = true
                url = nil
            }
        }
        if complete, let newest, newest.date > (since ?? .distantPast) {
            checkpoint["newestCreated"] = Timestamp.format(newest.date)
            checkpoint["newestId"] = newest.id
        }
    }

    /// A post the registry already has: the newest one of the last poll, any id in the
    /// rescan window, or one created before the last poll's newest post.
    private func isKnown(_ id: String, created: Date?, since: Date?) -> Bool {
        if id == checkpoint["newestId"] || knownIDs.contains(id) { return true }
        guard let since, let created else { return false }
        return created <= since
    }

    /// True when `item` reports an edit newer than the registry's latest version.
    private func isNewerEdit(_ item: Item) -> Bool {
        guard let edited = item.editedAt else { return false }
        guard let last = known.lastEdited[item.id] else { return true }
        return edited.timeIntervalSince(last) > 0.5
    }

    // MARK: Comments

    /// Comments (replies included) of every new post, oldest first, and of every recent
    /// thread root. A known root's whole thread is emitted again: Graph reports no edit
    /// time for comments, so the registry's content comparison is what catches an edit.
    mutating func harvestComments() async throws {
        var done: Set<String> = []
        for id in newPosts.reversed() + known.recentThreadRoots where !done.contains(id) {
            done.insert(id)
            try await fetchComments(of: id)
        }
    }

    private mutating func fetchComments(of postID: String) async throws {
        let first = "\(base)/\(URLText.pathEscape(postID))/comments?fields=\(FacebookConnector.commentFields)&filter=stream&limit=\(options.pageSize)"
        var url: String? = first
        var pages = 0
        while let current = url, pages < options.pageLimit {
            pages += 1
            guard let (response, page) = try await fetch(current, as: FacebookPage<FacebookComment>.self,
                                                         expected: "a Facebook comments page", tolerate: \.isMissingObject) else {
                if lastGraphError?.isMissingObject == true { vanishedRoots.append(postID) }
                return
            }
            let items = page.data.map { FacebookNormaliser.item(from: $0, postID: postID, accountKey: account.key, pageID: pageID) }
            ledger.seen.formUnion(items.map(\.id))
            ledger.observe(items, from: response)
            url = page.paging?.next != nil && !page.data.isEmpty ? page.paging?.cursors?.after.map { first + "&after=\(URLText.queryEscape($0))" } : nil
        }
    }

    // MARK: Conversations

    /// Page messages newer than the last poll's newest, where the token may read them.
    /// A permission error is a problem line, not a quarantine: many Pages never grant
    /// `pages_messaging`, and that must not mark the account as failing.
    mutating func harvestConversations() async throws {
        let first = "\(base)/\(URLText.pathEscape(pageID))/conversations?fields=\(FacebookConnector.conversationFields)&limit=\(options.pageSize)"
        let since = checkpoint["newestMessage"].flatMap(Timestamp.parse)
        var url: String? = first
        var pages = 0
        var complete = false
        var newest = since
        while let current = url, pages < options.pageLimit {
            pages += 1
            guard let (response, page) = try await fetch(current, as: FacebookPage<FacebookConversation>.self,
                                                         expected: "a Facebook conversations page", tolerate: \.isPermission) else {
                if let error = lastGraphError, error.isPermission {
                    ledger.problems.append("\(account.key): Page messages not read, the token may not read them (\(error.summary)).")
                    ledger.logger.notice("page messages not readable", metadata: ["account": "\(account.key)", "error": "\(error.summary)"])
                }
                return
            }
            var items: [Item] = []
            for conversation in page.data {
                for message in conversation.messages?.data ?? [] {
                    ledger.seen.insert(message.id)
                    let item = FacebookNormaliser.item(from: message, conversationID: conversation.id, accountKey: account.key, pageID: pageID)
                    if let created = item.createdAt, newest.map({ created > $0 }) ?? true { newest = created }
                    if knownIDs.contains(message.id) { continue }
                    if let since, let created = item.createdAt, created <= since { continue }
                    items.append(item)
                }
            }
            ledger.observe(items, from: response)
            if let after = page.paging?.cursors?.after, page.paging?.next != nil, !page.data.isEmpty {
                url = first + "&after=\(URLText.queryEscape(after))"
            } else {
                complete = true
                url = nil
            }
        }
        if complete, let newest { checkpoint["newestMessage"] = Timestamp.format(newest) }
    }

    // MARK: Deletions

    /// Recent items this harvest did not see, checked in batches (`/?ids=…&fields=id`);
    /// an id the batch does not confirm is asked for alone, and only that direct
    /// lookup answering error 100/33 makes a deletion. Absence from a list proves nothing.
    mutating func recheckKnownItems() async throws {
        var pending: [String] = []
        var queued: Set<String> = []
        for id in known.recentItemIDs + known.recentThreadRoots + vanishedRoots where !ledger.seen.contains(id) && !queued.contains(id) {
            queued.insert(id)
            pending.append(id)
        }
        for start in stride(from: 0, to: pending.count, by: options.lookupBatchSize) {
            let batch = Array(pending[start..<min(start + options.lookupBatchSize, pending.count)])
            var unconfirmed = batch
            if batch.count > 1 {
                let url = "\(base)/?ids=\(batch.map(URLText.queryEscape).joined(separator: ","))&fields=id"
                if let (_, found) = try await fetch(url, as: [String: FacebookObjectID].self, expected: "Facebook objects", tolerate: { !$0.isThrottling }) {
                    unconfirmed = batch.filter { found[$0]?.id == nil }
                }
            }
            for id in unconfirmed {
                try await lookUp(id)
            }
        }
    }

    private mutating func lookUp(_ id: String) async throws {
        let url = "\(base)/\(URLText.pathEscape(id))?fields=id"
        guard try await fetch(url, as: FacebookObjectID.self, expected: "a Facebook object", tolerate: \.isMissingObject) == nil,
              let error = lastGraphError, error.isMissingObject, let response = ledger.lastResponse else { return }
        ledger.recordDeletion(of: id, how: "GET \(url) answered HTTP \(response.status) with \(error.summary) (direct lookup)", evidence: response)
    }

    // MARK: Result

    func result() -> Harvest {
        ledger.harvest(checkpoint: checkpoint)
    }
}
