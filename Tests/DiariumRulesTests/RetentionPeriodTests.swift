import DiariumCore
import Foundation
import Testing
@testable import DiariumRules

/// Retention periods: a rule's `keep` (K) and `review` (G), set by an agency's local
/// rules file, reach the decision with the day they end.
@Suite("Retention periods")
struct RetentionPeriodTests {
    static let localPeriods = """
        [profile]
        local = "etaten-gallring"

        [[rule]]
        id = "NO-spam"
        from = "public"
        any = ["spam"]
        journal = false
        type = "I"
        retention = "K"
        keep = "1y"
        retention_basis = "Etatens kassasjonsvedtak 2026/7 (godkjent av Arkivverket)"
        reason = "Spam is disposed of a year after it was posted (local disposal decision 2026/7)."

        [[rule]]
        id = "NO-comment"
        from = "public"
        journal = false
        type = "I"
        retention = "G"
        review = "10y"
        reason = "Comments are reviewed for disposal after ten years."
        """

    @Test func periodsFromALocalRulesFileReachTheDecision() throws {
        try withTemporaryDirectory(["no.toml": Self.localPeriods]) { dir in
            let book = try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: dir)
            var spam = makeItem("Vinn stort på casino nå")
            spam.createdAt = Timestamp.parse("2026-02-28T10:00:00Z")
            let decided = book.decide(spam, answering: nil)
            #expect(decided.rules.first == "NO-spam" && decided.retention == .K)
            #expect(decided.retentionPeriod == "1y")
            #expect(decided.retentionEnds == "2027-02-28")
            #expect(decided.retentionBasis?.hasPrefix("Etatens kassasjonsvedtak") == true)
            var comment = makeItem("Fint bilde!")
            comment.createdAt = Timestamp.parse("2026-11-20T09:00:00Z")
            let reviewed = book.decide(comment, answering: nil)
            #expect(reviewed.retention == .G && reviewed.retentionPeriod == "10y" && reviewed.retentionEnds == "2036-11-20")
            // The JSON carries the period; a decision without one prints as before.
            let json = decided.jsonText
            #expect(json.contains("\"retentionPeriod\":\"1y\"") && json.contains("\"retentionEnds\":\"2027-02-28\""))
            let back = try JSONLines.decode(Decision.self, from: json)
            #expect(back == decided)
        }
    }

    @Test func defaultProfilesSetNoPeriodWithoutASource() {
        for book in [Books.no, Books.se] {
            var item = makeItem("casino casino")
            item.createdAt = Timestamp.parse("2026-11-20T09:00:00Z")
            let d = book.decide(item, answering: nil)
            #expect(d.retentionPeriod == nil && d.retentionEnds == nil)
            #expect(!d.jsonText.contains("retentionPeriod"))
        }
    }

    @Test(arguments: [
        ("retention = \"B\"\nkeep = \"5y\"\nretention_basis = \"x\"", "keep"),
        ("retention = \"K\"\nkeep = \"5 years\"\nretention_basis = \"x\"", "keep"),
        ("retention = \"K\"\nkeep = \"5y\"", "keep"),
        ("retention = \"K\"\nreview = \"5y\"", "review"),
    ])
    func badPeriodsNameTheKey(_ lines: String, _ key: String) throws {
        let override = """
            [[rule]]
            id = "NO-spam"
            from = "public"
            journal = false
            type = "I"
            \(lines)
            reason = "x"
            """
        let error = try overrideError(override)
        #expect(error?.message.contains("rule[0].\(key)") == true || error?.message.contains(key) == true, "\(String(describing: error))")
    }

    @Test func periodArithmetic() {
        #expect(RetentionPeriod("5y")?.end(from: "2024-02-29") == "2029-02-28")
        #expect(RetentionPeriod("1m")?.end(from: "2026-01-31") == "2026-02-28")
        #expect(RetentionPeriod("18m")?.end(from: "2026-11-20") == "2028-05-20")
        #expect(RetentionPeriod("30d")?.end(from: "2026-12-15") == "2027-01-14")
        #expect(RetentionPeriod("0y") == nil && RetentionPeriod("y") == nil && RetentionPeriod("-1y") == nil && RetentionPeriod("5w") == nil)
        #expect(RetentionPeriod("18m")?.years == 2)
    }
}
