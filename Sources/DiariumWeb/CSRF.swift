import DiariumCore
import Foundation
import Hummingbird

/// Cross-site request forgery protection. Every form carries a hidden token that a
/// forged cross-site form cannot know: after login it is the session's own token; the
/// login form itself (no session yet) uses a double-submit token, the same value in a
/// short-lived cookie and in the form. That value must also be one this server issued:
/// a random nonce followed by its HMAC-SHA256 under a secret made when the server starts,
/// so an attacker who can plant a cookie still cannot choose a pair that passes.
/// SameSite=Strict cookies are a second wall.
enum CSRF {
    static let field = "csrf"
    static let loginCookie = "diarium_login"

    /// A fresh login token: 16 random bytes and the first 16 bytes of their HMAC, as 64
    /// hex digits (the same shape as the session's token).
    static func loginToken(secret: [UInt8]) -> String {
        let nonce = SecureRandom.bytes(16)
        return SHA256.hex(nonce) + SHA256.hex(loginMAC(nonce, secret: secret))
    }

    /// Whether the login form's token equals its cookie and was issued by this server.
    static func isValidLogin(submitted: String?, cookie: String?, secret: [UInt8]) -> Bool {
        guard isValid(submitted: submitted, expected: cookie), let submitted, submitted.utf8.count == 64,
              let bytes = Hex.decode(submitted) else { return false }
        return PasswordHash.constantTimeEqual(Array(bytes[16...]), loginMAC(Array(bytes[..<16]), secret: secret))
    }

    static func loginMAC(_ nonce: [UInt8], secret: [UInt8]) -> [UInt8] {
        Array(PasswordHash.hmacSHA256(key: secret, message: Array("diarium-login-csrf:".utf8) + nonce).prefix(16))
    }

    /// Whether the submitted token matches the expected one, compared in constant time.
    static func isValid(submitted: String?, expected: String?) -> Bool {
        guard let submitted, let expected, !expected.isEmpty else { return false }
        return PasswordHash.constantTimeEqual(submitted, expected)
    }

    /// The hidden input every form includes.
    static func hiddenField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"\(field)\" value=\"\(HTML.escape(token))\">"
    }
}

/// An `application/x-www-form-urlencoded` body, as plain forms send it.
struct FormData: Sendable {
    var values: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The field, trimmed, or nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static func decode(_ part: Substring) -> String {
        let plus = part.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    /// Reads a form body of at most 64 KiB (an officer's reason is a sentence, not a file).
    static func read(_ request: Request) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormData(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }
}
