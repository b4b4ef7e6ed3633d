import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one Bluesky harvest: what was fetched, what failed, and where the
/// cursor may move. Kept apart from `BlueskyConnector` so the connector stays a
/// stateless value and each step (feed, threads, re-checks) reads on its own.
struct BlueskyHarvestRun {
    let options: BlueskyConnector.Options
    let account: AccountConfig
    let base: String
    let headers: [HTTPHeader]
    var checkpoint: Checkpoint
    let known: KnownItems
    var did = ""

    /// What this run observed, quarantined and found deleted, and its problems; `seen`
    /// holds every post uri already turned into an item by this run.
    var ledger: HarvestLedger
    /// Agency posts (not reposts) first seen on the feed, newest first: their threads are fetched.
    private var newOwnPosts: [BlueskyPostView] = []
    private var fetchedThreads: Set<String> = []

    init(client: any HTTPClient, options: BlueskyConnector.Options, logger: Logger, account: AccountConfig,
         base: String, headers: [HTTPHeader], checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger)
        self.options = options
        self.account = account
        self.base = base
        self.headers = headers
        self.checkpoint = checkpoint
        self.known = known
    }

    // MARK: Feed

    /// Pages `getAuthorFeed` from the top. The first poll goes back through every page;
    /// later polls stop at the first entry at or before the checkpoint (there is no
    /// `since`, feed-apis.md §2.3). Pages come newest first, so the checkpoint moves
    /// only when the walk got all the way down without a gap: a failed page leaves it
    /// where it was, and the next poll reads those entries again.
    mutating func harvestFeed() async throws {
        let stopAt = checkpoint["newestIndexedAt"].flatMap(Timestamp.parse)
        let stopURI = checkpoint["newestUri"]
        var cursor: String?
        var newest: (date: Date, raw: String, uri: String)?
        var complete = false
        for page in 0..<options.pageLimit {
            var url = "\(base)/xrpc/app.bsky.feed.getAuthorFeed?actor=\(URLText.queryEscape(did))&limit=\(options.pageSize)"
            if let cursor { url += "&cursor=\(URLText.queryEscape(cursor))" }
            let result: (HTTPResponse, BlueskyFeedPage)?
            do {
                result = try await fetch(url, expected: "a Bluesky author feed", decode: BlueskyNormaliser.decodeFeed)
            } catch let failure as HarvestLedger.NoResponse {
                if page == 0 && stopAt == nil && ledger.observations.isEmpty {
                    throw ConnectorError.unreachable(account: account.key, url: url, reason: failure.reason)
                }
                return
            }
            guard let (response, feed) = result else { return }
            var items: [Item] = []
            var reachedKnown = false
            for entry in feed.feed {
                if entry.reason?.isPin == true { continue }   // the pinned post again, further down in its place
                let sortRaw = (entry.reason?.isRepost == true ? entry.reason?.indexedAt : nil) ?? entry.post.indexedAt ?? ""
                let sortDate = Timestamp.parse(sortRaw)
                let id = entry.reason?.isRepost == true ? BlueskyNormaliser.repostID(entry) : entry.post.uri
                if id == stopURI || isAtOrBefore(sortDate, stopAt) {
                    reachedKnown = true
                    break
                }
                if let sortDate, newest.map({ sortDate > $0.date }) ?? true { newest = (sortDate, sortRaw, id) }
                guard let item = BlueskyNormaliser.item(from: entry, accountKey: account.key, agencyDID: did) else { continue }
                if entry.reason == nil || entry.reason?.isRepost == false {
                    ledger.seen.insert(entry.post.uri)
                    if entry.post.author.did == did { newOwnPosts.append(entry.post) }
                }
                items.append(item)
            }
            ledger.observe(items, from: response)
            cursor = feed.cursor.flatMap { $0.isEmpty ? nil : $0 }
            if reachedKnown || cursor == nil || feed.feed.isEmpty {
                complete = true
                break
            }
        }
        if !complete {
            ledger.problems.append("\(account.key): stopped the author feed after \(options.pageLimit) pages; older posts are not archived.")
        }
        if let newest {
            checkpoint["newestIndexedAt"] = newest.raw
            checkpoint["newestUri"] = newest.uri
        }
    }

    private func isAtOrBefore(_ date: Date?, _ limit: Date?) -> Bool {
        guard let date, let limit else { return false }
        return date <= limit
    }

    // MARK: Threads

    /// `getPostThread` of every new agency post (oldest first, skipping posts already
    /// inside a fetched thread) and of every recent root the registry names. Replies
    /// nest; deleted and blocked placeholders are skipped.
    mutating func harvestThreads() async throws {
        var insideFetched: Set<String> = []
        for post in newOwnPosts.reversed() where !insideFetched.contains(post.uri) {
            let uris = try await fetchThread(post.uri, knownRoot: false)
            insideFetched.formUnion(uris)
        }
        for uri in known.recentThreadRoots where !fetchedThreads.contains(uri) && !insideFetched.contains(uri) {
            _ = try await fetchThread(uri, knownRoot: true)
        }
    }

    /// One thread; returns the uris it held. For a known root, a 400 `NotFound` (or a
    /// `notFoundPost` anchor) is the direct lookup that confirms a deletion.
    private mutating func fetchThread(_ uri: String, knownRoot: Bool) async throws -> [String] {
        fetchedThreads.insert(uri)
        let url = threadURL(uri, depth: 1000)
        guard let response = try? await ledger.send(HTTPRequest(url: url, headers: headers)) else { return [] }
        if knownRoot, confirmsDeletion(response, of: uri) { return [] }
        guard let thread = read(response, expected: "a Bluesky thread", BlueskyNormaliser.decodeThread) else { return [] }
        let posts = BlueskyNormaliser.posts(in: thread.thread)
        var items: [Item] = []
        for post in posts where !ledger.seen.contains(post.uri) {
            ledger.seen.insert(post.uri)
            items.append(BlueskyNormaliser.item(from: post, accountKey: account.key, agencyDID: did))
        }
        ledger.observe(items, from: response)
        return posts.map(\.uri)
    }

    private func threadURL(_ uri: String, depth: Int) -> String {
        "\(base)/xrpc/app.bsky.feed.getPostThread?uri=\(URLText.queryEscape(uri))&depth=\(depth)&parentHeight=0"
    }

    // MARK: Re-checks (edits and deletions)

    /// The registry's recent posts not seen again in this poll, asked for in batches of
    /// 25 with `getPosts`. Every post returned is emitted again: a new `cid` is an edit,
    /// and the registry keeps a version only when the content differs. A uri missing
    /// from the answer is not yet a deletion: only a direct `getPostThread` answering
    /// 400 `NotFound` (or a `notFoundPost`) makes one, with that response as evidence.
    mutating func recheckKnownPosts() async throws {
        let ids = known.recentItemIDs.filter {
            $0.contains("/app.bsky.feed.post/") && !ledger.seen.contains($0) && !ledger.deletedIDs.contains($0)
        }
        var missing: [String] = []
        for start in stride(from: 0, to: ids.count, by: 25) {
            let batch = Array(ids[start..<min(start + 25, ids.count)])
            let url = "\(base)/xrpc/app.bsky.feed.getPosts?" + batch.map { "uris=\(URLText.queryEscape($0))" }.joined(separator: "&")
            let result: (HTTPResponse, BlueskyPosts)?
            do {
                result = try await fetch(url, expected: "Bluesky posts", decode: BlueskyNormaliser.decodePosts)
            } catch is HarvestLedger.NoResponse {
                return
            }
            guard let (response, answer) = result else { continue }
            let returned = Set(answer.posts.map(\.uri))
            var items: [Item] = []
            for post in answer.posts where batch.contains(post.uri) && !ledger.seen.contains(post.uri) {
                ledger.seen.insert(post.uri)
                items.append(BlueskyNormaliser.item(from: post, accountKey: account.key, agencyDID: did))
            }
            ledger.observe(items, from: response)
            missing += batch.filter { !returned.contains($0) }
        }
        for uri in missing {
            let url = threadURL(uri, depth: 0)
            guard let response = try? await ledger.send(HTTPRequest(url: url, headers: headers)) else { continue }
            if confirmsDeletion(response, of: uri) { continue }
            // Still there (hidden from getPosts, e.g. by a label): keep it as seen now.
            guard let thread = read(response, expected: "a Bluesky thread", BlueskyNormaliser.decodeThread),
                  let post = thread.thread.post, post.uri == uri, !ledger.seen.contains(uri) else { continue }
            ledger.seen.insert(uri)
            ledger.observe([BlueskyNormaliser.item(from: post, accountKey: account.key, agencyDID: did)], from: response)
        }
    }

    /// True (and a deletion recorded) when `response` to a direct thread lookup says
    /// the post is gone: 400 `NotFound`, or a `notFoundPost` anchor.
    private mutating func confirmsDeletion(_ response: HTTPResponse, of uri: String) -> Bool {
        let url = response.request.url
        if response.status == 400, BlueskyNormaliser.errorName(response.body)?.error == "NotFound" {
            ledger.recordDeletion(of: uri, how: "GET \(url) answered 400 NotFound (direct lookup)", evidence: response)
            return true
        }
        if response.status == 200, let thread = try? BlueskyNormaliser.decodeThread(response.body), thread.thread.isNotFound {
            ledger.recordDeletion(of: uri, how: "GET \(url) answered notFoundPost (direct lookup)", evidence: response)
            return true
        }
        return false
    }

    // MARK: Result

    func result() -> Harvest {
        ledger.harvest(checkpoint: checkpoint)
    }

    // MARK: Fetching

    /// The decoded body, or nil with the response quarantined (bad status, HTML, a body
    /// that does not decode). A 429 that survived the client's waits lands here too.
    private mutating func read<T>(_ response: HTTPResponse, expected: String, _ decode: (Data) throws -> T) -> T? {
        ledger.read(response, problem: ResponseProblem.check(response, expecting: .json), expected: expected, decode)
    }

    /// GET `url` and decode it; nil when quarantined. A transport failure is noted and thrown.
    private mutating func fetch<T>(_ url: String, expected: String, decode: (Data) throws -> T) async throws -> (HTTPResponse, T)? {
        guard let response = try await ledger.send(HTTPRequest(url: url, headers: headers)) else { return nil }
        return read(response, expected: expected, decode).map { (response, $0) }
    }
}
