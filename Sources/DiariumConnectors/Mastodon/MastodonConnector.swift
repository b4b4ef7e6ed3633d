import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one Mastodon account through the public REST API (feed-apis.md §1):
/// resolve the handle, page the account's statuses (a back-fill through Link paging on
/// the first poll, in chunks; `min_id` afterwards), fetch the thread of every agency post
/// that can have one, and the edit history of every status that reports a newer edit
/// than the registry holds.
public struct MastodonConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway run of new statuses; the next poll goes on from the newest id.
        public var pageLimit: Int
        /// `limit=` per statuses page; Mastodon caps it at 40.
        public var pageSize: Int
        /// Statuses pages per back-fill chunk: each chunk is one harvest and one
        /// transaction, so memory stays bounded and a stop loses at most one chunk.
        public var backfillChunkPages: Int
        /// Threads asked for at once: a back-fill of a large account is mostly `/context`
        /// requests, and one at a time they wait on the network in turn.
        public var threadFetchWidth: Int

        public init(pageLimit: Int = 1_000, pageSize: Int = 40, backfillChunkPages: Int = 25, threadFetchWidth: Int = 8) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(40, max(1, pageSize))
            self.backfillChunkPages = max(1, backfillChunkPages)
            self.threadFetchWidth = max(1, threadFetchWidth)
        }
    }

    public let platform = Platform.mastodon
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.mastodon")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, handle) = try account.apiRootAndHandle()
        var headers = [HTTPHeader("Accept", "application/json")]
        if let path = account.credentials, !path.isEmpty {
            headers.append(HTTPHeader("Authorization", "Bearer \(try Credentials.token(path: path, account: account.key))"))
        }

        var run = MastodonHarvestRun(
            client: client, options: options, logger: logger, account: account,
            base: base, headers: headers, checkpoint: checkpoint, known: known)
        // The resolved id is kept, so later polls skip the lookup; a changed handle in
        // the configuration means another account, so the cursor starts over.
        if let id = checkpoint["accountId"], checkpoint["handle"] == handle {
            run.accountID = id
        } else {
            run.accountID = try await lookup(handle: handle, base: base, headers: headers, account: account.key)
            run.checkpoint.values.removeValue(forKey: "newestId")
            run.checkpoint.values.removeValue(forKey: MastodonHarvestRun.backfillKey)
            run.checkpoint["accountId"] = run.accountID
            run.checkpoint["handle"] = handle
        }
        // A later chunk of a back-fill is only older statuses and their threads: the first
        // chunk of the poll already re-checked the rescan window and the mentions, and
        // doing it again per chunk would cost the window's requests a hundred times over.
        let continuing = run.checkpoint[MastodonHarvestRun.backfillKey] != nil
        try await run.harvestTimeline()
        if !continuing {
            try await run.recheckKnownRoots()
        }
        try await run.harvestThreads(includingKnownRoots: !continuing)
        if !continuing {
            try await run.harvestMentions()
        }
        try await run.harvestEdits()
        return run.result()
    }

    /// `GET /api/v1/accounts/lookup?acct=<handle>` → the account id. Every failure is
    /// thrown: without the id nothing can be harvested.
    func lookup(handle: String, base: String, headers: [HTTPHeader], account: String) async throws -> String {
        let url = "\(base)/api/v1/accounts/lookup?acct=\(URLText.queryEscape(handle))"
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: headers))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ConnectorError.unreachable(account: account, url: url, reason: String(describing: error))
        }
        if response.status == 404 {
            throw ConnectorError.accountNotFound(account: account, handle: handle, url: url)
        }
        if let problem = ResponseProblem.check(response, expecting: .json) {
            throw ConnectorError.lookupFailed(account: account, handle: handle, problem: problem)
        }
        do {
            let found = try MastodonNormaliser.decodeAccount(response.body)
            guard !found.id.isEmpty else {
                throw ConnectorError.lookupFailed(account: account, handle: handle, problem: "\(url) returned an account without an id.")
            }
            return found.id
        } catch let error as ConnectorError {
            throw error
        } catch {
            throw ConnectorError.lookupFailed(
                account: account, handle: handle,
                problem: ResponseProblem.decoding(error, url: url, expected: "a Mastodon account"))
        }
    }
}
