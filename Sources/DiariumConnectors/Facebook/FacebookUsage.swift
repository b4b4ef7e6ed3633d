import DiariumCore
import Foundation

/// Graph API usage as the `X-App-Usage` and `X-Business-Use-Case-Usage` headers report
/// it (feed-apis.md §4.3). Graph throttles by these percentages, not by a 429 with
/// `Retry-After`, so the connector reads them after every response and stops a harvest
/// before Facebook blocks the app (a block lasts long and affects every account).
public struct FacebookUsage: Sendable, Hashable {
    /// The highest of `call_count`, `total_time` and `total_cputime` over all entries.
    public var percent: Int
    /// Which header (and business-use-case type) gave `percent`, for the log line.
    public var source: String
    /// `estimated_time_to_regain_access` in minutes when a business-use-case entry gave it.
    public var regainAccessMinutes: Int?

    /// At or above this percentage the harvest stops early.
    public static let stopThreshold = 95

    public var mustStop: Bool { percent >= Self.stopThreshold }

    /// When the harvest may go on: the business-use-case estimate when given, else the
    /// end of the one-hour rolling window of app usage.
    public func resumeDate(after now: Date) -> Date {
        if let minutes = regainAccessMinutes, minutes > 0 { return now.addingTimeInterval(Double(minutes) * 60) }
        return now.addingTimeInterval(3600)
    }

    private struct Counts: Decodable {
        var call_count: Int?
        var total_time: Int?
        var total_cputime: Int?
        var type: String?
        var estimated_time_to_regain_access: Int?

        var highest: Int { max(call_count ?? 0, total_time ?? 0, total_cputime ?? 0) }
    }

    /// The usage in `headers`, or nil when neither header is there or readable. A
    /// malformed header is ignored rather than fatal: it is advice, not content.
    public static func parse(_ headers: [HTTPHeader]) -> FacebookUsage? {
        var best: FacebookUsage?
        func consider(_ candidate: FacebookUsage) {
            if best.map({ candidate.percent > $0.percent || (candidate.percent == $0.percent && $0.regainAccessMinutes == nil) }) ?? true {
                best = candidate
            }
        }
        if let raw = headers.value(for: "X-App-Usage"),
           let counts = try? JSONDecoder().decode(Counts.self, from: Data(raw.utf8)) {
            consider(FacebookUsage(percent: counts.highest, source: "X-App-Usage", regainAccessMinutes: nil))
        }
        if let raw = headers.value(for: "X-Business-Use-Case-Usage"),
           let byObject = try? JSONDecoder().decode([String: [Counts]].self, from: Data(raw.utf8)) {
            for (object, entries) in byObject.sorted(by: { $0.key < $1.key }) {
                for entry in entries {
                    let type = entry.type.map { " \($0)" } ?? ""
                    consider(FacebookUsage(
                        percent: entry.highest, source: "X-Business-Use-Case-Usage\(type) for \(object)",
                        regainAccessMinutes: entry.estimated_time_to_regain_access))
                }
            }
        }
        return best
    }
}
