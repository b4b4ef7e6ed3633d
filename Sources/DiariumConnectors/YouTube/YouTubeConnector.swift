import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one YouTube channel through the Data API v3 (feed-apis.md §6): the uploads
/// playlist (every page on the first poll, until a known video afterwards), the comment
/// threads of new videos and recent thread roots, and batched existence checks of
/// recent videos and comments, where only a single-id lookup that returns no item makes
/// a deletion.
///
/// The API key goes in the `X-Goog-Api-Key` header, never in the URL, so it cannot end
/// up in a capture, a quarantine record or a log line. Every list call costs one quota
/// unit; a `quotaExceeded` answer stops the harvest at once.
public struct YouTubeConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway back-fill; the next poll starts again from the top.
        public var pageLimit: Int
        /// `maxResults=` of playlist pages (the API allows 50).
        public var pageSize: Int

        public init(pageLimit: Int = 200, pageSize: Int = 50) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(50, max(1, pageSize))
        }
    }

    public let platform = Platform.youtube
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.youtube")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, channelID) = try account.apiRootAndHandle()
        var headers = [HTTPHeader("Accept", "application/json")]
        let key = try Credentials.token(for: account)
        if let key { headers.append(HTTPHeader("X-Goog-Api-Key", key)) }

        var run = YouTubeHarvestRun(
            client: client, options: options, logger: logger, account: account, base: base,
            channelID: channelID, headers: headers, hasCredentials: key != nil, checkpoint: checkpoint, known: known)
        // The uploads playlist id is kept, so later polls skip the channel lookup; another
        // channel in the configuration means another account, so the cursor starts over.
        if let uploads = checkpoint["uploads"], checkpoint["channelId"] == channelID {
            run.uploads = uploads
        } else {
            guard let uploads = try await run.resolveUploads() else { return run.result() }
            run.uploads = uploads
            run.checkpoint.values = ["channelId": channelID, "uploads": uploads]
        }
        try await run.harvestUploads()
        try await run.harvestComments()
        try await run.recheckKnownItems()
        return run.result()
    }
}
