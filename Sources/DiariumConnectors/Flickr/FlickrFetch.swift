import DiariumCore
import DiariumHTTP
import Foundation

/// Fetching for a Flickr harvest: method URLs with the API key, captures and sentences
/// with the key redacted, and Flickr's `stat: fail` answers (HTTP 200) told apart.
extension FlickrHarvestRun {
    /// `base?method=…&api_key=…&…&format=json&nojsoncallback=1`. Without a key none is
    /// sent, and Flickr's "Invalid API Key" answer is quarantined naming the missing key.
    func methodURL(_ method: String, _ parameters: [(String, String)]) -> String {
        var url = "\(base)?method=\(method)"
        if let apiKey { url += "&api_key=\(URLText.queryEscape(apiKey))" }
        for (name, value) in parameters { url += "&\(name)=\(URLText.queryEscape(value))" }
        return url + "&format=json&nojsoncallback=1"
    }

    /// The response as evidence, its URLs without the API key: the registry keeps
    /// captures forever and shows them to auditors. A redirect keeps the key in every
    /// hop's URL, and a server may echo it in a Location, so those are redacted too.
    func capture(_ response: HTTPResponse) -> Capture {
        var capture = response.capture
        capture.url = redactedURL(capture.url)
        capture.redirects = capture.redirects.map {
            RedirectHop(url: redactedURL($0.url), status: $0.status, location: redactedURL($0.location))
        }
        return capture
    }

    /// GET `url` and decode it, or nil when the harvest has stopped, the answer was
    /// quarantined, no answer came, or Flickr failed with `tolerateCode` (then
    /// `lastFailure` holds it). A transport failure before any response is thrown.
    mutating func fetch<T: FlickrEnvelope>(_ url: String, as type: T.Type, expected: String, tolerateCode: Int? = nil) async throws -> (HTTPResponse, T)? {
        lastFailure = nil
        lastResponse = nil
        guard !stopped else { return nil }
        try Task.checkCancellation()
        let shown = redactedURL(url)
        guard let response = try await HarvestRequest.send(HTTPRequest(url: url, headers: [HTTPHeader("Accept", "application/json")]), with: client, account: account.key,
                                                           firstRequest: !answered, problems: &problems, logger: logger) else { return nil }
        answered = true
        lastResponse = response
        if response.status == 429 {
            stopped = true
            let retry = response.header("Retry-After").map { "; retry after \($0)" } ?? ""
            quarantine(response, "\(shown) answered HTTP 429: rate limited\(retry); the harvest stopped early.")
            return nil
        }
        if response.status != 200 {
            quarantine(response, "\(shown) answered HTTP \(response.status).")
            return nil
        }
        if ResponseProblem.looksLikeHTML(response) {
            let type = response.header("Content-Type") ?? "no content type"
            quarantine(response, "\(shown) returned an HTML page (\(type)) where JSON was expected.")
            return nil
        }
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            quarantine(response, ResponseProblem.decoding(error, url: shown, expected: expected))
            return nil
        }
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
            quarantine(response, sentence)
            return nil
        }
        return (response, decoded)
    }

    mutating func quarantine(_ response: HTTPResponse, _ problem: String) {
        logger.warning("quarantined", metadata: ["account": "\(account.key)", "problem": "\(problem)"])
        quarantined.append(Quarantined(account: account.key, capture: capture(response), problem: problem))
    }
}
