import DiariumCore

/// Why a connector could harvest nothing at all for an account. Everything short of
/// that (a bad page, a failed thread fetch) is quarantined instead, so one broken
/// response never costs the rest of the harvest. Messages name the account and the
/// URL or handle at fault, and never contain a credential.
public enum ConnectorError: UserFacingError, Equatable {
    /// The account lacks a setting this platform needs (`base_url`, `handle`, `url`).
    case misconfigured(account: String, missing: String)
    /// The credentials file could not be read (the token itself is never shown).
    case unreadableCredentials(account: String, path: String)
    /// The platform says the handle does not exist.
    case accountNotFound(account: String, handle: String, url: String)
    /// The handle lookup answered something other than an account.
    case lookupFailed(account: String, handle: String, problem: String)
    /// No response arrived at all (DNS, connect, TLS, timeout) for the first request.
    case unreachable(account: String, url: String, reason: String)

    public var message: String {
        switch self {
        case let .misconfigured(account, missing):
            return "Account '\(account)' has no \(missing) in the configuration."
        case let .unreadableCredentials(account, path):
            return "Account '\(account)': the credentials file \(path) could not be read."
        case let .accountNotFound(account, handle, url):
            return "Account '\(account)': the handle '\(handle)' was not found at \(url)."
        case let .lookupFailed(account, handle, problem):
            return "Account '\(account)': looking up the handle '\(handle)' failed: \(problem)"
        case let .unreachable(account, url, reason):
            return "Account '\(account)': no response from \(url) (\(reason))."
        }
    }
}
