import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The bookkeeping of one harvest, the same on every platform: what was observed,
/// quarantined and found deleted, the problems and account events to report, the ids
/// already seen, whether the harvest has stopped early and whether anything answered
/// yet, and the one way a run fetches (`send`, `response(to:)`, `read`).
///
/// Each platform's harvest run owns one ledger and reads its wire format; the ledger
/// keeps the record. So a rule about the record (how a response becomes a capture, what
/// a quarantine logs, when a deletion counts, what no answer at all means) is written
/// here once, not once per platform.
struct HarvestLedger {
    let client: any HTTPClient
    /// The account's key, named in every quarantine record, problem and log line.
    let account: String
    let logger: Logger
    /// Keep captures with credential-like query values (`api_key`, …) redacted in their
    /// URL and every redirect hop: for platforms that take their key only in the query
    /// (Flickr). The registry keeps captures forever and shows them to auditors.
    let redactsCaptures: Bool

    /// Responses in the order they were read, each with the items it yielded.
    private(set) var observations: [Observation] = []
    /// Which of `observations` are revisions read from an edit history.
    private var historyObservations: Set<Int> = []
    /// Responses that could not be read: kept and logged, never fatal.
    private(set) var quarantined: [Quarantined] = []
    /// Items a direct lookup confirmed gone, each once, with its evidence.
    private(set) var deletions: [Deletion] = []
    /// The ids in `deletions`.
    private(set) var deletedIDs: Set<String> = []
    /// Failures that left no response to keep, and caps reached: one sentence each.
    var problems: [String] = []
    /// Changes to the account itself (a rename seen on a page).
    var accountEvents: [AccountEvent] = []
    /// Ids this harvest saw in some response: already emitted, or known to exist.
    var seen: Set<String> = []
    /// Set when the platform throttles or a budget runs out: no further request is sent.
    var stopped = false
    /// True once any response arrived in this harvest.
    private(set) var answered = false
    /// The last response `send` received; nil after a transport failure or a stop.
    private(set) var lastResponse: HTTPResponse?

    init(client: any HTTPClient, account: String, logger: Logger, redactsCaptures: Bool = false) {
        self.client = client
        self.account = account
        self.logger = logger
        self.redactsCaptures = redactsCaptures
    }

    // MARK: The record

    /// The response as evidence: as received, or with its URLs redacted when
    /// `redactsCaptures` (a server may echo the key in a Location, so hops too).
    func capture(_ response: HTTPResponse) -> Capture {
        var capture = response.capture
        guard redactsCaptures else { return capture }
        capture.url = redactedURL(capture.url)
        capture.redirects = capture.redirects.map {
            RedirectHop(url: redactedURL($0.url), status: $0.status, location: redactedURL($0.location))
        }
        return capture
    }

    /// Keeps `items` with the response they were read from; nothing when there are none.
    mutating func observe(_ items: [Item], from response: HTTPResponse) {
        guard !items.isEmpty else { return }
        observations.append(Observation(capture: capture(response), items: items))
    }

    /// Keeps earlier revisions of items, read from an edit history in `response` (Mastodon
    /// `/history`), oldest first. They are stored before the item as the platform shows it
    /// now, and a revision the live post stands for is left out (see `VersionOrder`), so a
    /// post first seen already edited has its versions oldest first and the live one last.
    mutating func observeHistory(_ revisions: [Item], from response: HTTPResponse) {
        guard !revisions.isEmpty else { return }
        historyObservations.insert(observations.count)
        observe(revisions, from: response)
    }

    /// Keeps an unreadable response with one sentence saying why, and logs it.
    mutating func quarantine(_ response: HTTPResponse, _ problem: String) {
        logger.warning("quarantined", metadata: ["account": "\(account)", "problem": "\(problem)"])
        quarantined.append(Quarantined(account: account, capture: capture(response), problem: problem))
    }

    /// Quarantines `response` and sends nothing more in this harvest (throttled, a quota
    /// or usage budget spent): what was read so far is kept, the next poll goes on.
    mutating func stop(quarantining response: HTTPResponse, _ problem: String) {
        stopped = true
        quarantine(response, problem)
    }

