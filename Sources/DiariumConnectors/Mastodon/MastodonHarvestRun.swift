import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one Mastodon harvest: what was fetched, what failed, and where the
/// cursor may move. Kept apart from `MastodonConnector` so the connector stays a
/// stateless value and each step (timeline, threads, edits) reads on its own.
struct MastodonHarvestRun {
    let options: MastodonConnector.Options
    let account: AccountConfig
    let base: String
    let headers: [HTTPHeader]
    var checkpoint: Checkpoint
    let known: KnownItems
    var accountID = ""

    /// Context and history observations (in fetch order), quarantine, deletions, problems
    /// and the ids seen; `seen` holds every status id noted in this run.
    private var ledger: HarvestLedger
    /// Timeline pages in fetch order; turned into observations once thread roots are known.
    private var pages: [(response: HTTPResponse, statuses: [MastodonStatus])] = []
    /// Thread root per status id, learnt from `/context`.
    private var rootOf: [String: String] = [:]
    /// Every status seen in this run with its thread root: the candidates for `/history`.
    private var noted: [(status: MastodonStatus, root: String?)] = []
    /// Status of the last response `fetch` received, nil after a transport failure.
    private var lastStatus: Int? { ledger.lastResponse?.status }
    /// Answers fetched ahead, side by side, by `prefetch`; `fetch` takes them from here.
    private var prefetched: [String: Result<HTTPResponse, any Error>] = [:]

