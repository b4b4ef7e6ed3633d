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

    @Test("formatting round-trips and days follow the agency's time zone")
    func format() throws {
        let date = try #require(Timestamp.parse("2026-11-20T23:30:00.250Z"))
        #expect(Timestamp.format(date) == "2026-11-20T23:30:00.250Z")
        #expect(Timestamp.day(date) == "2026-11-20")
        #expect(Timestamp.day(date, in: TimeZone(identifier: "Europe/Oslo")!) == "2026-11-21")
        #expect(Timestamp.httpDate(try #require(Timestamp.parse("2026-11-20T09:00:00Z"))) == "Fri, 20 Nov 2026 09:00:00 GMT")
    }
}
