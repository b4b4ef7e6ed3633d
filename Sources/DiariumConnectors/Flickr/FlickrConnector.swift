import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// Archives one Flickr account through the REST API: the public photos
/// (`flickr.people.getPublicPhotos`, every page on the first poll, from the top until a
/// known photo afterwards), the comments of new photos and of recent thread roots
/// (`flickr.photos.comments.getList`), and `flickr.photos.getInfo` for known photos
/// not seen on this poll's pages, which catches edits and is the only evidence of a
/// deletion ("Photo not found").
///
/// Flickr takes the API key only as a query parameter, so every URL this connector
/// shows (captures, quarantine sentences, logs) has the key redacted.
public struct FlickrConnector: Connector {
    public struct Options: Sendable {
        /// Stops a runaway back-fill; the next poll starts again from the top.
        public var pageLimit: Int
        /// `per_page=`; Flickr allows up to 500.
        public var pageSize: Int

        public init(pageLimit: Int = 200, pageSize: Int = 100) {
            self.pageLimit = max(1, pageLimit)
            self.pageSize = min(500, max(1, pageSize))
        }
    }

    static let photoExtras = "date_upload,last_update,description,url_o,media,owner_name,tags"

    public let platform = Platform.flickr
    let client: any HTTPClient
    let options: Options
    let logger: Logger

    public init(client: any HTTPClient, options: Options = Options(), logger: Logger = Logger(label: "diarium.connectors.flickr")) {
        self.client = client
        self.options = options
        self.logger = logger
    }

    public func harvest(account: AccountConfig, checkpoint: Checkpoint, known: KnownItems) async throws -> Harvest {
        let (base, nsid) = try account.apiRootAndHandle()
        let key = try Credentials.token(for: account)
        var run = FlickrHarvestRun(
            client: client, options: options, logger: logger, account: account, base: base,
            nsid: nsid, apiKey: key, checkpoint: checkpoint, known: known)
        try await run.harvestPhotos()
        try await run.recheckKnownPhotos()
        try await run.harvestComments()
        return run.result()
    }
}
