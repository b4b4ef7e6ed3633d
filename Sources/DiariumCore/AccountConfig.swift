/// One archived account, as the `[[account]]` table of the configuration names it.
/// Connectors read only this; they never see the rest of the configuration.
public struct AccountConfig: Sendable, Hashable {
    /// Stable name used everywhere else (registry, logs, `ACCOUNT:ID` references).
    public var key: String
    public var platform: Platform
    /// API root for API platforms (e.g. `https://mastodon.example`).
    public var baseURL: String?
    /// The account's handle on the platform.
    public var handle: String?
    /// The feed URL for `platform = "feed"`.
    public var url: String?
    /// Path of a file holding the access token; never the token itself.
    public var credentials: String?

    public init(key: String, platform: Platform, baseURL: String? = nil, handle: String? = nil, url: String? = nil, credentials: String? = nil) {
        self.key = key
        self.platform = platform
        self.baseURL = baseURL
        self.handle = handle
        self.url = url
        self.credentials = credentials
    }
}
