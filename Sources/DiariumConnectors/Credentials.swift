import DiariumCore
import Foundation

/// Access tokens, read from the file the account's `credentials` key names (under
/// systemd: `/run/credentials/diarium.service/NAME`). A token is never logged, never
/// part of an error message, and never taken from the command line.
public enum Credentials {
    /// The token in `path`, trimmed; one line only.
    public static func token(path: String, account: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConnectorError.unreadableCredentials(account: account, path: path)
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw ConnectorError.unreadableCredentials(account: account, path: path)
        }
        return token
    }

    /// The account's token, or nil when it names no credentials file.
    public static func token(for account: AccountConfig) throws -> String? {
        guard let path = account.credentials, !path.isEmpty else { return nil }
        return try token(path: path, account: account.key)
    }
}

/// Percent-escaping for ids and values put into request URLs.
public enum URLText {
    public static func queryEscape(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?/:,[]")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    public static func pathEscape(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

extension AccountConfig {
    /// The API root (without a trailing slash) and the handle (without a leading @) every
    /// API connector needs, or a `ConnectorError` naming the missing key.
    func apiRootAndHandle() throws -> (base: String, handle: String) {
        guard let rawBase = baseURL, !rawBase.isEmpty else {
            throw ConnectorError.misconfigured(account: key, missing: "base_url")
        }
        guard let rawHandle = handle, !rawHandle.isEmpty else {
            throw ConnectorError.misconfigured(account: key, missing: "handle")
        }
        let base = rawBase.hasSuffix("/") ? String(rawBase.dropLast()) : rawBase
        return (base, rawHandle.hasPrefix("@") ? String(rawHandle.dropFirst()) : rawHandle)
    }
}
