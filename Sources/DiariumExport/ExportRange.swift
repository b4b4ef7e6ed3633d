import DiariumCore

/// The days an export covers, inclusive, as `YYYY-MM-DD` in the agency's time zone. A
/// Noark 5 extract reads them as the journal's dates (journaldato, see
/// `ExportPeriodBasis.journalDate`); the WARC export as the items' days (`item.day`). A
/// missing end is open: everything before or after.
public struct ExportRange: Sendable, Hashable {
    public var from: String?
    public var to: String?

    /// Checks both days and their order, so a typo is a clear error instead of an
    /// empty or surprising export.
    public init(from: String? = nil, to: String? = nil) throws {
        for (flag, day) in [("--from", from), ("--to", to)] {
            if let day, day.count != 10 || Timestamp.parseRFC3339(day) == nil {
                throw ExportError("\(flag) must be a day written YYYY-MM-DD, not \(day).")
            }
        }
        if let from, let to, from > to {
            throw ExportError("--from \(from) is after --to \(to); nothing to export.")
        }
        self.from = from
        self.to = to
    }

    /// The bounds used in SQL: `YYYY-MM-DD` strings compare in date order.
    var lower: String { from ?? "0000-01-01" }
    var upper: String { to ?? "9999-12-31" }

    /// How the range reads in a sentence.
    var description: String {
        switch (from, to) {
        case let (f?, t?): return "between \(f) and \(t)"
        case let (f?, nil): return "from \(f) on"
        case let (nil, t?): return "up to \(t)"
        case (nil, nil): return "in the registry"
        }
    }

    /// The same in Norwegian, for the journals' seleksjon.
    var norwegian: String {
        switch (from, to) {
        case let (f?, t?): return "fra og med \(f) til og med \(t)"
        case let (f?, nil): return "fra og med \(f)"
        case let (nil, t?): return "til og med \(t)"
        case (nil, nil): return "alle i registeret"
        }
    }
}