    init(client: any HTTPClient, options: MastodonConnector.Options, logger: Logger, account: AccountConfig,
         base: String, headers: [HTTPHeader], checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger)
        self.options = options
        self.account = account
        self.base = base
        self.headers = headers
        self.checkpoint = checkpoint
        self.known = known
    }

    private var statusesURL: String {
        "\(base)/api/v1/accounts/\(URLText.pathEscape(accountID))/statuses?limit=\(options.pageSize)"
    }

    // MARK: Timeline

    /// Checkpoint key of an unfinished back-fill: the oldest status id archived so far;
    /// the next chunk asks for statuses older than it (`max_id`).
    static let backfillKey = "backfillMaxId"

    /// True when the back-fill stopped at its chunk size with older pages left.
    private(set) var continues = false

    /// First poll: a back-fill paging back through `Link rel="next"`, one chunk of
    /// `backfillChunkPages` pages per harvest, the oldest id so far kept in the checkpoint
    /// so the next chunk (or, after a failed page or a stop, the next poll) goes on from
    /// there. The newest id is kept from the first page on, so new statuses posted during
    /// a long back-fill are paged forward to once it is done. Later polls: page forward
    /// with `min_id`; the cursor moves page by page and stops before a failed one.
    mutating func harvestTimeline() async throws {
        if let oldest = checkpoint[Self.backfillKey] {
            try await backfill(from: statusesURL + "&max_id=\(URLText.queryEscape(oldest))")
            return
        }
        if let newest = checkpoint["newestId"] {
            var cursor = newest
            for _ in 0..<options.pageLimit {
                let url = statusesURL + "&min_id=\(URLText.queryEscape(cursor))"
                guard let (response, statuses) = try await fetchPage(url) else { return }
                guard let pageNewest = MastodonID.newest(statuses.map(\.id)) else { return }
                pages.append((response, statuses))
                cursor = pageNewest
                checkpoint["newestId"] = cursor
            }
            ledger.problems.append("\(account.key): stopped after \(options.pageLimit) pages of new statuses; the next poll goes on from \(cursor).")
            return
        }
        try await backfill(from: statusesURL)
    }

    /// One chunk of the back-fill from `first` on.
    private mutating func backfill(from first: String) async throws {
        var next: String? = first
        var count = 0
        while let url = next {
            guard count < options.backfillChunkPages else {
                continues = true
                return
            }
            count += 1
            // A failed page leaves the cursor where it was: the next poll asks again.
            guard let (response, statuses) = try await fetchPage(url) else { return }
            if let newest = MastodonID.newest(statuses.map(\.id)),
               checkpoint["newestId"].map({ MastodonID.isNewer(newest, than: $0) }) ?? true {
                checkpoint["newestId"] = newest
            }
            if statuses.isEmpty { break }
            pages.append((response, statuses))
            next = LinkHeader.target(rel: "next", in: response.headers.filter { $0.name.lowercased() == "link" }.map(\.value))
            if let link = next, !sameOrigin(link) {
                ledger.problems.append("\(account.key): ignored a next link to another server (\(link)).")
                next = nil
            }
            guard next != nil else { break }
            if let oldest = statuses.map(\.id).min(by: { MastodonID.isNewer($1, than: $0) }) {
                checkpoint[Self.backfillKey] = oldest
            }
        }
        checkpoint.values.removeValue(forKey: Self.backfillKey)
    }

    /// One statuses page, or nil when it failed (quarantined or logged). A transport
    /// failure on the very first request of the harvest is thrown: nothing was harvested.
    private mutating func fetchPage(_ url: String) async throws -> (HTTPResponse, [MastodonStatus])? {
        let isFirst = pages.isEmpty && ledger.quarantined.isEmpty
        do {
            return try await fetch(url, expected: "a list of Mastodon statuses", decode: MastodonNormaliser.decodeStatuses)
        } catch let error as HarvestLedger.NoResponse {
            if isFirst { throw ConnectorError.unreachable(account: account.key, url: url, reason: error.reason) }
            return nil
        }
    }

    // MARK: Threads

    /// `/context` of every new agency status that can be part of a thread (oldest first,
    /// skipping those already inside a fetched thread) and of every recent thread root the
    /// registry names. A post the server reports no replies to, and that answers nothing
    /// itself, has no thread to fetch; a reply that comes later is still found, because the
    /// post is then a recent root of the registry, whose context is fetched every poll
    /// inside the rescan window whatever its count said.
    mutating func harvestThreads(includingKnownRoots: Bool = true) async throws {
        // Timeline statuses are items of their page; a context repeats them, not as new items.
        for status in pages.flatMap(\.statuses) where status.reblog == nil && !ledger.seen.contains(status.id) {
            note(status, root: nil)
        }
        let own = pages.reversed().flatMap { $0.statuses.reversed() }.filter { $0.reblog == nil && $0.account.id == accountID }
        var fetched: Set<String> = []
        // Oldest first, so a self-thread's root is fetched before its replies, which
        // its context then covers (a context holds the whole subtree).
        let candidates = own.filter(Self.mayHaveThread)
        let window = max(64, options.threadFetchWidth * 8)
        for start in stride(from: 0, to: candidates.count, by: window) {
            let slice = candidates[start..<min(start + window, candidates.count)]
            // Posts that answer no one cannot sit inside another post's thread, so their
            // threads are asked for side by side; the answers are then read in the same
            // order as before, one by one, so the outcome is that of a sequential harvest.
            await prefetch(slice.filter { $0.in_reply_to_id == nil && rootOf[$0.id] == nil && !fetched.contains($0.id) }.map { contextURL($0.id) })
            for status in slice where rootOf[status.id] == nil {
                guard !fetched.contains(status.id) else { continue }
                fetched.insert(status.id)
                try await fetchContext(of: status.id, knownRoot: false)
            }
            prefetched.removeAll()
        }
        guard includingKnownRoots else { return }
        let roots = known.recentThreadRoots.filter { !fetched.contains($0) && !ledger.deletedIDs.contains($0) }
        for start in stride(from: 0, to: roots.count, by: window) {
            let slice = roots[start..<min(start + window, roots.count)]
            await prefetch(slice.filter { !fetched.contains($0) }.map(contextURL))
            for id in slice where !fetched.contains(id) {
                fetched.insert(id)
                try await fetchContext(of: id, knownRoot: true)
            }
            prefetched.removeAll()
        }
    }

    /// False only when the server says no one replied and the status answers no one.
    static func mayHaveThread(_ status: MastodonStatus) -> Bool {
        status.in_reply_to_id != nil || (status.replies_count ?? 1) > 0
    }

    private func contextURL(_ id: String) -> String {
        "\(base)/api/v1/statuses/\(URLText.pathEscape(id))/context"
    }

    /// Sends the GETs `threadFetchWidth` at a time and keeps the answers (or transport
    /// failures) for `fetch`, which reads them instead of asking again.
    private mutating func prefetch(_ urls: [String]) async {
        guard urls.count > 1, options.threadFetchWidth > 1, !Task.isCancelled else { return }
        let client = ledger.client
        let headers = self.headers
        let width = options.threadFetchWidth
        let answers = await withTaskGroup(of: (String, Result<HTTPResponse, any Error>).self) { group in
            var pending = urls[...]
            func start(_ url: String) {
                group.addTask {
                    do { return (url, .success(try await client.send(HTTPRequest(url: url, headers: headers)))) }
                    catch { return (url, .failure(error)) }
                }
            }
            for _ in 0..<min(width, pending.count) { start(pending.removeFirst()) }
            var answers: [String: Result<HTTPResponse, any Error>] = [:]
            for await (url, result) in group {
                answers[url] = result
                if let next = pending.popFirst(), !Task.isCancelled { start(next) }
            }
            return answers
        }
        prefetched.merge(answers) { $1 }
    }

    private mutating func fetchContext(of id: String, knownRoot: Bool) async throws {
        let url = contextURL(id)
        let result: (HTTPResponse, MastodonContext)?
        do {
            result = try await fetch(url, expected: "a Mastodon context", decode: MastodonNormaliser.decodeContext, quarantine404: !knownRoot)
        } catch is HarvestLedger.NoResponse {
            return   // already noted in the ledger's problems
        }
        guard let (response, context) = result else {
            if knownRoot, lastStatus == 404 { try await confirmDeletion(of: id) }
            return
        }
        let root = context.ancestors.first?.id ?? rootOf[id] ?? id
        rootOf[id] = root
        var items: [Item] = []
        for status in context.ancestors + context.descendants {
            rootOf[status.id] = root
            guard !ledger.seen.contains(status.id) else { continue }
            note(status, root: root)
            items.append(normalise(status, root: root))
        }
        ledger.observe(items, from: response)
    }

    /// A known thread root whose context is gone: a direct lookup that answers 404 is
    /// the deletion's evidence (DESIGN: deleted only after a direct lookup says so).
    private mutating func confirmDeletion(of id: String) async throws {
        let url = "\(base)/api/v1/statuses/\(URLText.pathEscape(id))"
        try Task.checkCancellation()
        guard let response = try? await ledger.client.send(HTTPRequest(url: url, headers: headers)) else { return }
        if response.status == 404 {
            recordDeletion(of: id, url: url, response: response)
        } else if response.status != 200 {
            ledger.quarantine(response, ResponseProblem.check(response, expecting: .json) ?? "\(url) answered HTTP \(response.status).")
        }
    }

    // MARK: Re-checking known roots

    /// Every item the registry holds inside the rescan window (roots and replies) that
    /// this poll's timeline did not show again, asked for in batches with
    /// `GET /api/v1/statuses?id[]=…`: a root that comes back is kept again (so an edit of
    /// an older post is noticed); an id that does not come back is asked for alone, and
    /// only a 404 to that direct lookup makes a deletion. A server without the batch
    /// endpoint (before 4.3) answers 404; then each id is asked for alone.
    mutating func recheckKnownRoots() async throws {
        let timeline = Set(pages.flatMap(\.statuses).map(\.id))
        let roots = Set(known.recentThreadRoots)
        var ids: [String] = []
        var listed: Set<String> = []
        for id in known.recentThreadRoots + known.recentItemIDs where !timeline.contains(id) && !ledger.seen.contains(id) {
            if listed.insert(id).inserted { ids.append(id) }
        }
        guard !ids.isEmpty else { return }
        var batchesWork = true
        for start in stride(from: 0, to: ids.count, by: 20) {
            let batch = Array(ids[start..<min(start + 20, ids.count)])
            var missing = batch
            if batchesWork {
                let query = batch.map { "id[]=\(URLText.queryEscape($0))" }.joined(separator: "&")
                let url = "\(base)/api/v1/statuses?\(query)"
                do {
                    if let (response, statuses) = try await fetch(url, expected: "Mastodon statuses", decode: MastodonNormaliser.decodeStatuses, quarantine404: false) {
                        keepRoots(statuses.filter { batch.contains($0.id) && roots.contains($0.id) }, from: response)
                        let found = Set(statuses.map(\.id))
                        missing = batch.filter { !found.contains($0) }
                    } else if lastStatus == 404 {
                        batchesWork = false
                    } else {
                        continue
                    }
                } catch is HarvestLedger.NoResponse {
                    return
                }
            }
            for id in missing {
                let url = "\(base)/api/v1/statuses/\(URLText.pathEscape(id))"
                do {
                    if let (response, status) = try await fetch(url, expected: "a Mastodon status", decode: { try JSONDecoder().decode(MastodonStatus.self, from: $0) }, quarantine404: false) {
                        if roots.contains(id) { keepRoots([status].filter { $0.id == id }, from: response) }
                    } else if lastStatus == 404, let response = ledger.lastResponse {
                        recordDeletion(of: id, url: url, response: response)
                    }
                } catch is HarvestLedger.NoResponse {
                    return
                }
            }
        }
    }

    private mutating func recordDeletion(of id: String, url: String, response: HTTPResponse) {
        ledger.recordDeletion(of: id, how: "GET \(url) answered 404 (direct lookup)", evidence: response)
    }

    private mutating func keepRoots(_ statuses: [MastodonStatus], from response: HTTPResponse) {
        var items: [Item] = []
        for status in statuses where !ledger.seen.contains(status.id) {
            let root = pageRoot(status) ?? status.id
            rootOf[status.id] = root
            note(status, root: root)
            items.append(normalise(status, root: root))
        }
        ledger.observe(items, from: response)
    }

    // MARK: Messages

    /// Mentions of the account, read from its notifications: direct messages (visibility
    /// `direct`, kind `message`) and public mentions outside the agency's own threads.
    /// Notifications need the account's own token; without one this step is skipped, and
    /// a refused token is a problem noted for the sysadmin, not a failed harvest.
    mutating func harvestMentions() async throws {
        guard headers.contains(where: { $0.name == "Authorization" }) else { return }
        var url = "\(base)/api/v1/notifications?types[]=mention&limit=40"
        if let since = checkpoint["notificationsSince"] { url += "&since_id=\(URLText.queryEscape(since))" }
        let result: (HTTPResponse, [MastodonNotification])?
        do {
            result = try await fetch(url, expected: "Mastodon notifications", decode: { try JSONDecoder().decode([MastodonNotification].self, from: $0) }, quarantine404: false)
        } catch is HarvestLedger.NoResponse {
            return
        }
        guard let (response, notifications) = result else {
            if lastStatus == 401 || lastStatus == 403 || lastStatus == 404 {
                ledger.problems.append("\(account.key): the token may not read notifications (HTTP \(lastStatus ?? 0)), so direct messages are not archived; give it the read:notifications scope.")
            }
            return
        }
        var items: [Item] = []
        for notification in notifications {
            guard let status = notification.status, !ledger.seen.contains(status.id) else { continue }
            let root = rootOf[status.id] ?? status.in_reply_to_id.flatMap { rootOf[$0] } ?? status.in_reply_to_id ?? status.id
            rootOf[status.id] = root
            note(status, root: root)
            items.append(normalise(status, root: root))
        }
        ledger.observe(items, from: response)
        if let newest = MastodonID.newest(notifications.map(\.id)) { checkpoint["notificationsSince"] = newest }
    }

    // MARK: Edits

    /// `/history` of every status whose `edited_at` is newer than the registry's copy,
    /// kept as history: the ledger stores its revisions before the live status.
    mutating func harvestEdits() async throws {
        var done: Set<String> = []
        for (status, notedRoot) in noted {
            let root = rootOf[status.id] ?? notedRoot ?? pageRoot(status)
            guard let editedAt = status.edited_at.flatMap(Timestamp.parse), !done.contains(status.id) else { continue }
            if let last = known.lastEdited[status.id], editedAt.timeIntervalSince(last) <= 0.0005 { continue }
            done.insert(status.id)
            let url = "\(base)/api/v1/statuses/\(URLText.pathEscape(status.id))/history"
            let fetched: (HTTPResponse, [MastodonStatusEdit])?
            do {
                fetched = try await fetch(url, expected: "a Mastodon edit history", decode: MastodonNormaliser.decodeHistory)
            } catch is HarvestLedger.NoResponse {
                continue
            }
            guard let (response, history) = fetched, !history.isEmpty else { continue }
            let items = MastodonNormaliser.versions(of: status, history: history, accountKey: account.key, agencyAccountID: accountID, threadRoot: root)
            ledger.observeHistory(items, from: response)
        }
    }

    // MARK: Result

    /// The timeline pages first (their thread roots known only now), then what the ledger
    /// kept; the ledger puts every status's versions oldest first, the live one last.
    func result() -> Harvest {
        var observations: [Observation] = []
        for (response, statuses) in pages {
            let items = statuses.map { normalise($0, root: rootOf[$0.id] ?? pageRoot($0)) }
            observations.append(Observation(capture: ledger.capture(response), items: items))
        }
        var harvest = ledger.harvest(checkpoint: checkpoint, leading: observations)
        harvest.continues = continues
        return harvest
    }

    /// Root of a timeline status whose thread was not fetched (a boost, or a reply
    /// whose context failed): walk up through statuses of this harvest.
    private func pageRoot(_ status: MastodonStatus) -> String? {
        guard status.reblog == nil, var parent = status.in_reply_to_id else { return status.id }
        var steps = 0
        while let root = rootOf[parent], root != parent, steps < 64 { parent = root; steps += 1 }
        return rootOf[parent] ?? parent
    }

    private func normalise(_ status: MastodonStatus, root: String?) -> Item {
        MastodonNormaliser.item(from: status, accountKey: account.key, agencyAccountID: accountID, threadRoot: root)
    }

    private mutating func note(_ status: MastodonStatus, root: String?) {
        ledger.seen.insert(status.id)
        noted.append((status, root))
    }

    // MARK: Fetching

    /// GET `url` (or take the answer `prefetch` got for it) and decode it. A bad status,
    /// HTML, or undecodable body is quarantined and gives nil (a 404 is only left out of
    /// the quarantine with `quarantine404: false`); a transport failure is noted and thrown.
    private mutating func fetch<T>(_ url: String, expected: String, decode: (Data) throws -> T, quarantine404: Bool = true) async throws -> (HTTPResponse, T)? {
        guard let response = try await ledger.send(HTTPRequest(url: url, headers: headers), answeredAhead: prefetched.removeValue(forKey: url)) else { return nil }
        let problem = ResponseProblem.check(response, expecting: .json)
        if problem != nil, response.status == 404, !quarantine404 { return nil }
        return ledger.read(response, problem: problem, expected: expected, decode).map { (response, $0) }
    }

    /// True when `link` points at the configured server: the bearer token must never
    /// be sent to a host a response named.
    private func sameOrigin(_ link: String) -> Bool {
        link == base || link.hasPrefix(base + "/") || link.hasPrefix(base + "?") || link.hasPrefix(origin(base) + "/")
    }

    private func origin(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(url[..<end])
    }
}
