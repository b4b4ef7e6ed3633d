import Foundation

/// A date of an item that was left out: at ingest one outside the plausible range, in a
/// stored record a text that does not parse. The platform's own bytes keep what it sent.
public struct DateProblem: Sendable, Hashable, CustomStringConvertible {
    /// The item's JSON key: `createdAt`, `editedAt` or `deletedAt`.
    public var field: String
    /// The value as it was: the moment formatted, or the text that did not parse.
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }

    public var description: String { "\(field) \(value)" }
}

extension Item {
    /// The dates an item may carry at ingest: from 1970-01-01T00:00:00Z up to the end of
    /// the year after `now`'s (UTC). Anything else is a platform's or a publisher's mistake
    /// (`9999-12-31`, a zero date, a typo in the year), not the moment something was
    /// published, and would put the item on a journal day that never comes.
    public static func plausibleDates(around now: Date) -> Range<Date> {
        let year = Timestamp.components(now).year
        return Date(timeIntervalSince1970: 0)..<Timestamp.date(year: year + 2, month: 1, day: 1)
    }

    /// Leaves out every date of the item outside `range` and says which, in field order.
    /// Every `Date` the item has is checked here (a test holds this to the type), so the
    /// archiver can apply it once to whatever a connector produced.
    public mutating func clearDates(outside range: Range<Date>) -> [DateProblem] {
        var problems: [DateProblem] = []
        if let date = createdAt, !range.contains(date) {
            problems.append(DateProblem(field: "createdAt", value: Timestamp.format(date)))
            createdAt = nil
        }
        if let date = editedAt, !range.contains(date) {
            problems.append(DateProblem(field: "editedAt", value: Timestamp.format(date)))
            editedAt = nil
        }
        if let date = deletedAt, !range.contains(date) {
            problems.append(DateProblem(field: "deletedAt", value: Timestamp.format(date)))
            deletedAt = nil
        }
        return problems
    }

    /// Reads an item as `JSONLines.decode` does, except that a date text that does not
    /// parse is left out instead of failing the whole item; those texts come back with it.
    /// For a stored record that must be shown whatever it holds (a registry written before
    /// ingest checked dates holds `10000-01-01T…`). Any other fault still throws.
    public static func decodeSkippingBadDates(from json: String) throws -> (item: Item, skipped: [DateProblem]) {
        let skips = DateSkips()
        let decoder = JSONDecoder()
        decoder.userInfo[DateSkips.key] = skips
        let item = try decoder.decode(Item.self, from: Data(json.utf8))
        return (item, skips.problems)
    }
}

/// Collects the date texts `decodeSkippingBadDates` left out; one decoder, one thread.
final class DateSkips: @unchecked Sendable {
    static let key = CodingUserInfoKey(rawValue: "diarium.skipBadDates")!
    var problems: [DateProblem] = []
}
