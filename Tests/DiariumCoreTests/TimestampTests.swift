import DiariumCore
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test("RFC 3339 forms platforms send", arguments: [
        ("2026-11-20T09:00:00Z", 1_795_165_200.0),
        ("2026-11-20T09:00:00.500Z", 1_795_165_200.5),
        ("2026-11-20T10:00:00+01:00", 1_795_165_200.0),
        ("2026-11-20T10:00:00+0100", 1_795_165_200.0),
        ("2026-11-20T04:00:00-05:00", 1_795_165_200.0),
        ("2026-11-20", 1_795_132_800.0),
    ])
    func rfc3339(text: String, seconds: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test("RFC 822 forms of RSS and HTTP", arguments: [
        ("Fri, 20 Nov 2026 09:00:00 +0000", 1_795_165_200.0),
        ("Fri, 20 Nov 2026 09:00:00 GMT", 1_795_165_200.0),
        ("20 Nov 2026 10:00:00 +0100", 1_795_165_200.0),
        ("Fri, 20 Nov 26 09:00 GMT", 1_795_165_200.0),
    ])
    func rfc822(text: String, seconds: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(date.timeIntervalSince1970 == seconds)
    }

    @Test("garbage is nil, not a crash", arguments: ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-20T25:00:00Z", "2026-11-20T09:00:00", "Fri, 32 Nov 2026 09:00:00 GMT"])
    func garbage(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("an offset beyond ±23:59 or with 60 minutes or more is not a date", arguments: [
        "9999-12-31T23:59:59-99:99", "2026-11-20T09:00:00+24:00", "2026-11-20T09:00:00-01:60", "2026-11-20T09:00:00+0199",
        "Fri, 20 Nov 2026 09:00:00 +2400", "Fri, 20 Nov 2026 09:00:00 -0075",
    ])
    func impossibleOffsets(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("the largest offsets still read")
    func largestOffsets() throws {
        #expect(Timestamp.format(try #require(Timestamp.parse("2026-11-20T23:59:00+23:59"))) == "2026-11-20T00:00:00Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("Fri, 20 Nov 2026 00:00:00 -2359"))) == "2026-11-20T23:59:00Z")
    }

    @Test("a date whose offset carries it outside the years 0000 to 9999 is not a date", arguments: [
        "9999-12-31T23:59:59-23:59", "9999-12-31T23:00:00-01:00", "0000-01-01T00:00:00+00:01", "31 Dec 9999 23:00:00 -0200",
    ])
    func outsideTheWritableYears(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("whatever parse reads, format writes back as text parse reads to the same moment")
    func roundTrip() throws {
        for text in ["0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59+00:00",
                     "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z", "0001-02-28T12:00:00-12:00"] {
            let date = try #require(Timestamp.parse(text), "\(text)")
            let written = Timestamp.format(date)
            let again = try #require(Timestamp.parse(written), "\(text) → \(written)")
            #expect(Timestamp.format(again) == written)
            #expect(Timestamp.storable(date) == written)
        }
        // A sweep over the whole range, milliseconds included.
        let first = try #require(Timestamp.parse("0000-01-01T00:00:00Z")).timeIntervalSince1970
        let last = try #require(Timestamp.parse("9999-12-31T23:59:59.999Z")).timeIntervalSince1970
        var t = first
        while t <= last {
            let date = Date(timeIntervalSince1970: t)
            let written = Timestamp.format(date)
            let again = try #require(Timestamp.parse(written), "\(written)")
            #expect(Timestamp.format(again) == written)
            t += 77_777_777.123
        }
    }

    @Test("a moment outside 0000 to 9999 formats in ISO 8601's expanded form, and is never storable")
    func unwritableYears() {
        let late = Timestamp.date(year: 10000, month: 1, day: 1)
        let early = Timestamp.date(year: -1, month: 12, day: 31)
        #expect(Timestamp.format(late) == "+10000-01-01T00:00:00Z")
        #expect(Timestamp.format(early) == "-0001-12-31T00:00:00Z")
        #expect(Timestamp.day(late) == "+10000-01-01")
        for date in [late, early, Date(timeIntervalSince1970: 253_402_300_799.9996), Date.distantFuture.addingTimeInterval(1e15)] {
            #expect(!Timestamp.isRepresentable(date))
            #expect(Timestamp.storable(date) == nil)
        }
        #expect(Timestamp.isRepresentable(Date(timeIntervalSince1970: 253_402_300_799.999)))
    }

    @Test("formatting round-trips and days follow the agency's time zone")
    func format() throws {
        let date = try #require(Timestamp.parse("2026-11-20T23:30:00.250Z"))
        #expect(Timestamp.format(date) == "2026-11-20T23:30:00.250Z")
        #expect(Timestamp.day(date) == "2026-11-20")
        #expect(Timestamp.day(date, in: TimeZone(identifier: "Europe/Oslo")!) == "2026-11-21")
        #expect(Timestamp.httpDate(try #require(Timestamp.parse("2026-11-20T09:00:00Z"))) == "Fri, 20 Nov 2026 09:00:00 GMT")
    }
}
