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
        lastResponse = nil
        guard !stopped else { return nil }
        try Task.checkCancellation()
        let shown = redactedURL(url)
        guard let response = try await HarvestRequest.send(HTTPRequest(url: url, headers: headers), with: client, account: account.key,
                                                           firstRequest: !answered, problems: &problems, logger: logger) else { return nil }
        answered = true
        lastResponse = response

        if response.status != 200, let error = YouTubeError.parse(response.body) {
            lastError = error
            if error.isQuota {
                stopped = true
                quarantine(response, "\(shown) answered HTTP \(response.status) (\(error.summary)): quota exceeded; the harvest stopped early.")
                return nil
            }
            if tolerate(error) { return nil }
            quarantine(response, "\(shown) answered HTTP \(response.status) (\(error.summary)).\(credentialsNote(response))")
            return nil
        }
        if response.status == 429 {
            stopped = true
            let retry = response.header("Retry-After").map { "; retry after \($0)" } ?? ""
            quarantine(response, "\(shown) answered HTTP 429: rate limited\(retry); the harvest stopped early.")
            return nil
        }
        if response.status != 200 {
            quarantine(response, "\(shown) answered HTTP \(response.status).\(credentialsNote(response))")
            return nil
        }
        if let problem = ResponseProblem.check(response, expecting: .json) {
            quarantine(response, problem.replacingOccurrences(of: url, with: shown))
            return nil
        }
        do {
            return (response, try JSONDecoder().decode(T.self, from: response.body))
        } catch {
            quarantine(response, ResponseProblem.decoding(error, url: shown, expected: expected))
            return nil
        }
    }

    private func credentialsNote(_ response: HTTPResponse) -> String {
        guard !hasCredentials, response.status == 400 || response.status == 401 || response.status == 403 else { return "" }
        return " No API key was sent: the account '\(account.key)' has no credentials key in the configuration."
    }

    mutating func quarantine(_ response: HTTPResponse, _ problem: String) {
        logger.warning("quarantined", metadata: ["account": "\(account.key)", "problem": "\(problem)"])
        quarantined.append(Quarantined(account: account.key, capture: response.capture, problem: problem))
    }
}
