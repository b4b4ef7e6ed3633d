import DiariumCore
import DiariumHTTP
import DiariumStore
import Foundation
import Logging

/// Which attached media are downloaded. Downloads run after an account's commit, a few
/// per cycle, so a slow or failing file never holds up the capture of items; a failed
/// one is retried in a later cycle with a growing pause.
public struct MediaPolicy: Sendable {
    public var enabled: Bool
    /// Files per account per cycle.
    public var perCycle: Int

    /// Where a media URL may lead is not decided here but by the client's address policy
    /// (`AddressPolicy`, `[poll] allow_addresses`), on the address actually connected to,
    /// for the URL and every redirect alike.
    public init(enabled: Bool = true, perCycle: Int = 20) {
        self.enabled = enabled
        self.perCycle = perCycle
    }

    func allows(_ url: String) -> Bool {
        url.hasPrefix("http://") || url.hasPrefix("https://")
    }
}

extension Archiver {
    /// Downloads the account's pending media; returns how many were stored. Never throws:
    /// every failure is recorded on the media row and logged.
    func downloadMedia(of account: AccountConfig, logger log: Logger) async -> Int {
        guard media.enabled, let pending = try? registry.pendingMedia(account: account.key, limit: media.perCycle) else { return 0 }
        var stored = 0
        for file in pending {
            if Task.isCancelled { break }
            guard media.allows(file.url) else {
                try? registry.recordMediaFailure(id: file.id, error: "not fetched: only http and https URLs are downloaded", retryAt: .distantFuture)
                continue
            }
            let retryAt = Date().addingTimeInterval(min(86_400, 300 * pow(2, Double(file.attempts))))
            do {
                let response = try await client.send(HTTPRequest(url: file.url))
                guard response.status == 200 else {
                    try? registry.recordMediaFailure(id: file.id, error: "HTTP \(response.status)", retryAt: retryAt)
                    log.warning("media download failed", metadata: ["url": "\(file.url)", "status": "\(response.status)"])
                    continue
                }
                try registry.storeMedia(id: file.id, download: response.capture)
                stored += 1
            } catch let error as HTTPError where error.code == .addressRefused {
                // Not retried: an internal address stays internal. Changing allow_addresses
                // does not revive it either; the refusal is on the media row for review.
                try? registry.recordMediaFailure(id: file.id, error: error.description, retryAt: .distantFuture)
                log.warning("media not fetched: \(error.description)", metadata: ["url": "\(redactedURL(file.url))"])
            } catch {
                let message = (error as? any UserFacingError)?.message ?? "\(error)"
                try? registry.recordMediaFailure(id: file.id, error: message, retryAt: retryAt)
                log.warning("media download failed: \(message)", metadata: ["url": "\(file.url)"])
            }
        }
        return stored
    }
}
