import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The one rule every harvest follows when a request gets no answer at all: a
/// shutdown ends the harvest; no answer to the very first request means nothing could
/// be harvested (thrown, so the archiver records the account as failed); a later one is
/// noted as a problem and logged, and the harvest goes on with what it has. The URL
/// and the reason are shown redacted: some platforms put keys in the query.
enum HarvestRequest {
    static func send(_ request: HTTPRequest, with client: any HTTPClient, account: String, firstRequest: Bool,
                     problems: inout [String], logger: Logger) async throws -> HTTPResponse? {
        let shown = redactedURL(request.url)
        do {
            return try await client.send(request)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = redactedURL(String(describing: error))
            if firstRequest { throw ConnectorError.unreachable(account: account, url: shown, reason: reason) }
            problems.append("\(account): no response from \(shown) (\(reason)).")
            logger.warning("no response", metadata: ["account": "\(account)", "url": "\(shown)", "error": "\(reason)"])
            return nil
        }
    }
}
