import DiariumTestSupport
import Foundation
import Testing

/// Issue 16's "done when" from the command line: a Swedish agency's journal and reasons
/// are Swedish, a Norwegian agency's bokmål, and `--language` prints another language
/// (nynorsk here) from the same registry, times in the agency's zone in its form.
@Suite("Command line in the agency's language", .serialized)
struct LanguageCLITests {
    @Test("demo --profile se prints a Swedish diarium with Swedish reasons; journal and review list follow --language")
    func swedishAndNynorsk() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("se.sqlite").path
        let demo = try runDiarium(["demo", "--db", db, "--profile", "se"])
        #expect(demo.status == 0, "\(demo.stderr)")
        for words in ["Diarium för Etaten (demo), 2026-11-20", "Diarieförda (", "Bevarade, inte diarieförda (", "Motivering: SE-case: En fråga eller begäran",
                      "diarieförs (OSL 5 kap. 1 §"] {
            #expect(demo.stdout.contains(words), "lacks \(words): \(demo.stdout)")
        }
        #expect(!demo.stdout.contains("is registered (OSL"), "no English reason: \(demo.stdout)")

        let nynorsk = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--language", "nn"])
        #expect(nynorsk.status == 0, "\(nynorsk.stderr)")
        #expect(nynorsk.stdout.hasPrefix("Journal for ") && nynorsk.stdout.contains("20.11.2026") && nynorsk.stdout.contains("Arkivert, ikkje journalført ("),
                "\(nynorsk.stdout)")
        let csv = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--format", "csv", "--language", "sv"])
        #expect(csv.stdout.hasPrefix("diarienummer,status,typ,datum,"), "\(csv.stdout)")
        let review = try runDiarium(["review", "list", "--db", db, "--language", "sv"])
        #expect(review.stdout.contains("förslag väntar på granskning") && review.stdout.contains("Avsändare/mottagare:"), "\(review.stdout)")
        // The restriction and the closing hint in the language too: no English left.
        #expect(review.stdout.contains("sekretess (OSL 21 kap. 1 §); utelämnat: avsändarens namn (NA), vissa ord i rubriken (TRO)")
                && review.stdout.contains("Godkänn: diarium review approve ID"), "\(review.stdout)")
        #expect(!review.stdout.contains("restricted") && !review.stdout.contains("screened") && !review.stdout.contains("Approve:"))
        let wrong = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--language", "de"])
        #expect(wrong.status != 0 && wrong.stderr.contains("--language must be nb, nn, sv or en"), "\(wrong.stderr)")
    }
}
