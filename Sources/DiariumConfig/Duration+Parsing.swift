import Foundation

/// Reads the human durations of the configuration file: `30s`, `15m`, `2h`, `14d`, or a
/// bare number of seconds. Never traps: a value whose seconds do not fit in an `Int` is
/// reported as `.tooLarge`, a negative one as `.negative`.
enum DurationText {
    enum Parsed: Equatable {
        case seconds(Int)
        case negative
        case tooLarge
        case invalid
    }

    static func parse(_ text: String) -> Parsed {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let last = trimmed.last else { return .invalid }
        let multiplier: Int
        let digits: Substring
        switch last {
        case "s": (multiplier, digits) = (1, trimmed.dropLast())
        case "m": (multiplier, digits) = (60, trimmed.dropLast())
        case "h": (multiplier, digits) = (3600, trimmed.dropLast())
        case "d": (multiplier, digits) = (86400, trimmed.dropLast())
        default: (multiplier, digits) = (1, Substring(trimmed))
        }
        var body = digits
        var negative = false
        if body.first == "-" {
            negative = true
            body = body.dropFirst()
        } else if body.first == "+" {
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .invalid }
        if negative { return body.allSatisfy({ $0 == "0" }) ? .seconds(0) : .negative }
        guard let value = Int(body) else { return .tooLarge }  // only ASCII digits: too many of them
        let (seconds, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? .tooLarge : .seconds(seconds)
    }

    /// `90` → `1m30s`, `86400` → `1d`: how a range is shown in an error message.
    static func format(_ seconds: Int) -> String {
        if seconds == 0 { return "0s" }
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}

/// The range each duration and number of the configuration file must fall in. Kept in one
/// place so the README's "Limits and timeouts" list and the code agree; every value that
/// reaches the daemon's arithmetic is bounded here, so nothing downstream can overflow.
public enum ConfigurationLimits {
    /// `[poll] interval` and every `[schedule] KEY`: 1 second to 30 days.
    public static let pollInterval: ClosedRange<Int> = 1...(30 * 86400)
    /// `[poll] rescan`: 0 (no re-fetching) to 3650 days.
    public static let rescan: ClosedRange<Int> = 0...(3650 * 86400)
    /// `[status] max_failure`: 1 second to 365 days.
    public static let statusMaxFailure: ClosedRange<Int> = 1...(365 * 86400)
    /// `[web] session`: 1 minute to 30 days.
    public static let webSession: ClosedRange<Int> = 60...(30 * 86400)
    /// `[web] port`: 0 (any free port) to 65535.
    public static let webPort: ClosedRange<Int> = 0...65535
    /// `[metrics] listen` port: 1 to 65535.
    public static let metricsPort: ClosedRange<Int> = 1...65535
    /// `[web] header_timeout`: 1 second to 1 hour.
    public static let webHeaderTimeout: ClosedRange<Int> = 1...3600
    /// `[web] idle_timeout`: 1 second to 1 day.
    public static let webIdleTimeout: ClosedRange<Int> = 1...86400
    /// `[web] max_connections`: 1 to 100,000.
    public static let webMaxConnections: ClosedRange<Int> = 1...100_000
    /// `[poll] request_timeout`: one attempt of one request, connect to last body byte,
    /// redirects included: 1 second to 1 hour.
    public static let requestTimeout: ClosedRange<Int> = 1...3600
    /// `[poll] connect_timeout`: 1 second to 10 minutes.
    public static let connectTimeout: ClosedRange<Int> = 1...600
    /// `[poll] attempts`: tries per request, the first included: 1 to 10.
    public static let requestAttempts: ClosedRange<Int> = 1...10
}
