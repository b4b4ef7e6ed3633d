import Foundation

/// The dates web feeds carry, read in one place. Feeds are written by hand, by blog
/// engines and by twenty years of templates, so a feed date comes in many more shapes
/// than the RFC 3339 the platform APIs send:
///
/// - W3C-DTF / ISO 8601: `2004`, `2004-01`, `2004-01-04`, `2004-01-04T16:29Z`,
///   `2004-01-04T16:29:06.25+01:00`, with `T`, `t` or a space between date and time,
///   an offset as `+01:00`, `+0100` or `+01`, `Z`, or a zone name after a space.
/// - RFC 822 / 1123 / 2822 and RFC 850: `Thu, 01 Jan 2004 19:48:21 GMT`, without the
///   weekday, without seconds, without a time at all (`Thu, 01 Jan 2004`), two-digit
///   years, full month and weekday names, `01-Jan-04`, and a trailing `(comment)`.
/// - asctime and Unix `date`: `Sun Jan  4 16:29:06 2004`, `Sun Jan 4 16:29:06 PST 2004`.
/// - Zones: numeric offsets with either sign, with or without a colon (`-01:01`,
///   `+0530`), `GMT+01:00`, and the names in `feedZoneMinutes`.
///
/// Every form is rewritten as RFC 3339 and read by `parseRFC3339`, so the calendar and
/// offset checks live in one reader. A text with nothing after the date is midnight
/// UTC; a time without a zone is taken as UTC (as RFC 822 readers always have). Anything
/// else — an unknown zone, `1:2:3:4`, a 13th month, an offset beyond 23:59 — is no date.
extension Timestamp {
    /// The instant a feed's date text names, or nil when it names none.
    public static func parseFeedDate(_ text: String) -> Date? {
        feedDateAsRFC3339(text).flatMap(parseRFC3339)
    }

    /// The RFC 3339 spelling of a feed date (`Thu, 01 Jan 2004` → `2004-01-01T00:00:00Z`),
    /// or nil when the text is not one of the forms above. Exposed for tests and tools.
    public static func feedDateAsRFC3339(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 100 else { return nil }
        var fields: FeedDateFields?
        if trimmed.utf8.count >= 4, trimmed.utf8.prefix(4).allSatisfy(isDigit) {
            fields = isoFeedDate(Array(trimmed.utf8))
        } else {
            fields = textualFeedDate(trimmed)
        }
        return fields?.rfc3339
    }

