import DiariumCore
import DiariumHTTP
import Foundation

/// One-sentence descriptions of what is wrong with a response, for quarantine records
/// and log lines. Each names the URL, because a records officer or sysadmin reading
/// the log must be able to find the payload again.
enum ResponseProblem {
    /// What the body is expected to be; decides which wrong content types are caught.
    enum Expected {
        case json
        case feed
    }

    /// A sentence describing why `response` cannot be read as `expected`, or nil when
    /// its status and content look right (the body may still fail to decode).
    static func check(_ response: HTTPResponse, expecting expected: Expected) -> String? {
        // Credentials sometimes ride in the query (Flickr's api_key): never in a sentence.
        let url = redactedURL(response.request.url)
        guard response.status == 200 else {
            var sentence = "\(url) answered HTTP \(response.status)"
            if let detail = errorDetail(response.body) { sentence += " (\(detail))" }
            if response.status == 429 {
                if let reset = response.header("X-RateLimit-Reset") ?? response.header("x-rate-limit-reset") ?? response.header("RateLimit-Reset") {
                    sentence += ", rate limited until \(readableReset(reset))"
                } else if let retry = response.header("Retry-After") {
                    sentence += ", rate limited; retry after \(retry)"
                }
            }
            return sentence + "."
        }
        if looksLikeHTML(response) {
            let type = response.header("Content-Type") ?? "no content type"
            let wanted = expected == .json ? "JSON" : "a feed"
            return "\(url) returned an HTML page (\(type)) where \(wanted) was expected."
        }
        return nil
    }

    /// The message platforms put in error bodies, shortened: Mastodon's
    /// `{"error": "…"}`, Graph's and Google's `{"error": {"message": "…"}}`, X's
    /// `{"detail": "…", "title": "…"}` and `{"errors": [{"message": "…"}]}`, Bluesky's
    /// `{"error": "…", "message": "…"}`, Flickr's `{"stat": "fail", "message": "…"}`.
    static func errorDetail(_ body: Data) -> String? {
        guard body.first == UInt8(ascii: "{"),
              let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        var text: String?
        if let error = object["error"] as? String {
            text = (object["message"] as? String).map { "\(error): \($0)" } ?? error
        } else if let error = object["error"] as? [String: Any] {
            text = error["message"] as? String
        } else if let detail = object["detail"] as? String {
            text = detail
        } else if let errors = object["errors"] as? [[String: Any]], let first = errors.first {
            text = (first["message"] as? String) ?? (first["detail"] as? String)
        } else if let message = object["message"] as? String {
            text = message
        }
        guard let text, !text.isEmpty else { return nil }
        return "“\(text.prefix(200))”"
    }

    /// A rate-limit reset as people read it: epoch seconds become an RFC 3339 time.
    static func readableReset(_ value: String) -> String {
        guard let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds > 1_000_000_000 else { return value }
        return Timestamp.format(Date(timeIntervalSince1970: seconds))
    }

    /// True when the body is an HTML document: a content type of `text/html`, or a body
    /// that starts (after a BOM and blanks) with `<!DOCTYPE html` or `<html`. Checked on
    /// the bytes because error pages often arrive with a JSON or XML content type.
    static func looksLikeHTML(_ response: HTTPResponse) -> Bool {
        if let type = response.header("Content-Type")?.lowercased(), type.contains("text/html") { return true }
        let head = FeedFormat.leadingText(response.body, limit: 64).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    /// A sentence for a body that failed to decode: names the URL, what was expected,
    /// and where the decoder stopped.
    static func decoding(_ error: any Error, url rawURL: String, expected: String) -> String {
        let url = redactedURL(rawURL)
        guard let error = error as? DecodingError else {
            return "\(url) returned \(expected) that could not be read: \(error)."
        }
        switch error {
        case let .typeMismatch(type, context):
            return "\(url) returned \(expected) with a wrong type at \(path(context)): expected \(typeName(type))."
        case let .valueNotFound(type, context):
            return "\(url) returned \(expected) with a null at \(path(context)) where \(typeName(type)) was required."
        case let .keyNotFound(key, context):
            return "\(url) returned \(expected) without the required field '\(key.stringValue)' at \(path(context))."
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                return "\(url) returned malformed JSON where \(expected) was expected."
            }
            return "\(url) returned \(expected) with an unreadable value at \(path(context))."
        @unknown default:
            return "\(url) returned \(expected) that could not be read."
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        guard !context.codingPath.isEmpty else { return "the top level" }
        return context.codingPath.map { key in
            key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
        }.joined().trimmingPrefixDot
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "a string"
        case "Int", "Int64", "Double": return "a number"
        case "Bool": return "true or false"
        default:
            if name.hasPrefix("Array") { return "an array" }
            // Every other Decodable of ours is a JSON object on the wire.
            return "an object"
        }
    }
}

extension String {
    fileprivate var trimmingPrefixDot: String { hasPrefix(".") ? String(dropFirst()) : self }
}
