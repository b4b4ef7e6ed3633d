import Foundation
import Synchronization

/// The last line of defence that keeps credentials out of the journal. Connectors and
/// the HTTP client already avoid logging tokens; this scrubs every rendered log line
/// anyway, because one careless interpolation (an error description quoting a URL or a
/// response body) must not put a token into logs that are kept for years and shipped
/// elsewhere. It knows the secret values themselves (read from the credentials files
/// the configuration names) and the shapes secrets take in HTTP (`Bearer …`,
/// `access_token=…`, `Cookie:` …).
public final class SecretRedactor: Sendable {
    private let secrets = Mutex<[String]>([])

    public init() {}

    /// Replaces the known secret values (e.g. after a reload). Values shorter than
    /// six characters are ignored: redacting "abc" everywhere would garble logs and a
    /// token that short is not worth protecting this way.
    public func setSecrets<S: Sequence>(_ values: S) where S.Element == String {
        let cleaned = Set(values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { $0.count >= 6 })
        // Longest first, so a secret that contains another is replaced whole.
        secrets.withLock { $0 = cleaned.sorted { $0.count > $1.count } }
    }

    /// Reads every credentials file and remembers its contents (whole file, and each
    /// line and `key=value` value in it, since some files hold several).
    public func loadSecrets(fromFiles paths: [String]) {
        var values: [String] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
            values.append(text)
            for line in text.split(whereSeparator: \.isNewline) {
                values.append(String(line))
                if let eq = line.firstIndex(of: "=") { values.append(String(line[line.index(after: eq)...])) }
                if let colon = line.firstIndex(of: ":") { values.append(String(line[line.index(after: colon)...])) }
            }
        }
        setSecrets(values)
    }

    /// The line with every known secret and every secret-shaped value replaced by `REDACTED`.
    public func redact(_ line: String) -> String {
        var result = line
        for secret in secrets.withLock({ $0 }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "REDACTED")
        }
        return Self.redactPatterns(result)
    }

    private static let patterns: [NSRegularExpression] = [
        #"(?i)\b(bearer|basic|oauth)\s+[A-Za-z0-9._~+/=\-]{6,}"#,
        #"(?i)\b((?:access_|refresh_|id_)?token|api_?key|key|client_secret|secret|password|passwd|sig|signature|auth)=[^&\s"']+"#,
        #"(?i)\b((?:set-)?cookie|authorization|x-api-key)\s*[:=]\s*[^\n"]+"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    static func redactPatterns(_ text: String) -> String {
        guard text.contains("=") || text.contains(":") || text.lowercased().contains("bearer") else { return text }
        var result = text
        for (index, pattern) in patterns.enumerated() {
            let range = NSRange(result.startIndex..., in: result)
            let template = index == 0 ? "$1 REDACTED" : (index == 1 ? "$1=REDACTED" : "$1: REDACTED")
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }
}
