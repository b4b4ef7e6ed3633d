import DiariumCore
import Foundation
import TOMLKit

/// The whole configuration file (`config/diarium.toml` is the commented example).
/// Loading validates every key once, at start, so a mistake stops the program with a
/// sentence naming the file and key instead of surfacing mid-cycle.
public struct DiariumConfiguration: Sendable {
    public var file: String?
    public var registryPath: String
    public var agencyName: String
    /// `no` or `se`: which rulebook decides.
    public var profile: String
    /// Optional folder of local rule files that extend or override the profile.
    public var rules: String?
    /// The agency's time zone: decides which day's journal an item belongs to.
    public var timeZone: TimeZone
    /// `[agency] language`: `nb`, `nn`, `sv` or `en`; nil means the profile's own (nb for
    /// `no`, sv for `se`). Access-request answers are written in it.
    public var language: String?
    /// `[poll] interval`, within `ConfigurationLimits.pollInterval` (1s to 30d).
    public var pollIntervalSeconds: Int
    /// `[poll] rescan`, within `ConfigurationLimits.rescan` (0s to 3650d).
    public var rescanSeconds: Int
    /// `[poll] ca_file`: PEM bundle HTTPS servers are verified against instead of the
    /// system store (a platform behind the agency's own CA, a local test server).
    public var caFile: String?
    /// `[poll] allow_addresses`: internal addresses (loopback, private, link-local,
    /// unique-local) that URLs taken from platform responses (media, redirects, paging
    /// links) may reach. Without an entry, only a configured account's own API or feed
    /// origin may be internal; everything else is refused after DNS, so a hostile post
    /// cannot make the archiver fetch the agency's internal services.
    public var allowAddresses: [AddressBlock] = []
    /// `[poll] request_timeout`: the budget of one attempt of one request, in seconds.
    public var requestTimeoutSeconds = 60
    /// `[poll] connect_timeout`: how long one attempt may take to connect, in seconds.
    public var connectTimeoutSeconds = 10
    /// `[poll] attempts`: tries per request before it counts as failed. A dead host costs
    /// an account up to attempts × request_timeout (plus back-off) per cycle.
    public var requestAttempts = 4
    /// `[log]`: defaults for `run`'s `--log-level` and `--log-format`.
    public var log = LogSettings()
    public var accounts: [AccountConfig]
    /// `[metrics]`, `[status]` and `[schedule]`: see `DaemonSettings`.
    public var daemon = DaemonSettings()
    /// The records officer's web page; nil when the file has no `[web]` table (then
    /// `run` starts no web server, and `serve` uses `WebSettings()`).
    public var web: WebSettings?
    /// `[integrity] witness`: an append-only file, outside the registry's folder, that
    /// receives every new chain head and that `verify` checks the chain against.
    public var witnessPath: String?
    /// `[integrity] tsa_url`: an RFC 3161 time-stamping authority the daemon sends the
    /// chain's head to once a day.
    public var tsaURL: String?

    public static let defaultRegistryPath = "/var/lib/diarium/registry.sqlite"

    public init(file: String? = nil, registryPath: String = defaultRegistryPath, agencyName: String = "Etaten", profile: String = "no",
                rules: String? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!, pollIntervalSeconds: Int = 900,
                rescanSeconds: Int = 14 * 86400, accounts: [AccountConfig] = []) {
        self.file = file
        self.registryPath = registryPath
        self.agencyName = agencyName
        self.profile = profile
        self.rules = rules
        self.timeZone = timeZone
        self.pollIntervalSeconds = pollIntervalSeconds
        self.rescanSeconds = rescanSeconds
        self.accounts = accounts
    }

    /// Reads and validates the file at `path`.
    public static func load(from path: String) throws -> DiariumConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("The configuration file \(path) cannot be read (missing or not permitted).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("The configuration file \(path) is not UTF-8 text.")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> DiariumConfiguration {
        try TableHeaderGuard.check(text, file: file)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(file) line \(error.source.begin.line): \(error.description).")
        } catch {
            throw ConfigurationError("\(file) is not valid TOML: \(error).")
        }
        let reader = TableReader(table: root, path: "", file: file)
        try reader.allowOnly(["registry", "agency", "poll", "account", "web", "metrics", "log", "status", "schedule", "integrity"])
        var config = DiariumConfiguration(file: file)

