import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one X harvest: what was fetched, what failed, and where the cursors
/// may move. Kept apart from `XConnector` so the connector stays a stateless value.
struct XHarvestRun {
    let client: any HTTPClient
    let options: XConnector.Options
    let logger: Logger
    let account: AccountConfig
    let base: String
    let headers: [HTTPHeader]
    let hasToken: Bool
    var checkpoint: Checkpoint
    let known: KnownItems
    var userID = ""

    private var observations: [Observation] = []
    private var quarantined: [Quarantined] = []
    private var deletions: [Deletion] = []
    private var problems: [String] = []
    private var events: [AccountEvent] = []
    /// Conversations of new agency posts, newest first: searched for replies.
    private var newConversations: [String] = []
    /// Item ids (original post ids) already emitted by this run.
    private var seen: Set<String> = []

    init(client: any HTTPClient, options: XConnector.Options, logger: Logger, account: AccountConfig, base: String,
         headers: [HTTPHeader], hasToken: Bool, checkpoint: Checkpoint, known: KnownItems) {
        self.client = client
        self.options = options
        self.logger = logger
        self.account = account
        self.base = base
        self.headers = headers
        self.hasToken = hasToken
        self.checkpoint = checkpoint
        self.known = known
    }

    /// The fields and expansions every post request asks for (by default X returns only
    /// `id`, `text` and `edit_history_tweet_ids`).
    static let fields = "tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,edit_history_tweet_ids,attachments,entities,lang"
        + "&expansions=author_id,attachments.media_keys&media.fields=url,preview_image_url,type,alt_text&user.fields=username,name"

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
            } catch let failure as TransportFailure {
                if page == 0 && since == nil { throw ConnectorError.unreachable(account: account.key, url: pageURL, reason: failure.reason) }
                return
            }
            guard let (response, body) = result else { return }
            noteRename(body.includes?.users ?? [], response: response)
            let items = XNormaliser.items(from: body, accountKey: account.key, agencyUserID: userID)
            for (tweet, item) in zip(body.data ?? [], items) {
                seen.insert(item.id)
                newest = XID.newest([newest, tweet.id].compactMap { $0 })
                if item.author.agency, item.kind != .share, let root = item.threadRoot, !newConversations.contains(root) {
                    newConversations.append(root)
                }
            }
            if !items.isEmpty { observations.append(Observation(capture: response.capture, items: items)) }
            token = body.meta?.next_token.flatMap { $0.isEmpty ? nil : $0 }
            if token == nil || items.isEmpty {
                if let newest { checkpoint["newestId"] = newest }
                return
            }
        }
        problems.append("\(account.key): stopped the timeline after \(options.pageLimit) pages; older posts are not archived.")
        if let newest { checkpoint["newestId"] = newest }
    }

    /// The account's username as X shows it now; a change is a rename (the account is
    /// followed by its user id anyway).
    private mutating func noteRename(_ users: [XUser], response: HTTPResponse) {
        guard let me = users.first(where: { $0.id == userID }), let now = me.username, !now.isEmpty else { return }
        if let before = checkpoint["username"], before != now, !events.contains(where: { $0.kind == .renamed }) {
            events.append(AccountEvent(kind: .renamed, detail: "username changed from @\(before) to @\(now); still user \(userID)",
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
                } catch is TransportFailure {
                    return
                }
                guard let (response, body) = result else { break }
                let items = XNormaliser.items(from: body, accountKey: account.key, agencyUserID: userID).filter { !seen.contains($0.id) }
                seen.formUnion(items.map(\.id))
                if !items.isEmpty { observations.append(Observation(capture: response.capture, items: items)) }
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
            guard let response = try? await send(pageURL) else { return }
            if response.status == 401 || response.status == 403 {
                logger.info("direct messages not readable with this token", metadata: ["account": "\(account.key)", "status": "\(response.status)"])
                return
            }
            guard let page = decode(response, expected: "an X direct-message page", XNormaliser.decodeMessages) else { return }
            let users = Dictionary((page.includes?.users ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var items: [Item] = []
            var reachedKnown = false
            for event in page.data ?? [] {
                if let stop, !XID.isNewer(event.id, than: stop) { reachedKnown = true; break }
                newest = XID.newest([newest, event.id].compactMap { $0 })
                guard event.event_type == nil || event.event_type == "MessageCreate" else { continue }
                items.append(XNormaliser.item(from: event, users: users, accountKey: account.key, agencyUserID: userID))
            }
            if !items.isEmpty { observations.append(Observation(capture: response.capture, items: items)) }
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
        let ids = known.recentItemIDs.filter { !$0.hasPrefix(XNormaliser.messagePrefix) && !seen.contains($0) }
        for start in stride(from: 0, to: ids.count, by: 100) {
            let batch = Array(ids[start..<min(start + 100, ids.count)])
            let url = "\(base)/2/tweets?ids=\(batch.map(URLText.queryEscape).joined(separator: ","))&\(Self.fields)"
            let result: (HTTPResponse, XTweetPage)?
            do {
                result = try await fetch(url, expected: "an X post lookup", decode: XNormaliser.decodeTweets)
            } catch is TransportFailure {
                return
            }
            guard let (response, body) = result else { continue }
            var current = body
            current.data = body.data?.filter(XNormaliser.isCurrentVersion)
            let items = XNormaliser.items(from: current, accountKey: account.key, agencyUserID: userID).filter { !seen.contains($0.id) }
            seen.formUnion(items.map(\.id))
            if !items.isEmpty { observations.append(Observation(capture: response.capture, items: items)) }
            for error in body.errors ?? [] where error.isNotFound {
                guard let id = error.resource_id ?? error.value, batch.contains(id), !deletions.contains(where: { $0.itemID == id }) else { continue }
                deletions.append(Deletion(itemID: id, detectedAt: response.receivedAt,
                                          how: "GET \(url) reported \(id) as resource-not-found (direct lookup)", evidence: response.capture))
            }
        }
    }

    // MARK: Result

    func result() -> Harvest {
        Harvest(observations: observations, quarantined: quarantined, deletions: deletions, checkpoint: checkpoint,
                problems: problems, accountEvents: events)
    }

    // MARK: Fetching

    struct TransportFailure: Error { var reason: String }

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

    private mutating func send(_ url: String) async throws -> HTTPResponse {
        // A shutdown ends the harvest; the archiver stores nothing of a cancelled one.
        try Task.checkCancellation()
        do {
            return try await client.send(HTTPRequest(url: url, headers: headers))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = String(describing: error)
            problems.append("\(account.key): no response from \(url) (\(reason)).")
            logger.warning("no response", metadata: ["account": "\(account.key)", "url": "\(url)", "error": "\(reason)"])
            throw TransportFailure(reason: reason)
        }
    }

    private mutating func decode<T>(_ response: HTTPResponse, expected: String, _ decode: (Data) throws -> T) -> T? {
        if let problem = Self.problem(response, account: account, hasToken: hasToken) {
            quarantine(response, problem)
            return nil
        }
        do {
            return try decode(response.body)
        } catch {
            quarantine(response, ResponseProblem.decoding(error, url: response.request.url, expected: expected))
            return nil
        }
    }

    private mutating func fetch<T>(_ url: String, expected: String, decode: (Data) throws -> T) async throws -> (HTTPResponse, T)? {
        let response = try await send(url)
        guard let value = self.decode(response, expected: expected, decode) else { return nil }
        return (response, value)
    }

    private mutating func quarantine(_ response: HTTPResponse, _ problem: String) {
        logger.warning("quarantined", metadata: ["account": "\(account.key)", "problem": "\(problem)"])
        quarantined.append(Quarantined(account: account.key, capture: response.capture, problem: problem))
    }
}
