import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one Bluesky account through the public AppView (feed-apis.md §2): resolve
/// the handle to its DID (the stable id, kept in the checkpoint), check the profile
/// (renamed, deleted, taken down), page the author feed, fetch the thread of every new
/// agency post and of the registry's recent roots, and re-check recent posts in
/// batches so edits (same uri, new cid) and deletions (confirmed by a direct thread
/// lookup) are found.
public struct BlueskyConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway back-fill; the next poll starts again from the top.
        public var pageLimit: Int
        /// `limit=` per feed page; the AppView caps it at 100.
        public var pageSize: Int

        public init(pageLimit: Int = 500, pageSize: Int = 100) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(100, max(1, pageSize))
        }
    }

    public let platform = Platform.bluesky
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.bluesky")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, rawHandle) = try account.apiRootAndHandle()
        let handle = rawHandle.lowercased()
        // The AppView takes no authentication (feed-apis.md §2.1): no token is sent.
        let headers = [HTTPHeader("Accept", "application/json")]
        var run = BlueskyHarvestRun(client: client, options: options, logger: logger, account: account,
                                    base: base, headers: headers, checkpoint: checkpoint, known: known)
        var events: [AccountEvent] = []

        // The DID is kept, so later polls skip the lookup. A handle changed in the
        // configuration is resolved again: the same DID means the account was renamed
        // (its cursor stays); another DID is another account, which starts over.
        if let did = checkpoint["did"], checkpoint["handle"] == handle {
            run.did = did
        } else {
            let (did, response) = try await resolve(handle: handle, base: base, headers: headers, account: account.key)
            if let old = checkpoint["did"], let oldHandle = checkpoint["handle"] {
                if old == did {
                    events.append(AccountEvent(kind: .renamed, detail: "handle changed from @\(oldHandle) to @\(handle); still \(did)",
                                               detectedAt: response.receivedAt, evidence: response.capture))
                } else {
                    for key in ["newestIndexedAt", "newestUri", "platformHandle"] { run.checkpoint.values.removeValue(forKey: key) }
                }
            }
            run.did = did
            run.checkpoint["did"] = did
            run.checkpoint["handle"] = handle
        }
        // A rename made in the configuration is already reported; the profile then shows
        // the same new handle, which is not a second event.
        let alreadyRenamed = !events.isEmpty
        events += try await checkProfile(&run).filter { !(alreadyRenamed && $0.kind == .renamed) }
        try await run.harvestFeed()
        try await run.harvestThreads()
        try await run.recheckKnownPosts()
        var harvest = run.result()
        harvest.accountEvents = events + harvest.accountEvents
        return harvest
    }

    /// `com.atproto.identity.resolveHandle` → the DID. Every failure is thrown: without
    /// the DID nothing can be harvested.
    func resolve(handle: String, base: String, headers: [HTTPHeader], account: String) async throws -> (String, HTTPResponse) {
        let url = "\(base)/xrpc/com.atproto.identity.resolveHandle?handle=\(URLText.queryEscape(handle))"
        let response = try await send(url, headers: headers, account: account)
        if response.status == 400 || response.status == 404,
           let name = BlueskyNormaliser.errorName(response.body)?.error, name == "HandleNotFound" || name == "InvalidRequest" {
            throw ConnectorError.accountNotFound(account: account, handle: handle, url: url)
        }
        if let problem = ResponseProblem.check(response, expecting: .json) {
            throw ConnectorError.lookupFailed(account: account, handle: handle, problem: problem)
        }
        do {
            let did = try BlueskyNormaliser.decodeResolvedHandle(response.body).did
            guard did.hasPrefix("did:") else {
                throw ConnectorError.lookupFailed(account: account, handle: handle, problem: "\(url) returned '\(did.prefix(80))', which is not a DID.")
            }
            return (did, response)
        } catch let error as ConnectorError {
            throw error
        } catch {
            throw ConnectorError.lookupFailed(account: account, handle: handle,
                                              problem: ResponseProblem.decoding(error, url: url, expected: "a resolved handle"))
        }
    }

    /// `app.bsky.actor.getProfile?actor=<did>`: a handle the platform shows differently
    /// from last time is a rename (the account is followed by its DID anyway); a
    /// deleted or taken-down account is an account event and a `ConnectorError`, since
    /// nothing can be harvested. Any other failure is quarantined and the poll goes on.
    func checkProfile(_ run: inout BlueskyHarvestRun) async throws -> [AccountEvent] {
        let url = "\(run.base)/xrpc/app.bsky.actor.getProfile?actor=\(URLText.queryEscape(run.did))"
        let response = try await send(url, headers: run.headers, account: run.account.key)
        let handle = run.checkpoint["handle"] ?? run.did
        if response.status == 400, let body = BlueskyNormaliser.errorName(response.body) {
            let name = body.error ?? ""
            let message = body.message ?? ""
            let kind: AccountEvent.Kind?
            switch name {
            case "AccountTakedown": kind = .suspended
            case "AccountDeactivated": kind = .deleted
            default: kind = message.localizedCaseInsensitiveContains("profile not found") ? .deleted : nil
            }
            if let kind {
                let detail = "\(run.did) (@\(handle)) is \(kind == .suspended ? "taken down" : "deleted or deactivated"): \(url) answered \(name.isEmpty ? "400" : name)\(message.isEmpty ? "" : " “\(message.prefix(200))”")"
                // `Connector.harvest` cannot return an event and throw, so the event is
                // logged here and the error carries the same sentence.
                logger.warning("account event", metadata: ["account": "\(run.account.key)", "event": "\(kind.rawValue)", "detail": "\(detail)"])
                throw ConnectorError.lookupFailed(account: run.account.key, handle: handle, problem: "\(detail).")
            }
        }
        if let problem = ResponseProblem.check(response, expecting: .json) {
            run.ledger.quarantine(response, problem)
            return []
        }
        guard let profile = try? BlueskyNormaliser.decodeProfile(response.body) else {
            run.ledger.quarantine(response, "\(url) returned a profile that could not be read.")
            return []
        }
        let shown = profile.handle ?? ""
        defer { if !shown.isEmpty { run.checkpoint["platformHandle"] = shown } }
        if let before = run.checkpoint["platformHandle"], !shown.isEmpty, before != shown {
            return [AccountEvent(kind: .renamed, detail: "handle changed from @\(before) to @\(shown); still \(run.did)",
                                 detectedAt: response.receivedAt, evidence: response.capture)]
        }
        return []
    }

    private func send(_ url: String, headers: [HTTPHeader], account: String) async throws -> HTTPResponse {
        try Task.checkCancellation()
        do {
            return try await client.send(HTTPRequest(url: url, headers: headers))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ConnectorError.unreachable(account: account, url: url, reason: String(describing: error))
        }
    }
}