        if let registry = try reader.table("registry") {
            try registry.allowOnly(["path"])
            config.registryPath = try registry.string("path") ?? config.registryPath
        }
        if let agency = try reader.table("agency") {
            try agency.allowOnly(["name", "profile", "rules", "timezone", "language"])
            if let language = try agency.string("language") {
                guard Language(rawValue: language) != nil else {
                    throw ConfigurationError("\(file): [agency] language must be \"nb\", \"nn\", \"sv\" or \"en\", not \"\(language)\".")
                }
                config.language = language
            }
            config.agencyName = try agency.string("name") ?? config.agencyName
            if let profile = try agency.string("profile") {
                guard ["no", "se"].contains(profile) else {
                    throw ConfigurationError("\(file): [agency] profile must be \"no\" or \"se\", not \"\(profile)\".")
                }
                config.profile = profile
            }
            config.rules = try agency.string("rules")
            if let zone = try agency.string("timezone") {
                guard let tz = TimeZone(identifier: zone) else {
                    throw ConfigurationError("\(file): [agency] timezone \"\(zone)\" is not a known time zone (e.g. \"Europe/Oslo\").")
                }
                config.timeZone = tz
            }
        }
        if let poll = try reader.table("poll") {
            try poll.allowOnly(["interval", "rescan", "ca_file", "allow_addresses", "request_timeout", "connect_timeout", "attempts"])
            if let caFile = try poll.string("ca_file") {
                guard FileManager.default.isReadableFile(atPath: caFile) else {
                    throw ConfigurationError("\(file): [poll] ca_file \"\(caFile)\" cannot be read; give the path of a PEM certificate bundle.")
                }
                config.caFile = caFile
            }
            config.pollIntervalSeconds = try poll.duration("interval", in: ConfigurationLimits.pollInterval) ?? config.pollIntervalSeconds
            config.rescanSeconds = try poll.duration("rescan", in: ConfigurationLimits.rescan) ?? config.rescanSeconds
            config.requestTimeoutSeconds = try poll.duration("request_timeout", in: ConfigurationLimits.requestTimeout) ?? config.requestTimeoutSeconds
            config.connectTimeoutSeconds = try poll.duration("connect_timeout", in: ConfigurationLimits.connectTimeout) ?? config.connectTimeoutSeconds
            config.requestAttempts = try poll.integer("attempts", in: ConfigurationLimits.requestAttempts) ?? config.requestAttempts
            config.allowAddresses = try parseAllowAddresses(poll, file: file)
        }
        if let log = try reader.table("log") {
            config.log = try LogSettings.parse(log, file: file)
        }
        if let integrity = try reader.table("integrity") {
            try integrity.allowOnly(["witness", "tsa_url"])
            if let url = try integrity.string("tsa_url") {
                guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                    throw ConfigurationError("\(file): [integrity] tsa_url must be an http(s) URL of an RFC 3161 time-stamping authority, not \"\(url)\".")
                }
                config.tsaURL = url
            }
            if let witness = try integrity.string("witness") {
                guard witness.hasPrefix("/") else {
                    throw ConfigurationError("\(file): [integrity] witness must be an absolute path, not \"\(witness)\".")
                }
                let registryFolder = URL(fileURLWithPath: config.registryPath).deletingLastPathComponent().standardizedFileURL.path
                let witnessFolder = URL(fileURLWithPath: witness).deletingLastPathComponent().standardizedFileURL.path
                guard witnessFolder != registryFolder else {
                    throw ConfigurationError("\(file): [integrity] witness must live outside the registry's folder \(registryFolder): a copy or rollback of that folder would take the witness with it.")
                }
                config.witnessPath = witness
            }
        }
        if let web = try reader.table("web") {
            config.web = try WebSettings.parse(web, file: file)
        }
        var seen = Set<String>()
        for (index, account) in try reader.tables("account").enumerated() {
            let parsed = try parseAccount(account, index: index, file: file)
            guard seen.insert(parsed.key).inserted else {
                throw ConfigurationError("\(file): account key \"\(parsed.key)\" is used twice; keys must be unique.")
            }
            config.accounts.append(parsed)
        }
        config.daemon = try DaemonSettings.parse(reader, file: file, accounts: config.accounts.map(\.key))
        return config
    }

    /// `[poll] allow_addresses`: an array of strings, each an address or CIDR block with an
    /// optional port (see `AddressBlock`).
    static func parseAllowAddresses(_ poll: TableReader, file: String) throws -> [AddressBlock] {
        guard let value = poll.table["allow_addresses"] else { return [] }
        let example = "e.g. [\"127.0.0.1:8080\", \"10.20.0.0/16\", \"[fd00::5]:443\"]"
        guard let array = value.array else {
            throw ConfigurationError("\(file): [poll] allow_addresses must be an array of addresses or CIDR blocks, \(example).")
        }
        var blocks: [AddressBlock] = []
        for element in array {
            guard let text = element.string else {
                throw ConfigurationError("\(file): [poll] allow_addresses must hold only quoted strings, \(example).")
            }
            switch AddressBlock.parse(text) {
            case .success(let block): blocks.append(block)
            case .failure(let error):
                throw ConfigurationError("\(file): [poll] allow_addresses entry \"\(text)\" \(error.problem); write an address or CIDR block with an optional port, \(example).")
            }
        }
        return blocks
    }

    /// The URLs whose scheme, host and port may be internal addresses without an
    /// `allow_addresses` entry: each account's own API root and feed, and the
    /// time-stamping authority. What the administrator wrote is trusted; what a platform
    /// answered is not.
    public var trustedURLs: [String] {
        accounts.flatMap { [$0.baseURL, $0.url].compactMap { $0 } } + [tsaURL].compactMap { $0 }
    }

    /// The public API root of each platform that has one; `base_url` overrides it
    /// (tests point it at a local replay server). Mastodon has no default: every server is
    /// its own.
    public static let defaultBaseURL: [Platform: String] = [
        .bluesky: "https://public.api.bsky.app",
        .x: "https://api.x.com",
        .facebook: "https://graph.facebook.com/v21.0",
        .flickr: "https://api.flickr.com/services/rest",
        .youtube: "https://www.googleapis.com/youtube/v3",
    ]

    static func parseAccount(_ account: TableReader, index: Int, file: String) throws -> AccountConfig {
        try account.allowOnly(["key", "platform", "base_url", "handle", "url", "credentials"])
        guard let key = try account.string("key"), !key.isEmpty else {
            throw ConfigurationError("\(file): [[account]] number \(index + 1) has no key.")
        }
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw ConfigurationError("\(file): account key \"\(key)\" may hold only letters, digits, '-', '_' and '.'.")
        }
        guard let platformName = try account.string("platform") else {
            throw ConfigurationError("\(file): account \"\(key)\" has no platform.")
        }
        guard let platform = Platform(rawValue: platformName) else {
            let known = Platform.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError("\(file): account \"\(key)\" platform \"\(platformName)\" is not one of \(known).")
        }
        let result = AccountConfig(
            key: key, platform: platform, baseURL: try account.string("base_url") ?? defaultBaseURL[platform], handle: try account.string("handle"),
            url: try account.string("url"), credentials: try account.string("credentials"))
        switch platform {
        case .feed:
            guard result.url != nil else { throw ConfigurationError("\(file): account \"\(key)\" (feed) needs url.") }
        default:
            guard result.baseURL != nil else { throw ConfigurationError("\(file): account \"\(key)\" (\(platformName)) needs base_url.") }
            guard result.handle != nil else { throw ConfigurationError("\(file): account \"\(key)\" (\(platformName)) needs handle.") }
        }
        return result
    }
}

