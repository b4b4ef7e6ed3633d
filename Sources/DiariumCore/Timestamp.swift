import Foundation

/// Date parsing and formatting for the forms platforms send: RFC 3339 with or without
/// fractions and with `Z`, `+01:00` or `+0100` offsets; RFC 822 / RFC 1123 (RSS, HTTP).
/// Hand-written because it runs for every item and Foundation's formatters are slow
/// and not `Sendable`.
///
/// `parse` and `format` round-trip: `parse` yields only moments whose UTC year lies in
/// 0000…9999 (what RFC 3339 can write), so whatever it read, `format` writes back as text
/// `parse` reads again. A text whose offset moves it outside those years is not a date.
public enum Timestamp {
    /// Parses RFC 3339 first, then RFC 822. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        parseRFC3339(text) ?? parseRFC822(text)
    }

    /// `2026-11-20T09:00:00Z`, `2026-11-20T09:00:00.123Z`, `2026-11-20T09:00:00+01:00`,
    /// `2026-11-20T09:00:00+0100`, and a date alone (`2026-11-20`, taken as midnight UTC).
    public static func parseRFC3339(_ text: String) -> Date? {
        let s = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2),
              expect(UInt8(ascii: "-")), let day = digits(2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month, year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        if i == s.count {
            return makeDate(year, month, day, 0, 0, 0, 0, 0)
        }
        guard i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let h = digits(2), expect(UInt8(ascii: ":")), let m = digits(2) else { return nil }
        hour = h
        minute = m
        if expect(UInt8(ascii: ":")) {
            guard let sec = digits(2) else { return nil }
            second = sec
            if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 0.1
                var any = false
                while i < s.count, s[i] >= 48 && s[i] <= 57 {
                    fraction += Double(s[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        guard i < s.count else { return nil }
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let om = digits(2) else { return nil }
            // An offset is at most 23:59 (RFC 3339 `time-numoffset`): `-99:99` is not one.
            guard oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
        guard i == s.count else { return nil }
        return makeDate(year, month, day, hour, minute, second, fraction, offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
        "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "cet": 1, "cest": 2,
    ]

    /// `Tue, 04 Mar 2025 15:01:02 +0000`, `4 Mar 2025 15:01 GMT`, two-digit years too.
    public static func parseRFC822(_ text: String) -> Date? {
        var parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !parts.isEmpty else { return nil }
        if parts[0].hasSuffix(",") || parts[0].count == 3 && Int(parts[0]) == nil && !months.contains(parts[0].lowercased()) {
            parts.removeFirst()
        }
        guard parts.count >= 4, let day = Int(parts[0]), (1...31).contains(day),
              let monthIndex = months.firstIndex(of: String(parts[1].lowercased().prefix(3))),
              var year = Int(parts[2]) else { return nil }
        if year < 100 { year += year < 50 ? 2000 : 1900 }
        guard day <= daysIn(monthIndex + 1, year) else { return nil }
        let clock = parts[3].split(separator: ":").map { Int($0) }
        guard clock.count >= 2, clock.allSatisfy({ $0 != nil }) else { return nil }
        let hour = clock[0]!, minute = clock[1]!, second = clock.count > 2 ? clock[2]! : 0
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var offset = 0
        if parts.count > 4 {
            let zone = parts[4]
            if let first = zone.first, first == "+" || first == "-", zone.count == 5, let v = Int(zone.dropFirst()) {
                guard v / 100 < 24, v % 100 < 60 else { return nil }
                offset = (first == "-" ? -1 : 1) * ((v / 100) * 3600 + (v % 100) * 60)
            } else if let hours = zones[zone.lowercased()] {
                offset = hours * 3600
            } else {
                return nil
            }
        }
        return makeDate(year, monthIndex + 1, day, hour, minute, second, 0, offset)
    }

    /// The length of a month, so "31 February" is rejected instead of rolling into March.
    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The moment, or nil when the offset carried it outside the years `format` can write
    /// (`9999-12-31T23:00:00-02:00` is in the year 10000).
    private static func makeDate(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ frac: Double, _ offset: Int) -> Date? {
        let days = daysFromCivil(y, mo, d)
        let seconds = Double(days * 86400 + h * 3600 + mi * 60 + s - offset) + frac
        let date = Date(timeIntervalSince1970: seconds)
        return isRepresentable(date) ? date : nil
    }

    /// Midnight UTC starting a civil day (any year; see `isRepresentable` for what formats).
    public static func date(year: Int, month: Int, day: Int) -> Date {
        Date(timeIntervalSince1970: Double(daysFromCivil(year, month, day) * 86400))
    }

    /// Whether `format` writes the moment as RFC 3339 that `parse` reads back: its UTC
    /// year (after rounding to the millisecond) lies in 0000…9999.
    public static func isRepresentable(_ date: Date) -> Bool {
        let t = date.timeIntervalSince1970
        // Outside about ±5 million years `components` would overflow; far outside anyway.
        guard t.isFinite, abs(t) < 1e14 else { return false }
        return (0...9999).contains(components(date).year)
    }

    /// `format(date)` when `parse` can read it back, else nil: what a stored item holds,
    /// so no record carries a date text that cannot be read again.
    public static func storable(_ date: Date) -> String? {
        isRepresentable(date) ? format(date) : nil
    }

    /// The civil date and time of a moment in UTC.
    public static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let t = date.timeIntervalSince1970
        var whole = Int(t.rounded(.down))
        var millis = Int(((t - Double(whole)) * 1000).rounded())
        if millis == 1000 { whole += 1; millis = 0 }
        var days = whole / 86400
        var rem = whole % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60, millis)
    }

    /// RFC 3339 in UTC; milliseconds only when the moment has them. Written into bytes
    /// directly: it runs several times for every item stored. A year outside 0000…9999,
    /// which RFC 3339 cannot write and `parse` never yields (a log line may show one), takes
    /// ISO 8601's expanded form, `+10000-01-01T00:00:00Z`; `storable` refuses those.
    public static func format(_ date: Date) -> String {
        let c = components(date)
        guard (0...9999).contains(c.year) else {
            let base = "\(expandedYear(c.year))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            return c.millisecond == 0 ? base + "Z" : base + ".\(pad(c.millisecond, 3))Z"
        }
        return String(unsafeUninitializedCapacity: 24) { out in
            var i = 0
            func put(_ value: Int, _ width: Int) {
                var v = value
                var k = width - 1
                while k >= 0 {
                    out[i + k] = UInt8(48 + v % 10)
                    v /= 10
                    k -= 1
                }
                i += width
            }
            func put(_ byte: UInt8) {
                out[i] = byte
                i += 1
            }
            put(c.year, 4); put(UInt8(ascii: "-")); put(c.month, 2); put(UInt8(ascii: "-")); put(c.day, 2); put(UInt8(ascii: "T"))
            put(c.hour, 2); put(UInt8(ascii: ":")); put(c.minute, 2); put(UInt8(ascii: ":")); put(c.second, 2)
            if c.millisecond != 0 {
                put(UInt8(ascii: "."))
                put(c.millisecond, 3)
            }
            put(UInt8(ascii: "Z"))
            return i
        }
    }

    /// `YYYY-MM-DD` of a moment in UTC: the journal's day.
    public static func day(_ date: Date) -> String {
        let c = components(date)
        guard (0...9999).contains(c.year) else { return "\(expandedYear(c.year))-\(pad(c.month, 2))-\(pad(c.day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { out in
            var v = c.year
            for k in stride(from: 3, through: 0, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
            out[4] = UInt8(ascii: "-")
            out[5] = UInt8(48 + c.month / 10); out[6] = UInt8(48 + c.month % 10)
            out[7] = UInt8(ascii: "-")
            out[8] = UInt8(48 + c.day / 10); out[9] = UInt8(48 + c.day % 10)
            return 10
        }
    }

    /// `YYYY-MM-DD` of a moment in the given time zone (the agency's local day).
    public static func day(_ date: Date, in zone: TimeZone) -> String {
        day(date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date))))
    }

    /// RFC 1123 (`Tue, 04 Mar 2025 15:10:00 GMT`), as HTTP wants it.
    public static func httpDate(_ date: Date) -> String {
        let c = components(date)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        var days = Int((date.timeIntervalSince1970 / 86400).rounded(.down)) % 7
        if days < 0 { days += 7 }
        let month = months[c.month - 1].capitalized
        return "\(weekdays[days]), \(pad(c.day, 2)) \(month) \(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    /// ISO 8601's expanded year: a sign, then at least four digits.
    private static func expandedYear(_ year: Int) -> String {
        (year < 0 ? "-" : "+") + pad(abs(year), 4)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
