import DiariumCore
import DiariumHTTP
import Foundation

/// Fetching for a Flickr harvest: method URLs with the API key, sentences with the key
/// redacted (the ledger keeps the captures without it), and Flickr's `stat: fail`
/// answers (HTTP 200) told apart.
extension FlickrHarvestRun {
    /// `base?method=…&api_key=…&…&format=json&nojsoncallback=1`. Without a key none is
    /// sent, and Flickr's "Invalid API Key" answer is quarantined naming the missing key.
    func methodURL(_ method: String, _ parameters: [(String, String)]) -> String {
        var url = "\(base)?method=\(method)"
        if let apiKey { url += "&api_key=\(URLText.queryEscape(apiKey))" }
        for (name, value) in parameters { url += "&\(name)=\(URLText.queryEscape(value))" }
        return url + "&format=json&nojsoncallback=1"
    }

    /// GET `url` and decode it, or nil when the harvest has stopped, the answer was
    /// quarantined, no answer came, or Flickr failed with `tolerateCode` (then
    /// `lastFailure` holds it). A transport failure before any response is thrown.
    mutating func fetch<T: FlickrEnvelope>(_ url: String, as type: T.Type, expected: String, tolerateCode: Int? = nil) async throws -> (HTTPResponse, T)? {
        lastFailure = nil
        guard let response = try await ledger.response(to: HTTPRequest(url: url, headers: [HTTPHeader("Accept", "application/json")])) else { return nil }
        let shown = redactedURL(url)
        if ledger.stopIfRateLimited(response) { return nil }
        // On a 200, `check` finds only an HTML page: Flickr's errors are `stat: fail` bodies.
        let problem = response.status != 200 ? "\(shown) answered HTTP \(response.status)." : ResponseProblem.check(response, expecting: .json)
        guard let decoded = ledger.read(response, problem: problem, expected: expected, { try JSONDecoder().decode(T.self, from: $0) }) else { return nil }
        guard decoded.stat == "ok" else {
            lastFailure = (decoded.code, decoded.message)
            if let tolerateCode, decoded.code == tolerateCode { return nil }
            var sentence = "\(shown) answered stat fail, code \(decoded.code.map(String.init) ?? "?")"
            if let message = decoded.message, !message.isEmpty { sentence += " (“\(message.prefix(200))”)" }
            sentence += "."
            // 100 invalid key, 95–99 signature and login: the usual cause is a missing key.
            if apiKey == nil, let code = decoded.code, (95...100).contains(code) {
                sentence += " No API key was sent: the account '\(account.key)' has no credentials key in the configuration."
            }
            ledger.quarantine(response, sentence)
            return nil
        }
        return (response, decoded)
    }
}
