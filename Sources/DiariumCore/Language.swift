import Foundation

/// The language a document is written in: Norwegian Bokmål and Nynorsk, Swedish,
/// English. The agency's `[agency] language` chooses it; without it the profile's own
/// (`nb` for `no`, `sv` for `se`). In DiariumCore so that the configuration, the
/// rulebook's reason tables and the outputs' message catalogue name the same languages
/// and the same default, from one list.
public enum Language: String, Sendable, CaseIterable, Hashable {
    case nb, nn, sv, en

    /// The language the profile's jurisdiction writes in, for an agency that named none.
    public static func `default`(forProfile profile: String) -> Language {
        profile == "se" ? .sv : .nb
    }

    /// The configured language when there is one, else the profile's.
    public static func chosen(_ configured: String?, profile: String) -> Language {
        configured.flatMap(Language.init(rawValue:)) ?? .default(forProfile: profile)
    }

    /// The BCP 47 tag for an HTML `lang` attribute.
    public var tag: String { rawValue }

    /// A date and time as the language writes it, in the agency's time zone:
    /// `20.11.2025 09:12` in Norwegian, `2025-11-20 09:12` in Swedish and English
    /// (ISO 8601 order, as Swedish authorities and international readers use).
    public func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        let c = Self.parts(date, timeZone)
        let time = "\(Self.two(c.hour)):\(Self.two(c.minute))"
        return "\(day(c)) \(time)"
    }

    /// A day alone, in the same order as ``dateTime(_:in:)``.
    public func date(_ date: Date, in timeZone: TimeZone) -> String {
        day(Self.parts(date, timeZone))
    }

    /// A `YYYY-MM-DD` day (a search's range) as the language writes it; the text itself
    /// when it is no such day.
    public func day(_ text: String) -> String {
        let pieces = text.split(separator: "-")
        guard pieces.count == 3, let y = Int(pieces[0]), let m = Int(pieces[1]), let d = Int(pieces[2]) else { return text }
        return day((year: y, month: m, day: d, hour: 0, minute: 0))
    }

    private func day(_ c: (year: Int, month: Int, day: Int, hour: Int, minute: Int)) -> String {
        switch self {
        case .nb, .nn: "\(Self.two(c.day)).\(Self.two(c.month)).\(c.year)"
        case .sv, .en: "\(c.year)-\(Self.two(c.month))-\(Self.two(c.day))"
        }
    }

    /// The wall-clock fields in `timeZone`: the zone's offset at that moment added, then
    /// split by `Timestamp.components` (plain arithmetic). A journal writes one time per
    /// line, and a Calendar made for each line was most of the cost of a busy day's journal.
    private static func parts(_ date: Date, _ timeZone: TimeZone) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let c = Timestamp.components(date.addingTimeInterval(TimeInterval(timeZone.secondsFromGMT(for: date))))
        return (c.year, c.month, c.day, c.hour, c.minute)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
