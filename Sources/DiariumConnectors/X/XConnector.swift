import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one X account through API v2 (feed-apis.md §5): look the username up once
/// (the user id is kept in the checkpoint), page the user's posts (`pagination_token`
/// on the first poll, `since_id` afterwards), find replies by recent search on
/// `conversation_id`, read direct messages where the token allows, re-check recent
/// posts in batches so a deletion is confirmed by `errors[]` of a direct lookup, and look
/// up the earlier versions of an edited post that the registry does not hold yet.
public struct XConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway back-fill (the timeline holds at most 3,200 posts anyway).
        public var pageLimit: Int
        /// `max_results=` per page; X allows 5–100.
        public var pageSize: Int

        public init(pageLimit: Int = 40, pageSize: Int = 100) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(100, max(5, pageSize))
        }
    }

    public let platform = Platform.x
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.x")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, handle) = try account.apiRootAndHandle()
        // A configured credentials file that cannot be read is an error; no file at all
        // sends no Authorization header, and X's 401 then names the missing key.
        let token = try Credentials.token(for: account)
        var headers = [HTTPHeader("Accept", "application/json")]
        if let token { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }

        var run = XHarvestRun(client: client, options: options, logger: logger, account: account, base: base,
                              headers: headers, hasToken: token != nil, checkpoint: checkpoint, known: known)
        var events: [AccountEvent] = []
        if let id = checkpoint["userId"], checkpoint["handle"]?.lowercased() == handle.lowercased() {
            run.userID = id
        } else {
            let (user, response) = try await lookup(handle: handle, base: base, headers: headers, account: account, hasToken: token != nil)
            if let old = checkpoint["userId"], let oldHandle = checkpoint["handle"] {
                if old == user.id {
                    events.append(AccountEvent(kind: .renamed, detail: "username changed from @\(oldHandle) to @\(handle); still user \(user.id)",
                                               detectedAt: response.receivedAt, evidence: response.capture))
                } else {
                    for key in ["newestId", "newestDmId", "username"] { run.checkpoint.values.removeValue(forKey: key) }
                }
            }
            run.userID = user.id
            run.checkpoint["userId"] = user.id
            run.checkpoint["handle"] = handle
            if let username = user.username, run.checkpoint["username"] == nil { run.checkpoint["username"] = username }
        }
        try await run.harvestTimeline()
        try await run.harvestReplies()
        try await run.harvestMessages()
        try await run.recheckKnownPosts()
        try await run.harvestEdits()
        var harvest = run.result()
        // A rename made in the configuration is already reported; the timeline then
        // shows the same new username, which is not a second event.
        let alreadyRenamed = !events.isEmpty
        harvest.accountEvents = events + harvest.accountEvents.filter { !(alreadyRenamed && $0.kind == .renamed) }
        return harvest
    }

    /// `GET /2/users/by/username/:username` → the user. Every failure is thrown: without
    /// the id nothing can be harvested. A suspended or unknown user arrives as HTTP 200
    /// with `errors[]`; it is logged as an account event and thrown.
    func lookup(handle: String, base: String, headers: [HTTPHeader], account: AccountConfig, hasToken: Bool) async throws -> (XUser, HTTPResponse) {
        let url = "\(base)/2/users/by/username/\(URLText.pathEscape(handle))?user.fields=username,name"
        let response: HTTPResponse
        do {
            try Task.checkCancellation()
            response = try await client.send(HTTPRequest(url: url, headers: headers))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ConnectorError.unreachable(account: account.key, url: url, reason: String(describing: error))
        }
        if let problem = XHarvestRun.problem(response, account: account, hasToken: hasToken) {
            throw ConnectorError.lookupFailed(account: account.key, handle: handle, problem: problem)
        }
        let found: XUserLookup
        do {
            found = try XNormaliser.decodeUser(response.body)
        } catch {
            throw ConnectorError.lookupFailed(account: account.key, handle: handle,
                                              problem: ResponseProblem.decoding(error, url: url, expected: "an X user"))
        }
        if let user = found.data, !user.id.isEmpty { return (user, response) }
        let error = found.errors?.first
        let detail = error?.detail ?? error?.title ?? "no user in the answer"
        let kind: AccountEvent.Kind = detail.localizedCaseInsensitiveContains("suspended") ? .suspended : .deleted
        logger.warning("account event", metadata: ["account": "\(account.key)", "event": "\(kind.rawValue)", "detail": "\(detail)"])
        if kind == .suspended {
            throw ConnectorError.lookupFailed(account: account.key, handle: handle, problem: "\(url) says the account is suspended (“\(detail.prefix(200))”).")
        }
        throw ConnectorError.accountNotFound(account: account.key, handle: handle, url: url)
    }
}
