import DiariumCore
import DiariumHTTP
import Foundation

/// Fetching for a YouTube harvest: one GET, Google error bodies told apart (quota
/// stops the harvest; a caller may tolerate others, such as `commentsDisabled`), and
/// everything unreadable quarantined with one sentence naming the URL and the problem.
extension YouTubeHarvestRun {
    /// GET `url` and decode it as `T`, or nil when the harvest has stopped, the answer
    /// was quarantined, no answer came, or the error was tolerated (then `lastError`
    /// holds it). A transport failure before any response arrived is thrown.
    mutating func fetch<T: Decodable>(_ url: String, as type: T.Type, expected: String,
                                      tolerate: (YouTubeError) -> Bool = { _ in false }) async throws -> (HTTPResponse, T)? {
        lastError = nil
        guard let response = try await ledger.response(to: HTTPRequest(url: url, headers: headers)) else { return nil }
        let shown = redactedURL(url)

        if response.status != 200, let error = YouTubeError.parse(response.body) {
            lastError = error
            if error.isQuota {
                ledger.stop(quarantining: response, "\(shown) answered HTTP \(response.status) (\(error.summary)): quota exceeded; the harvest stopped early.")
                return nil
            }
            if tolerate(error) { return nil }
            ledger.quarantine(response, "\(shown) answered HTTP \(response.status) (\(error.summary)).\(credentialsNote(response))")
            return nil
        }
        if ledger.stopIfRateLimited(response) { return nil }
        let problem = response.status != 200
            ? "\(shown) answered HTTP \(response.status).\(credentialsNote(response))"
            : ResponseProblem.check(response, expecting: .json)?.replacingOccurrences(of: url, with: shown)
        return ledger.read(response, problem: problem, expected: expected) { try JSONDecoder().decode(T.self, from: $0) }
            .map { (response, $0) }
    }

    private func credentialsNote(_ response: HTTPResponse) -> String {
        guard !hasCredentials, response.status == 400 || response.status == 401 || response.status == 403 else { return "" }
        return " No API key was sent: the account '\(account.key)' has no credentials key in the configuration."
    }
}
