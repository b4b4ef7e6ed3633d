import Foundation

/// The daemon's own keys: `[metrics]`, `[status]` and `[schedule]`. Kept in one value
/// beside the rest of the configuration so the daemon's settings stay in one place.
public struct DaemonSettings: Sendable, Equatable {
    /// Port of the Prometheus endpoint on 127.0.0.1; nil when `[metrics]` is absent.
    public var metricsPort: Int?
    /// `diarium status` exits non-zero when an account has had no success for longer
    /// than this while failing: 1s to 365d (`ConfigurationLimits.statusMaxFailure`).
    public var statusMaxFailureSeconds: Int
    /// Per-account poll intervals (`[schedule]` key = account key), each 1s to 30d; the
    /// others use `[poll] interval`.
    public var accountIntervals: [String: Int]

    public init(metricsPort: Int? = nil, statusMaxFailureSeconds: Int = 6 * 3600, accountIntervals: [String: Int] = [:]) {
        self.metricsPort = metricsPort
        self.statusMaxFailureSeconds = statusMaxFailureSeconds
        self.accountIntervals = accountIntervals
    }

    static func parse(_ reader: TableReader, file: String, accounts: [String]) throws -> DaemonSettings {
        var settings = DaemonSettings()
        if let metrics = try reader.table("metrics") {
            try metrics.allowOnly(["listen"])
            let listen = try metrics.string("listen") ?? "127.0.0.1:9464"
            let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let port = Int(parts[1]), ConfigurationLimits.metricsPort.contains(port) else {
                throw ConfigurationError("\(file): [metrics] listen = \"\(listen)\" must be \"127.0.0.1:PORT\" with PORT from \(ConfigurationLimits.metricsPort.lowerBound) to \(ConfigurationLimits.metricsPort.upperBound).")
            }
            guard parts[0] == "127.0.0.1" || parts[0] == "localhost" else {
                throw ConfigurationError("\(file): [metrics] listen = \"\(listen)\": the metrics endpoint only listens on 127.0.0.1 (put a proxy in front to expose it).")
            }
            settings.metricsPort = port
        }
        if let status = try reader.table("status") {
            try status.allowOnly(["max_failure"])
            settings.statusMaxFailureSeconds = try status.duration("max_failure", in: ConfigurationLimits.statusMaxFailure) ?? settings.statusMaxFailureSeconds
        }
        if let schedule = try reader.table("schedule") {
            let known = Set(accounts)
            for key in schedule.table.keys.sorted() {
                guard known.contains(key) else {
                    throw ConfigurationError("\(file): [schedule] \(key) names no [[account]] key.")
                }
                guard let seconds = try schedule.duration(key, in: ConfigurationLimits.pollInterval) else { continue }
                settings.accountIntervals[key] = seconds
            }
        }
        return settings
    }
}