/// `[log]`: what `diarium run` logs when its command line does not say (`--log-level`,
/// `--log-format` win). Checked like every other table, so a misspelt key or level stops
/// the program instead of being ignored.
public struct LogSettings: Sendable, Hashable {
    public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    public static let formats = ["journald", "json", "text"]
    /// One of `levels`; nil: `info`.
    public var level: String?
    /// One of `formats`; nil: journald under systemd, else text.
    public var format: String?

    public init(level: String? = nil, format: String? = nil) {
        self.level = level
        self.format = format
    }

    static func parse(_ log: TableReader, file: String) throws -> LogSettings {
        try log.allowOnly(["level", "format"])
        var settings = LogSettings()
        if let level = try log.string("level") {
            guard levels.contains(level) else {
                throw ConfigurationError("\(file): [log] level = \"\(level)\" is not one of \(levels.joined(separator: ", ")).")
            }
            settings.level = level
        }
        if let format = try log.string("format") {
            guard formats.contains(format) else {
                throw ConfigurationError("\(file): [log] format = \"\(format)\" is not one of \(formats.joined(separator: ", ")).")
            }
            settings.format = format
        }
        return settings
    }
}

/// `[web]`: where the records officer's web page listens and how long a login lasts.
public struct WebSettings: Sendable, Hashable {
    /// The address to bind; 127.0.0.1 by default so the page is reached through a
    /// reverse proxy (TLS) or an SSH tunnel, never straight from the network.
    public var listen: String
    /// Within `ConfigurationLimits.webPort`; 0 picks a free port.
    public var port: Int
    /// How long a login lasts before the user must log in again: 1m to 30d.
    public var sessionSeconds: Int
    /// Whether the session cookie carries `Secure`. Browsers accept Secure cookies from
    /// http://127.0.0.1 and http://localhost, so this stays on unless the page is served
    /// over plain HTTP on another address.
    public var secureCookie: Bool
    /// How long a client has to send a whole request head, from opening the connection
    /// or from the first byte of a later request.
    public var headerTimeoutSeconds: Int
    /// How long a kept-alive connection may sit between requests.
    public var idleTimeoutSeconds: Int
    /// Most connections served at once; further ones wait in the listen queue.
    public var maxConnections: Int

