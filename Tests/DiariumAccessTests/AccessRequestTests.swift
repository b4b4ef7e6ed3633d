@testable import DiariumAccess
import DiariumConfig
import DiariumCore
@testable import DiariumOutputs
import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// Answering an access request from the command line, checked the way a requester reads
/// it: poppler's `pdftotext` on the PDF, the change log, `show` and `verify`.
@Suite("Access requests (innsyn)", .serialized)
struct AccessRequestTests {
    static let pdftotext = "/usr/bin/pdftotext"

    @Test("a request answered as PDF: the reference, released text with Nordic and Sámi letters, no screened name or number, each basis; logged and shown")
    func answerAsPDF() async throws {
        let f = try await AccessFixture.make()
        defer { f.remove() }
        let config = try f.config()
        let caseNumber = try #require(try f.registry.detail(of: ItemReference(account: "etaten-mastodon", id: AccessFixture.post1))?.record.caseNumber)
        let out = f.dir.file("svar.pdf").path
        let run = try runDiarium(["innsyn", "--config", config, "--request", "INNSYN 2026/17 (Åse Ærlig)", "--case", caseNumber, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("wrote the answer to request INNSYN 2026/17"), "\(run.stdout)")

        let extracted = try output(of: Self.pdftotext, ["-enc", "UTF-8", out, "-"])
        #expect(extracted.status == 0)
        let text = flattened(extracted.text)
        #expect(text.contains("Svar på innsynskrav"))
        #expect(text.contains("INNSYN 2026/17 (Åse Ærlig)"), "the reference")
        #expect(text.contains("Fra: Etaten"))
        // Released text, both versions of the edited question, letters intact.
        for word in ["Kárášjohka", "čállit,", "đ,", "ŋ,", "ŧ,", "ž", "Åsa", "Öberg", "Ärla", "æ,", "ø,", "å.", AccessFixture.samiName] {
            #expect(text.contains(word), "\(word) in the PDF's text")
        }
        #expect(text.contains("Versjon 1 av 2") && text.contains("Versjon 2 av 2"))
        #expect(text.contains("Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?"), "Kari's open question")
        // Screened as the public journal screens: Lise's name and text, Per's number.
        #expect(!text.contains("Lise Testesen"))
        #expect(!text.contains("kronisk sykdom"))
        #expect(!text.contains("15038710041"))
        #expect(!text.contains("150387"))
        #expect(text.contains("Avsenderens navn er avskjermet (hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1)"))
        #expect(text.contains("Teksten er unntatt offentlighet (hjemmel: offl. § 26 femte ledd)"), "Per's restricted text and its basis")
        #expect(text.contains("Slettet på plattformen"), "the deleted spam reply is noted")
        #expect(text.contains("Tråd startet av: Etaten"), "thread context")
        #expect(text.contains("offentleglova § 32"), "the appeal")
        #expect(text.contains("Side 1 av"), "page numbers")

        // A4, every font embedded.
        let info = try output(of: "/usr/bin/pdfinfo", [out])
        #expect(info.text.contains("595.276 x 841.89 pts (A4)"), "\(info.text)")
        let fonts = try output(of: "/usr/bin/pdffonts", [out])
        let fontRows = fonts.text.split(separator: "\n").dropFirst(2)
        #expect(!fontRows.isEmpty)
        #expect(fontRows.allSatisfy { $0.contains("DejaVu") && $0.contains(" yes ") }, "\(fonts.text)")

        // The change log: who, the reference, which items, which withheld; sealed, so verify vouches for it.
        let queue = try DatabaseQueue(path: f.db)
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT actor, action, subject, details FROM changeLog WHERE action = 'access request'")
        }
        let entry = try #require(row)
        #expect((entry["subject"] as String) == "request:INNSYN 2026/17 (Åse Ærlig)")
        let details: String = entry["details"]
        #expect(details.contains("etaten-mastodon:\(AccessFixture.kari)"))
        #expect(details.contains("withheld: etaten-mastodon:\(AccessFixture.lise)") || details.contains("etaten-mastodon:\(AccessFixture.lise) ("))
        #expect(details.contains("offl. § 26 femte ledd"))
        #expect(!(entry["actor"] as String).isEmpty)
        let verify = try runDiarium(["verify", "--db", f.db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // show lists the request, as text and as JSON.
        let show = try runDiarium(["show", "etaten-mastodon:\(AccessFixture.lise)", "--db", f.db])
        #expect(show.stdout.contains("Access requests:\n  INNSYN 2026/17 (Åse Ærlig)"), "\(show.stdout)")
        #expect(show.stdout.contains("withheld"))
        let json = try runDiarium(["show", "etaten-mastodon:\(AccessFixture.kari)", "--db", f.db, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let requests = try #require(object["accessRequests"] as? [[String: Any]])
        #expect(requests.first?["reference"] as? String == "INNSYN 2026/17 (Åse Ærlig)")
        #expect(requests.first?["outcome"] as? String == "released")

        // A row changed behind the program's back is caught.
        try await queue.write { db in try db.execute(sql: "UPDATE accessRequestItem SET withheld = '' WHERE outcome != 'released'") }
        let tampered = try runDiarium(["verify", "--db", f.db])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("access-request item") || tampered.stderr.contains("access-request item"), "\(tampered.stdout)")
    }

    @Test("bad input is one sentence: usage mistakes exit 2; an existing --out is refused and left as it was, nothing logged")
    func badInput() async throws {
        let f = try await AccessFixture.make()
        defer { f.remove() }
        let config = try f.config()
        let out = f.dir.file("a.pdf").path
        for arguments in [
            ["--item", AccessFixture.kari, "--out", out],
            ["--request", "R1", "--item", AccessFixture.kari],
            ["--request", "R1", "--out", out],
            ["--request", "R1", "--item", AccessFixture.kari, "--query", "bostøtte", "--out", out],
            ["--request", "R1", "--item", AccessFixture.kari, "--from", "2026-11-20", "--out", out],
            ["--request", "R1", "--query", "bostøtte", "--from", "20.11.2026", "--out", out],
        ] {
            let run = try runDiarium(["innsyn", "--config", config] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
        let existing = f.dir.file("old.pdf")
        try Data("earlier answer".utf8).write(to: existing)
        let refused = try runDiarium(["innsyn", "--config", config, "--request", "R2", "--item", AccessFixture.kari, "--out", existing.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(existing.path) && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "earlier answer")
        let unknown = try runDiarium(["innsyn", "--config", config, "--request", "R3", "--item", "nope", "--out", out])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("No item nope"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let count = try await DatabaseQueue(path: f.db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accessRequest") }
        #expect(count == 0)
    }

    @Test("a query answered as HTML and CSV in Swedish: escaped, no control character, the personnummer masked under OSL 21 kap. 7 §")
    func htmlAndCSV() async throws {
        let f = try await AccessFixture.make()
        defer { f.remove() }
        let builder = AccessAnswerBuilder(registry: f.registry, agencyName: "Myndigheten", profile: "se", language: .sv,
                                          timeZone: TimeZone(identifier: "Europe/Stockholm")!)
        let answer = try builder.build(reference: "Dnr 2026:42", selection: .items([
            ItemReference(account: "etaten-mastodon", id: AccessFixture.swedish),
            ItemReference(account: "etaten-mastodon", id: AccessFixture.hostile),
            ItemReference(account: "etaten-mastodon", id: AccessFixture.lise),
        ]), now: Timestamp.parse("2026-11-21T08:12:00Z")!)
        let html = AccessAnswerRenderer.html(answer)
        #expect(html.contains("<h1>Svar på begäran om allmän handling</h1>"))
        #expect(html.contains("Datum: 2026-11-21 09:12"), "Swedish date in the agency's zone")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>Bold"))
        #expect(!html.contains("\u{1B}"))
        #expect(!html.contains("811218-9876"))
        #expect(html.contains("Personnummer är maskerade (stöd: OSL 21 kap. 7 §)"))
        #expect(html.contains("Texten omfattas av sekretess"))
        #expect(!html.contains("Lise Testesen"))

        let csv = AccessAnswerRenderer.csv(answer)
        #expect(csv.hasPrefix("begäran,handling,utfall,"), "the header in the answer's language")
        #expect(csv.contains(",delvis utlämnad,"))
        // CRLF ends each record (RFC 4180); no other control character, in any cell.
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars.contains { TerminalText.isUnsafe($0) })
        #expect(csv.contains("␛[2J"), "the escape is shown, not sent")
        #expect(!csv.contains("811218-9876"))
        #expect(!csv.contains("Lise Testesen"))
        #expect(csv.contains("OSL 21 kap. 7 §"))
        #expect(answer.items.map(\.outcome) == [.partly, .released, .withheld])
    }

    @Test("[agency] language chooses the answer's language; a search with days answers its hits; an unknown language is refused naming the key")
    func configuredLanguage() async throws {
        let f = try await AccessFixture.make()
        defer { f.remove() }
        let config = try f.config(language: "sv")
        let out = f.dir.file("svar.html").path
        let run = try runDiarium(["innsyn", "--config", config, "--request", "Dnr 2026:7", "--query", "Kárášjohka",
                                  "--from", "2026-11-20", "--to", "2026-11-20", "--out", out, "--format", "html"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<html lang=\"sv\">"))
        #expect(html.contains("Svar på begäran om allmän handling"))
        #expect(html.contains("Kárášjohka"))
        #expect(html.contains("Antal handlingar: 1"))
        let requests = try f.registry.accessRequests(of: ItemReference(account: "etaten-mastodon", id: AccessFixture.sami))
        #expect(requests.map(\.format) == ["html"])

        let bad = f.dir.file("bad.toml")
        try Data("[agency]\nlanguage = \"dk\"\n".utf8).write(to: bad)
        #expect(throws: ConfigurationError.self) { try DiariumConfiguration.load(from: bad.path) }
        let refused = try runDiarium(["innsyn", "--config", bad.path, "--request", "R", "--item", "x", "--out", f.dir.file("x.pdf").path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("[agency] language"), "\(refused.stderr)")
    }

    @Test("the language catalogue: dates per language in the agency's zone, every key in English, the profile's default")
    func catalogue() {
        let date = Timestamp.parse("2025-11-20T08:12:00Z")!
        let oslo = TimeZone(identifier: "Europe/Oslo")!
        #expect(Language.nb.dateTime(date, in: oslo) == "20.11.2025 09:12")
        #expect(Language.nn.dateTime(date, in: oslo) == "20.11.2025 09:12")
        #expect(Language.sv.dateTime(date, in: oslo) == "2025-11-20 09:12")
        #expect(Language.en.dateTime(date, in: oslo) == "2025-11-20 09:12")
        #expect(Language.chosen(nil, profile: "no") == .nb)
        #expect(Language.chosen(nil, profile: "se") == .sv)
        #expect(Language.chosen("nn", profile: "se") == .nn)
        #expect(MessageKey.allCases.allSatisfy { Messages.table[$0]?[.en] != nil })
        #expect(Messages.text(.accessPage, .nb, "2", "5") == "Side 2 av 5")
        #expect(Messages.text(.accessTitle, .sv) == "Svar på begäran om allmän handling")
    }
}
