import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one Facebook Page through the Graph API (feed-apis.md §4): the Page feed
/// (cursor paging on the first poll, `since=` from the newest post afterwards), the
/// comments under new posts and recent thread roots (`filter=stream`, so replies to
/// comments come too), the Page's conversations where the token allows, and direct
/// lookups of recent items, which are the only evidence of a deletion.
///
/// The Page access token is sent in an `Authorization` header, never in the URL, so
/// it cannot end up in a capture, a quarantine record or a log line.
public struct FacebookConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway back-fill; the next poll starts again from the top.
        public var pageLimit: Int
        /// `limit=` per page; Graph allows up to 100.
        public var pageSize: Int
        /// Ids per batched existence check (`/?ids=…&fields=id`); Graph allows 50.
        public var lookupBatchSize: Int

        public init(pageLimit: Int = 200, pageSize: Int = 100, lookupBatchSize: Int = 50) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(100, max(1, pageSize))
            self.lookupBatchSize = min(50, max(1, lookupBatchSize))
        }
    }

    /// Fields asked of each attachment (StoryAttachment), `{` and `}` escaped.
    static let attachmentFields = "media_type,type,url,unshimmed_url,title,description,media%7Bimage%7Bsrc%7D,source%7D,target%7Bid,url%7D"
    /// Fields asked of each feed post.
    static let postFields = "id,message,story,created_time,updated_time,from%7Bid,name%7D,permalink_url"
        + ",attachments%7B\(attachmentFields),subattachments%7B\(attachmentFields)%7D%7D,status_type,parent_id"
    /// Fields asked of each comment.
    static let commentFields = "id,message,created_time,from%7Bid,name%7D,parent%7Bid%7D,comment_count,permalink_url,attachment%7B\(attachmentFields)%7D"
    /// Fields asked of each conversation.
    static let conversationFields = "messages%7Bid,message,created_time,from%7D"

    public let platform = Platform.facebook
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.facebook")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, pageID) = try account.apiRootAndHandle()
        var headers = [HTTPHeader("Accept", "application/json")]
        let token = try Credentials.token(for: account)
        if let token { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }

        var run = FacebookHarvestRun(
            client: client, options: options, logger: logger, account: account, base: base,
            pageID: pageID, headers: headers, hasCredentials: token != nil, checkpoint: checkpoint, known: known)
        try await run.harvestFeed()
        try await run.harvestComments()
        try await run.harvestConversations()
        try await run.recheckKnownItems()
        return run.result()
    }
}