    public init(listen: String = "127.0.0.1", port: Int = 8080, sessionSeconds: Int = 8 * 3600, secureCookie: Bool = true,
                headerTimeoutSeconds: Int = 10, idleTimeoutSeconds: Int = 60, maxConnections: Int = 256) {
        self.listen = listen
        self.port = port
        self.sessionSeconds = sessionSeconds
        self.secureCookie = secureCookie
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
    }

    static func parse(_ web: TableReader, file: String) throws -> WebSettings {
        try web.allowOnly(["listen", "port", "session", "secure_cookie", "header_timeout", "idle_timeout", "max_connections"])
        var settings = WebSettings()
        settings.listen = try web.string("listen") ?? settings.listen
        if let value = web.table["port"] {
            guard let port = value.int, ConfigurationLimits.webPort.contains(port) else {
                throw ConfigurationError("\(file): [web] port must be a whole number from 0 to 65535 (unquoted).")
            }
            settings.port = port
        }
        settings.sessionSeconds = try web.duration("session", in: ConfigurationLimits.webSession) ?? settings.sessionSeconds
        if let value = web.table["secure_cookie"] {
            guard let flag = value.bool else { throw ConfigurationError("\(file): [web] secure_cookie must be true or false (unquoted).") }
            settings.secureCookie = flag
        }
        settings.headerTimeoutSeconds = try web.duration("header_timeout", in: ConfigurationLimits.webHeaderTimeout) ?? settings.headerTimeoutSeconds
        settings.idleTimeoutSeconds = try web.duration("idle_timeout", in: ConfigurationLimits.webIdleTimeout) ?? settings.idleTimeoutSeconds
        if let value = web.table["max_connections"] {
            guard let count = value.int, ConfigurationLimits.webMaxConnections.contains(count) else {
                throw ConfigurationError("\(file): [web] max_connections must be a whole number from 1 to 100000 (unquoted).")
            }
            settings.maxConnections = count
        }
        return settings
    }
}

/// Typed access to one TOML table that names the key at fault in every error.
struct TableReader {
    let table: TOMLTable
    let path: String
    let file: String

    func name(_ key: String) -> String { path.isEmpty ? key : "[\(path)] \(key)" }

    func allowOnly(_ keys: Set<String>) throws {
        for key in table.keys where !keys.contains(key) {
            throw ConfigurationError("\(file): unknown key \(name(key)); known keys here are \(keys.sorted().joined(separator: ", ")).")
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw ConfigurationError("\(file): \(name(key)) must be a string.") }
        return s
    }

    /// A duration in seconds within `range`; a value that is not a duration, negative or
    /// outside the range is one sentence naming the file, the key and the range.
    func duration(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(key) else { return nil }
        let allowed = "from \(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
        switch DurationText.parse(text) {
        case .seconds(let seconds) where range.contains(seconds):
            return seconds
        case .seconds, .tooLarge:
            throw ConfigurationError("\(file): \(name(key)) = \"\(text)\" is out of range; it must be \(allowed).")
        case .negative:
            throw ConfigurationError("\(file): \(name(key)) = \"\(text)\" is negative; it must be \(allowed).")
        case .invalid:
            throw ConfigurationError("\(file): \(name(key)) = \"\(text)\" is not a duration like \"30s\", \"15m\", \"2h\" or \"14d\".")
        }
    }

    /// A whole number within `range`, written unquoted.
    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int, range.contains(number) else {
            throw ConfigurationError("\(file): \(name(key)) must be a whole number from \(range.lowerBound) to \(range.upperBound) (unquoted).")
        }
        return number
    }

    func table(_ key: String) throws -> TableReader? {
        guard let value = table[key] else { return nil }
        guard let t = value.table else { throw ConfigurationError("\(file): \(name(key)) must be a table ([\(key)]).") }
        return TableReader(table: t, path: key, file: file)
    }

    func tables(_ key: String) throws -> [TableReader] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else { throw ConfigurationError("\(file): \(key) must be written as [[\(key)]] tables.") }
        return try array.enumerated().map { index, element in
            guard let t = element.table else { throw ConfigurationError("\(file): [[\(key)]] number \(index + 1) is not a table.") }
            return TableReader(table: t, path: key, file: file)
        }
    }
}
