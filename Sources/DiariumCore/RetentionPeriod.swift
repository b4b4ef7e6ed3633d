import Foundation

/// How long a retention decision runs: `5y`, `18m` or `30d` (years, months, days).
///
/// A rule's `keep` (K: disposed that long after the item was created) and `review`
/// (G: listed for an officer's decision then) are periods. Noark 5's bevaringstid
/// (M451) counts years; months and days are accepted for local rules that need them
/// (a data-protection period), and are written as given so an export can say so.
public struct RetentionPeriod: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable { case years = "y", months = "m", days = "d" }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Reads `5y`, `18m`, `30d`; nil for anything else (no zero, no sign, no spaces).
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: String(last)) else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let count = Int(digits), count > 0 else { return nil }
        self.count = count
        self.unit = unit
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// Whole years, for Noark 5 bevaringstid (an integer of years): months and days round up.
    public var years: Int {
        switch unit {
        case .years: count
        case .months: (count + 11) / 12
        case .days: (count + 364) / 365
        }
    }

    /// The day the period ends when it starts on `day` (`YYYY-MM-DD`): the same calendar
    /// day `count` years or months later (the 29th of February, or the 31st of a shorter
    /// month, falls back to the month's last day), or `count` days later. Nil when `day`
    /// is not a date.
    public func end(from day: String) -> String? {
        let parts = day.split(separator: "-")
        guard day.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        switch unit {
        case .days:
            return Timestamp.day(Timestamp.date(year: y, month: m, day: d).addingTimeInterval(Double(count) * 86400))
        case .years, .months:
            let months = (y * 12 + (m - 1)) + (unit == .years ? count * 12 : count)
            let year = months / 12, month = months % 12 + 1
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let maxDay = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            return Timestamp.day(Timestamp.date(year: year, month: month, day: min(d, maxDay)))
        }
    }
}
