import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one X harvest: what was fetched, what failed, and where the cursors
/// may move. Kept apart from `XConnector` so the connector stays a stateless value.
struct XHarvestRun {
    let options: XConnector.Options
    let account: AccountConfig
    let base: String
    let headers: [HTTPHeader]
    let hasToken: Bool
    var checkpoint: Checkpoint
    let known: KnownItems
    var userID = ""

    /// What this run observed, quarantined and found deleted, its problems and account
    /// events; `seen` holds the item ids (original post ids) already emitted.
    private var ledger: HarvestLedger
    /// Conversations of new agency posts, newest first: searched for replies.
    private var newConversations: [String] = []
    /// Edited posts this run saw live, by original id: their earlier versions are looked
    /// up when the registry lacks them (`harvestEdits`).
    private var editedPosts: [String: XTweet] = [:]
    /// Every post id (each version of an edit chain has its own) read in this run.
    private var readPostIDs: Set<String> = []

    init(client: any HTTPClient, options: XConnector.Options, logger: Logger, account: AccountConfig, base: String,
         headers: [HTTPHeader], hasToken: Bool, checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger)
        self.options = options
        self.account = account
        self.base = base
        self.headers = headers
        self.hasToken = hasToken
        self.checkpoint = checkpoint
        self.known = known
    }

    /// The fields and expansions every post request asks for (by default X returns only
    /// `id`, `text` and `edit_history_tweet_ids`).
    static let fields = "tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,edit_history_tweet_ids,attachments,entities,lang,note_tweet"
        + "&expansions=author_id,attachments.media_keys,attachments.poll_ids,referenced_tweets.id,referenced_tweets.id.author_id,referenced_tweets.id.attachments.media_keys"
        + "&media.fields=url,preview_image_url,type,alt_text&user.fields=username,name"

    // MARK: Timeline

    /// `/2/users/:id/tweets`: every page back on the first poll, `since_id` later. Pages
    /// come newest first, so the cursor moves only when the walk reached the end
    /// without a gap; a failed page leaves it, and the next poll reads those posts again.
    mutating func harvestTimeline() async throws {
        let since = checkpoint["newestId"]
        var url = "\(base)/2/users/\(URLText.pathEscape(userID))/tweets?max_results=\(options.pageSize)&\(Self.fields)"
        if let since { url += "&since_id=\(URLText.queryEscape(since))" }
        var token: String?
        var newest: String?
        for page in 0..<options.pageLimit {
            let pageURL = token.map { url + "&pagination_token=\(URLText.queryEscape($0))" } ?? url
            let result: (HTTPResponse, XTweetPage)?
            do {
                result = try await fetch(pageURL, expected: "an X timeline page", decode: XNormaliser.decodeTweets)
            } catch let failure as HarvestLedger.NoResponse {
                if page == 0 && since == nil { throw ConnectorError.unreachable(account: account.key, url: pageURL, reason: failure.reason) }
                return
            }
            guard let (response, body) = result else { return }
            noteRename(body.includes?.users ?? [], response: response)
            noteVersions(body.data ?? [])
            let items = XNormaliser.items(from: body, accountKey: account.key, agencyUserID: userID)
            for (tweet, item) in zip(body.data ?? [], items) {
                ledger.seen.insert(item.id)
                newest = XID.newest([newest, tweet.id].compactMap { $0 })
                if item.author.agency, item.kind != .share, let root = item.threadRoot, !newConversations.contains(root) {
                    newConversations.append(root)
                }
            }
            ledger.observe(items, from: response)
            token = body.meta?.next_token.flatMap { $0.isEmpty ? nil : $0 }
            if token == nil || items.isEmpty {
                if let newest { checkpoint["newestId"] = newest }
                return
            }
        }
        ledger.problems.append("\(account.key): stopped the timeline after \(options.pageLimit) pages; older posts are not archived.")
        if let newest { checkpoint["newestId"] = newest }
    }

    /// The account's username as X shows it now; a change is a rename (the account is
    /// followed by its user id anyway).
    private mutating func noteRename(_ users: [XUser], response: HTTPResponse) {
        guard let me = users.first(where: { $0.id == userID }), let now = me.username, !now.isEmpty else { return }
        if let before = checkpoint["username"], before != now, !ledger.accountEvents.contains(where: { $0.kind == .renamed }) {
            ledger.accountEvents.append(AccountEvent(kind: .renamed, detail: "username changed from @\(before) to @\(now); still user \(userID)",
                                       detectedAt: response.receivedAt, evidence: response.capture))
        }
        checkpoint["username"] = now
    }

    // MARK: Replies

    /// Recent search on `conversation_id:` for every conversation a new agency post
    /// belongs to (oldest first) and every recent root the registry names. Search
    /// pages use `next_token` (the timeline's is `pagination_token`, §5.3).
    mutating func harvestReplies() async throws {
        var done: Set<String> = []
        for root in newConversations.reversed() + known.recentThreadRoots where !done.contains(root) && !root.hasPrefix(XNormaliser.messagePrefix) {
            done.insert(root)
            let url = "\(base)/2/tweets/search/recent?query=\(URLText.queryEscape("conversation_id:\(root)"))&max_results=\(options.pageSize)&\(Self.fields)"
            var token: String?
            for _ in 0..<options.pageLimit {
                let pageURL = token.map { url + "&next_token=\(URLText.queryEscape($0))" } ?? url
                let result: (HTTPResponse, XTweetPage)?
                do {
                    result = try await fetch(pageURL, expected: "an X search page", decode: XNormaliser.decodeTweets)
                } catch is HarvestLedger.NoResponse {
                    return
                }
                guard let (response, body) = result else { break }
                noteVersions(body.data ?? [])
                let items = XNormaliser.items(from: body, accountKey: account.key, agencyUserID: userID).filter { !ledger.seen.contains($0.id) }
                ledger.seen.formUnion(items.map(\.id))
                ledger.observe(items, from: response)
                token = body.meta?.next_token.flatMap { $0.isEmpty ? nil : $0 }
                if token == nil { break }
            }
        }
    }

    // MARK: Direct messages

    /// `/2/dm_events`, newest first, down to the last event seen. Reading messages needs
    /// a user-context token; an answer of 401/403 (no token, or an app-only one) is a
    /// log line, not a failure of the account.
    mutating func harvestMessages() async throws {
        let stop = checkpoint["newestDmId"]
        let url = "\(base)/2/dm_events?dm_event.fields=created_at,sender_id,text,dm_conversation_id,attachments&expansions=sender_id&user.fields=username,name&max_results=\(options.pageSize)"
        var token: String?
        var newest: String?
        for _ in 0..<options.pageLimit {
            let pageURL = token.map { url + "&pagination_token=\(URLText.queryEscape($0))" } ?? url
            guard let response = try? await ledger.send(HTTPRequest(url: pageURL, headers: headers)) else { return }
            if response.status == 401 || response.status == 403 {
                ledger.logger.info("direct messages not readable with this token", metadata: ["account": "\(account.key)", "status": "\(response.status)"])
                return
            }
            guard let page = read(response, expected: "an X direct-message page", XNormaliser.decodeMessages) else { return }
            let users = Dictionary((page.includes?.users ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var items: [Item] = []
            var reachedKnown = false
            for event in page.data ?? [] {
                if let stop, !XID.isNewer(event.id, than: stop) { reachedKnown = true; break }
                newest = XID.newest([newest, event.id].compactMap { $0 })
                guard event.event_type == nil || event.event_type == "MessageCreate" else { continue }
                items.append(XNormaliser.item(from: event, users: users, accountKey: account.key, agencyUserID: userID))
            }
            ledger.observe(items, from: response)
            token = page.meta?.next_token.flatMap { $0.isEmpty ? nil : $0 }
            if reachedKnown || token == nil || (page.data ?? []).isEmpty { break }
        }
        if let newest { checkpoint["newestDmId"] = newest }
    }

    // MARK: Re-checks (deletions)

    /// The registry's recent posts not seen again in this poll, asked for in batches of
    /// 100 with `/2/tweets?ids=`. An id in `errors[]` as `resource-not-found` is a
    /// deletion, with that response as evidence; absence from a list page never is.
    /// Posts that come back are emitted again only when they are the current version.
    mutating func recheckKnownPosts() async throws {
        let ids = known.recentItemIDs.filter { !$0.hasPrefix(XNormaliser.messagePrefix) && !ledger.seen.contains($0) }
        for start in stride(from: 0, to: ids.count, by: 100) {
            let batch = Array(ids[start..<min(start + 100, ids.count)])
            let url = "\(base)/2/tweets?ids=\(batch.map(URLText.queryEscape).joined(separator: ","))&\(Self.fields)"
            let result: (HTTPResponse, XTweetPage)?
            do {
                result = try await fetch(url, expected: "an X post lookup", decode: XNormaliser.decodeTweets)
            } catch is HarvestLedger.NoResponse {
                return
            }
            guard let (response, body) = result else { continue }
            noteVersions(body.data ?? [])
            var current = body
            current.data = body.data?.filter(XNormaliser.isCurrentVersion)
            let items = XNormaliser.items(from: current, accountKey: account.key, agencyUserID: userID).filter { !ledger.seen.contains($0.id) }
            ledger.seen.formUnion(items.map(\.id))
            ledger.observe(items, from: response)
            for error in body.errors ?? [] where error.isNotFound {
                guard let id = error.resource_id ?? error.value, batch.contains(id) else { continue }
                ledger.recordDeletion(of: id, how: "GET \(url) reported \(id) as resource-not-found (direct lookup)", evidence: response)
            }
        }
    }

    // MARK: Edits

    /// Remembers which post ids were read, and every live post of an edit chain.
    private mutating func noteVersions(_ tweets: [XTweet]) {
        for tweet in tweets {
            readPostIDs.insert(tweet.id)
            guard XNormaliser.isCurrentVersion(tweet), let chain = tweet.edit_history_tweet_ids, chain.count > 1, let original = chain.first else { continue }
            editedPosts[original] = tweet
        }
    }

    /// The earlier versions of every edited post whose newest edit the registry lacks,
    /// by direct lookup (`/2/tweets?ids=`, 100 at a time; X gives each version its own
    /// id, listed in `edit_history_tweet_ids`). A post first seen already edited is thus
    /// archived with what it said before, as Mastodon's `/history` gives it; versions
    /// the registry already holds (older than its last edit) and those read in this run
    /// are not asked for again. They are kept as history: the live post stays the
    /// current version. An id X does not return is no deletion: the live post stands.
    mutating func harvestEdits() async throws {
        var wanted: [String] = []
        for (original, live) in editedPosts.sorted(by: { $0.key < $1.key }) {
            let lastEdit = known.lastEdited[original]
            if let lastEdit, let liveEdit = live.created_at.flatMap(Timestamp.parse), liveEdit.timeIntervalSince(lastEdit) <= 0.0005 { continue }
            let held = known.recentIDs.contains(original)
            for id in (live.edit_history_tweet_ids ?? []).dropLast() where !readPostIDs.contains(id) && !wanted.contains(id) {
                if id == original && held { continue }
                if let lastEdit, let made = XID.date(of: id), Date(timeIntervalSince1970: made) <= lastEdit { continue }
                wanted.append(id)
            }
        }
        for start in stride(from: 0, to: wanted.count, by: 100) {
            let batch = Array(wanted[start..<min(start + 100, wanted.count)])
            let url = "\(base)/2/tweets?ids=\(batch.map(URLText.queryEscape).joined(separator: ","))&\(Self.fields)"
            let result: (HTTPResponse, XTweetPage)?
            do {
                result = try await fetch(url, expected: "an X lookup of earlier versions", decode: XNormaliser.decodeTweets)
            } catch is HarvestLedger.NoResponse {
                return
            }
            guard let (response, body) = result else { continue }
            var earlier = body
            earlier.data = body.data?.filter { batch.contains($0.id) }
            ledger.observeHistory(XNormaliser.items(from: earlier, accountKey: account.key, agencyUserID: userID), from: response)
        }
    }

    // MARK: Result

    func result() -> Harvest {
        ledger.harvest(checkpoint: checkpoint)
    }

    // MARK: Fetching

    /// A sentence for a response that cannot be read, in X's dialect: the problem
    /// body's `detail`, the `x-rate-limit-reset` epoch on a 429, and the missing
    /// credentials key on a 401 without a token. Nil when it looks right.
    static func problem(_ response: HTTPResponse, account: AccountConfig, hasToken: Bool) -> String? {
        guard response.status == 200 else {
            var sentence = "\(response.request.url) answered HTTP \(response.status)"
            if let body = XNormaliser.errorBody(response.body),
               let detail = body.detail ?? body.title ?? body.errors?.first?.message, !detail.isEmpty {
                sentence += " (“\(detail.prefix(200))”)"
            }
            if response.status == 429, let reset = response.header("x-rate-limit-reset"), let epoch = Double(reset) {
                sentence += ", rate limited until \(Timestamp.format(Date(timeIntervalSince1970: epoch)))"
            }
            if response.status == 401, !hasToken {
                sentence += "; account '\(account.key)' has no credentials key, so no bearer token was sent"
            }
            return sentence + "."
        }
        return ResponseProblem.check(response, expecting: .json)
    }

    /// The body decoded, or nil with the response quarantined (X's reading of it, or
    /// the decoder's complaint).
    private mutating func read<T>(_ response: HTTPResponse, expected: String, _ decode: (Data) throws -> T) -> T? {
        ledger.read(response, problem: Self.problem(response, account: account, hasToken: hasToken), expected: expected, decode)
    }

    /// GET `url` and decode it; nil when quarantined. A transport failure is noted and thrown.
    private mutating func fetch<T>(_ url: String, expected: String, decode: (Data) throws -> T) async throws -> (HTTPResponse, T)? {
        guard let response = try await ledger.send(HTTPRequest(url: url, headers: headers)) else { return nil }
        return read(response, expected: expected, decode).map { (response, $0) }
    }
}