    /// A 429 that outlasted the client's retries stops the harvest. True when it did.
    mutating func stopIfRateLimited(_ response: HTTPResponse) -> Bool {
        guard response.status == 429 else { return false }
        let retry = response.header("Retry-After").map { "; retry after \($0)" } ?? ""
        stop(quarantining: response, "\(redactedURL(response.request.url)) answered HTTP 429: rate limited\(retry); the harvest stopped early.")
        return true
    }

    /// Records that a direct lookup found item `id` gone, `response` being the evidence.
    /// An item is deleted once per harvest: a second confirmation is ignored.
    mutating func recordDeletion(of id: String, how: String, evidence response: HTTPResponse) {
        guard deletedIDs.insert(id).inserted else { return }
        deletions.append(Deletion(itemID: id, detectedAt: response.receivedAt, how: how, evidence: capture(response)))
    }

    /// The harvest as the archiver takes it, the cursor moved to `checkpoint`: `leading`
    /// (responses a run read first but kept aside, such as timeline pages waiting for
    /// their threads) and then the ledger's own, every item's versions put oldest first
    /// with what the platform shows now last (`VersionOrder`), on every platform.
    func harvest(checkpoint: Checkpoint, leading: [Observation] = []) -> Harvest {
        let entries = leading.map { VersionOrder.Entry(observation: $0, isHistory: false) }
            + observations.enumerated().map { VersionOrder.Entry(observation: $1, isHistory: historyObservations.contains($0)) }
        return Harvest(observations: VersionOrder.oldestFirst(entries), quarantined: quarantined, deletions: deletions,
                       checkpoint: checkpoint, problems: problems, accountEvents: accountEvents)
    }

    // MARK: Fetching

    /// No response arrived at all (DNS, connect, TLS, timeout); already noted in
    /// `problems` and logged. The reason is redacted.
    struct NoResponse: Error { var reason: String }

    /// GET `request` (or take `answeredAhead`, an answer fetched ahead for it). Nil when
    /// the harvest has stopped. A shutdown ends the harvest: the archiver stores nothing of
    /// a cancelled one. When no response arrives, the failure is noted as a problem,
    /// logged and thrown as `NoResponse`, for the caller to decide whether that ends a
    /// step or the whole harvest — except that with `firstIsFatal`, no answer to the
    /// harvest's first request is thrown as `ConnectorError.unreachable` (nothing at all
    /// could be harvested). URLs and reasons are shown redacted: some platforms put keys
    /// in the query.
    mutating func send(_ request: HTTPRequest, answeredAhead: Result<HTTPResponse, any Error>? = nil,
                       firstIsFatal: Bool = false) async throws -> HTTPResponse? {
        lastResponse = nil
        guard !stopped else { return nil }
        try Task.checkCancellation()
        let response: HTTPResponse
        do {
            if let answeredAhead {
                response = try answeredAhead.get()
            } else {
                response = try await client.send(request)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let shown = redactedURL(request.url)
            let reason = redactedURL(String(describing: error))
            if firstIsFatal && !answered { throw ConnectorError.unreachable(account: account, url: shown, reason: reason) }
            problems.append("\(account): no response from \(shown) (\(reason)).")
            logger.warning("no response", metadata: ["account": "\(account)", "url": "\(shown)", "error": "\(reason)"])
            throw NoResponse(reason: reason)
        }
        answered = true
        lastResponse = response
        return response
    }

    /// `send` as most steps want it: nil when the harvest has stopped or no response came
    /// (noted); no answer to the harvest's first request is thrown as unreachable.
    mutating func response(to request: HTTPRequest) async throws -> HTTPResponse? {
        do {
            return try await send(request, firstIsFatal: true)
        } catch is NoResponse {
            return nil
        }
    }

    /// The body of `response` decoded, or nil with the response quarantined: with
    /// `problem` (the platform's reading of its status, content type or error body), or
    /// with the decoder's complaint naming the URL and what was `expected`.
    mutating func read<T>(_ response: HTTPResponse, problem: String?, expected: String, _ decode: (Data) throws -> T) -> T? {
        if let problem {
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
}
