import DiariumCore
@testable import DiariumOutputs
import Foundation
import Testing

@Suite("Journal text shortcuts")
struct JournalTextTests {
    @Test("the journal's date formatter writes what Timestamp.format writes")
    func dates() {
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_788_220_800.5), Date(timeIntervalSince1970: 1_788_220_859.9996),
                     Date(timeIntervalSince1970: -86_400.25), Date(timeIntervalSince1970: 253_402_300_799), Date(timeIntervalSince1970: 253_402_300_800)]
        var seconds = 1_000_000_000.0
        for _ in 0..<2_000 {
            seconds = (seconds * 1.000_7 + 3_599.123).truncatingRemainder(dividingBy: 4_000_000_000)
            dates.append(Date(timeIntervalSince1970: seconds))
        }
        for date in dates { #expect(JournalEntryView.format(date) == Timestamp.format(date)) }
    }

    @Test("the title's first line is the first non-empty line as Characters split it, shortened to 120", arguments: [
        "", "\n\n", "Hei", "\n\nHei\nDu", "Hei\r\nDu\nder", "\r\n\r\nHei", "e\u{301}\nx",
        String(repeating: "å", count: 70), String(repeating: "å", count: 121), String(repeating: "a", count: 120), String(repeating: "a", count: 121) + "\nb",
        String(repeating: "👍🏽", count: 119) + "\n", String(repeating: "👍🏽", count: 121),
    ])
    func firstLine(text: String) {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let expected = line.count > 120 ? String(line.prefix(119)) + "…" : line
        #expect(JournalEntryView.firstLine(of: text) == expected)
    }
}