    /// Zone names seen in feeds, in minutes east of UTC. The North American generic names
    /// (ET, CT, MT, PT, AT) are read as standard time, as feed readers have long done.
    /// RFC 2822 § 4.3 says the one-letter military zones other than Z carry no
    /// information (RFC 822 gave their signs backwards) and are to be read as -0000.
    static let feedZoneMinutes: [String: Int] = {
        var zones: [String: Int] = [
            "z": 0, "ut": 0, "utc": 0, "gmt": 0, "uct": 0, "etc/gmt": 0, "etc/utc": 0, "etc/uct": 0, "etc/zulu": 0,
            "wet": 0, "west": 60, "bst": 60, "cet": 60, "cest": 120, "met": 60, "mest": 120, "mez": 60, "mesz": 120,
            "eet": 120, "eest": 180, "msk": 180,
            "ast": -240, "adt": -180, "at": -240, "est": -300, "edt": -240, "et": -300,
            "cst": -360, "cdt": -300, "ct": -360, "mst": -420, "mdt": -360, "mt": -420,
            "pst": -480, "pdt": -420, "pt": -480, "akst": -540, "akdt": -480, "hst": -600,
        ]
        for letter in "abcdefghiklmnopqrstuvwxy" { zones[String(letter)] = 0 }
        return zones
    }()

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// `YYYY[-MM[-DD[(T| )hh:mm[:ss[.f]][zone]]]]`.
    private static func isoFeedDate(_ s: [UInt8]) -> FeedDateFields? {
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= s.count, s[i..<(i + count)].allSatisfy(isDigit) else { return nil }
            defer { i += count }
            return s[i..<(i + count)].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        func skip(_ byte: Character) -> Bool {
            guard i < s.count, s[i] == byte.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = number(4) else { return nil }
        var f = FeedDateFields(year: year)
        if i == s.count { return f }
        guard skip("-"), let month = number(2) else { return nil }
        f.month = month
        if i == s.count { return f }
        guard skip("-"), let day = number(2) else { return nil }
        f.day = day
        if i == s.count { return f }
        // The date/time separator: T, t, or blanks.
        if s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            guard s[i] == UInt8(ascii: " ") else { return nil }
            while i < s.count, s[i] == UInt8(ascii: " ") { i += 1 }
        }
        guard let hour = number(2), skip(":"), let minute = number(2) else { return nil }
        f.hour = hour
        f.minute = minute
        if skip(":") {
            guard let second = number(2) else { return nil }
            f.second = second
            if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                i += 1
                let start = i
                while i < s.count, isDigit(s[i]) { i += 1 }
                guard i > start else { return nil }
                f.fraction = String(decoding: s[start..<i], as: UTF8.self)
            }
        }
        while i < s.count, s[i] == UInt8(ascii: " ") { i += 1 }
        guard i < s.count else { return f }
        guard let minutes = zoneMinutes(String(decoding: s[i...], as: UTF8.self)) else { return nil }
        f.offsetMinutes = minutes
        return f
    }

    /// RFC 822 and its relatives (day before month) and asctime (month before day).
    private static func textualFeedDate(_ text: String) -> FeedDateFields? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        // A trailing comment: `+0000 (UTC)`.
        if let open = tokens.firstIndex(where: { $0.hasPrefix("(") }) {
            guard tokens.last?.hasSuffix(")") == true else { return nil }
            tokens.removeSubrange(open...)
        }
        guard let first = tokens.first else { return nil }
        if weekday(first) { tokens.removeFirst() }
        // RFC 850 writes the date as one token: `01-Jan-04`.
        if let head = tokens.first, head.contains("-"), head.contains(where: \.isLetter) {
            let parts = head.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            tokens.replaceSubrange(0..<1, with: parts)
        }
        guard tokens.count >= 3 else { return nil }
        var f: FeedDateFields
        var rest: ArraySlice<String>
        if let day = dayNumber(tokens[0]), let month = monthNumber(tokens[1]), let year = yearNumber(tokens[2]) {
            // RFC 822: day month year [time] [zone]
            f = FeedDateFields(year: year, month: month, day: day)
            rest = tokens[3...]
            if let time = rest.first, time.contains(":") {
                guard f.setClock(time) else { return nil }
                rest = rest.dropFirst()
            }
        } else if let month = monthNumber(tokens[0]), let day = dayNumber(tokens[1]) {
            // asctime: month day time [zone] year
            guard tokens.count >= 4, tokens[2].contains(":"), let year = tokens.last.flatMap(yearNumber), tokens.last!.count == 4 else { return nil }
            f = FeedDateFields(year: year, month: month, day: day)
            guard f.setClock(tokens[2]) else { return nil }
            rest = tokens[3..<(tokens.count - 1)]
        } else {
            return nil
        }
        guard rest.count <= 1 else { return nil }
        if let zone = rest.first {
            guard let minutes = zoneMinutes(zone) else { return nil }
            f.offsetMinutes = minutes
        }
        return f
    }

    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"]
    private static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// `Thu`, `Thu.`, `Thursday` (the comma is already gone).
    private static func weekday(_ token: String) -> Bool {
        let t = token.lowercased().trimmingCharacters(in: ".")
        return weekdayNames.contains { $0 == t || ($0.hasPrefix(t) && t.count == 3) }
    }

    /// `Jan`, `Jan.`, `January`, `Sept`; 1…12.
    private static func monthNumber(_ token: String) -> Int? {
        let t = token.lowercased().trimmingCharacters(in: ".")
        guard t.count >= 3 else { return nil }
        if t == "sept" { return 9 }
        return monthNames.firstIndex { $0 == t || ($0.hasPrefix(t) && t.count == 3) }.map { $0 + 1 }
    }

    /// One or two digits, 1…31 (the month's length is checked by `parseRFC3339`).
    private static func dayNumber(_ token: String) -> Int? {
        guard (1...2).contains(token.count), token.utf8.allSatisfy(isDigit), let day = Int(token), (1...31).contains(day) else { return nil }
        return day
    }

    /// Four digits, or two (RFC 2822 § 4.3: 00–49 are 2000–2049, 50–99 are 1950–1999).
    private static func yearNumber(_ token: String) -> Int? {
        guard token.count == 2 || token.count == 4, token.utf8.allSatisfy(isDigit), let year = Int(token) else { return nil }
        guard token.count == 2 else { return year }
        return year < 50 ? 2000 + year : 1900 + year
    }

    /// A zone as minutes east of UTC: `Z`, `+01:00`, `-0101`, `+01`, `GMT+01:00`, a name.
    static func zoneMinutes(_ zone: String) -> Int? {
        let lower = zone.lowercased()
        if let minutes = feedZoneMinutes[lower] { return minutes }
        for prefix in ["gmt", "utc", "ut"] where lower.hasPrefix(prefix + "+") || lower.hasPrefix(prefix + "-") {
            return numericOffset(Array(lower.utf8.dropFirst(prefix.count)))
        }
        return numericOffset(Array(lower.utf8))
    }

    /// `±hh`, `±hhmm`, `±hh:mm`, at most 23:59.
    private static func numericOffset(_ s: [UInt8]) -> Int? {
        guard let sign = s.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        var digits = Array(s.dropFirst())
        if digits.count == 5, digits[2] == UInt8(ascii: ":") { digits.remove(at: 2) }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(isDigit) else { return nil }
        let hours = Int(digits[0] - 48) * 10 + Int(digits[1] - 48)
        let minutes = digits.count == 4 ? Int(digits[2] - 48) * 10 + Int(digits[3] - 48) : 0
        guard hours < 24, minutes < 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
    }
}

/// The parts of a feed date, before `parseRFC3339` checks them as one.
private struct FeedDateFields {
    var year: Int
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var fraction: String?
    var offsetMinutes = 0

    init(year: Int, month: Int = 1, day: Int = 1) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `hh:mm` or `hh:mm:ss`: an hour of one or two digits, minutes and seconds of two.
    mutating func setClock(_ token: String) -> Bool {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              (1...2).contains(parts[0].count), parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) else { return false }
        hour = Int(parts[0])!
        minute = Int(parts[1])!
        second = parts.count == 3 ? Int(parts[2])! : 0
        return true
    }

    /// Always the full form, so `parseRFC3339` does every range check.
    var rfc3339: String? {
        guard (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if let fraction { text += "." + fraction }
        if offsetMinutes == 0 {
            text += "Z"
        } else {
            let m = abs(offsetMinutes)
            text += (offsetMinutes < 0 ? "-" : "+") + pad(m / 60, 2) + ":" + pad(m % 60, 2)
        }
        return text
    }
}
