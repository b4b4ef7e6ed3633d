import DiariumCore
import DiariumHTTP
import Foundation

/// Fetching for a Facebook harvest: one GET, the usage headers read, Graph error
/// bodies told apart (throttling stops the harvest; a caller may tolerate others, such
/// as 100/33 on a direct lookup), and everything unreadable quarantined with one
/// sentence naming the URL (redacted) and the problem.
extension FacebookHarvestRun {
    /// GET `url` and decode it as `T`, or nil when the harvest has stopped, the answer
    /// was quarantined, no answer came, or Graph answered an error `tolerate` accepts
    /// (then `lastGraphError` holds it). A transport failure before any response
    /// arrived is thrown: then nothing at all could be harvested.
    mutating func fetch<T: Decodable>(_ url: String, as type: T.Type, expected: String,
                                      tolerate: (FacebookGraphError) -> Bool = { _ in false }) async throws -> (HTTPResponse, T)? {
        lastGraphError = nil
        guard let response = try await ledger.response(to: HTTPRequest(url: url, headers: headers)) else { return nil }
        let shown = redactedURL(url)
        noteUsage(response)

        // Graph errors usually come with 400/403/500; a 200 is decoded first, so a good
        // page is parsed once, and its body is checked for an error only if that fails.
        if response.status != 200, let error = FacebookGraphError.parse(response.body) {
            return handle(error, response, shown: shown, tolerate: tolerate)
        }
        if ledger.stopIfRateLimited(response) { return nil }
        if response.status != 200 {
            ledger.quarantine(response, "\(shown) answered HTTP \(response.status).\(credentialsNote(response, nil))")
            return nil
        }
        if let problem = ResponseProblem.check(response, expecting: .json) {
            ledger.quarantine(response, problem.replacingOccurrences(of: url, with: shown))
            return nil
        }
        do {
            return (response, try JSONDecoder().decode(T.self, from: response.body))
        } catch {
            if let graphError = FacebookGraphError.parse(response.body) {
                return handle(graphError, response, shown: shown, tolerate: tolerate)
            }
            ledger.quarantine(response, ResponseProblem.decoding(error, url: shown, expected: expected))
            return nil
        }
    }

    /// A Graph error body: throttling quarantines and stops the harvest; an error the
    /// caller tolerates is left in `lastGraphError`; anything else is quarantined.
    private mutating func handle<T>(_ error: FacebookGraphError, _ response: HTTPResponse, shown: String,
                                    tolerate: (FacebookGraphError) -> Bool) -> (HTTPResponse, T)? {
        lastGraphError = error
        if error.isThrottling {
            ledger.stop(quarantining: response, "\(shown) answered HTTP \(response.status) (\(error.summary)): rate limited by Facebook; the harvest stopped early.")
            return nil
        }
        if tolerate(error) { return nil }
        ledger.quarantine(response, "\(shown) answered HTTP \(response.status) (\(error.summary)).\(credentialsNote(response, error))")
        return nil
    }

    /// When no token was configured, an authentication error says so, naming the key
    /// to set: the usual cause on a fresh installation.
    private func credentialsNote(_ response: HTTPResponse, _ error: FacebookGraphError?) -> String {
        guard !hasCredentials else { return "" }
        let auth = response.status == 401 || response.status == 403 || error?.isAuthentication == true
        return auth ? " No access token was sent: the account '\(account.key)' has no credentials key in the configuration." : ""
    }

    /// Reads the usage headers; at 95 % or more of any budget the harvest stops, so the
    /// app is never blocked (a Graph block hits every account the app serves).
    private mutating func noteUsage(_ response: HTTPResponse) {
        guard !ledger.stopped, let usage = FacebookUsage.parse(response.headers), usage.mustStop else { return }
        ledger.stopped = true
        let resume = Timestamp.format(usage.resumeDate(after: response.receivedAt))
        let sentence = "\(account.key): Graph API usage reached \(usage.percent) % (\(usage.source)); the harvest stopped early, come back after \(resume)."
        ledger.problems.append(sentence)
        ledger.logger.warning("graph usage limit", metadata: ["account": "\(account.key)", "problem": "\(sentence)"])
    }
}
