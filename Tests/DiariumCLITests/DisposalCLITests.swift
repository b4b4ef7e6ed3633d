import DiariumTestSupport
import Foundation
import Testing

/// The records officer's disposal workflow from the command line, as the README tells
/// it: a local retention period, a hold on a thread, a plan, its execution with a
/// reason, the report for the archive leader, and `verify` afterwards.
@Suite("Disposal on the command line", .serialized)
struct DisposalCLITests {
    static let localRules = """
        [profile]
        local = "etaten-gallring"

        [[rule]]
        id = "NO-comment"
        from = "public"
        journal = false
        type = "I"
        retention = "K"
        keep = "1d"
        retention_basis = "Etatens kassasjonsvedtak 2026/7"
        reason = "Comments without a question or request are disposed of the day after they were posted (local disposal decision 2026/7)."

        [[rule]]
        id = "NO-spam"
        from = "public"
        any = ["spam"]
        journal = false
        type = "I"
        retention = "K"
        keep = "1d"
        retention_basis = "Etatens kassasjonsvedtak 2026/7"
        reason = "Spam is disposed of the day after it was posted (local disposal decision 2026/7)."
        """

    static func json(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test("set a local period, hold a thread, plan, execute with a reason, report, verify; release makes the thread due")
    func wholeWorkflow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let rules = dir.file("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(Self.localRules.utf8).write(to: rules.appendingPathComponent("no.toml"))
        let server = try DemoServerForCLI.start()
        defer { server.stop() }
        let config = try writeTestConfig(dir, agency: ["rules = \"\(rules.path)\""], accounts: """
            [[account]]
            key = "etaten-mastodon"
            platform = "mastodon"
            base_url = "\(server.baseURL)"
            handle = "etaten"
            [[account]]
            key = "etaten-facebook"
            platform = "facebook"
            base_url = "\(server.baseURL)/fb"
            handle = "104857290000001"

            """)
        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "error"])
        try #require(run.status == 0, "\(run.stdout)\n\(run.stderr)")

        // The decisions carry the local period and the day it ends.
        let all = try Self.json(try runDiarium(["search", "--config", config, "--format", "json", "--limit", "1000"]).stdout)
        let comments = all.filter { ["NO-comment", "NO-spam"].contains((($0["decision"] as? [String: Any])?["rules"] as? [String])?.first ?? "") }
        try #require(comments.count >= 3, "the demo has comments and spam: \(all.count) items")
        let rulesOf = Dictionary(uniqueKeysWithValues: comments.map { ("\($0["account"] as! String):\($0["id"] as! String)", (($0["decision"] as? [String: Any])?["rules"] as? [String])?.first ?? "") })
        let decision = try #require(comments[0]["decision"] as? [String: Any])
        #expect(decision["retention"] as? String == "K" && decision["retentionPeriod"] as? String == "1d")
        #expect(decision["retentionEnds"] as? String == "2026-11-21")
        let show = try runDiarium(["show", "\(comments[0]["account"] as! String):\(comments[0]["id"] as! String)", "--config", config])
        #expect(show.stdout.contains("Retention: K 1d, ends 2026-11-21"), "\(show.stdout)")

        // A hold on the thread of one comment.
        let heldRoot = comments[0]["threadRoot"] as? String ?? (comments[0]["id"] as! String)
        let noReason = try runDiarium(["hold", "add", "innsyn-2026-88", "--thread", "\(comments[0]["account"] as! String):\(comments[0]["id"] as! String)", "--config", config])
        #expect(noReason.status != 0 && noReason.stderr.contains("--reason"))
        let hold = try runDiarium(["hold", "add", "innsyn-2026-88", "--thread", "\(comments[0]["account"] as! String):\(comments[0]["id"] as! String)",
                                   "--reason", "Innsynskrav under behandling", "--config", config])
        #expect(hold.status == 0, "\(hold.stderr)")
        #expect(try runDiarium(["hold", "list", "--config", config]).stdout.contains("innsyn-2026-88"))
        // show names the hold that keeps the item, in text and JSON.
        let heldItem = "\(comments[0]["account"] as! String):\(comments[0]["id"] as! String)"
        let shown = try runDiarium(["show", heldItem, "--config", config])
        #expect(shown.stdout.contains("Legal holds (never disposed while one stands):") && shown.stdout.contains("innsyn-2026-88")
                && shown.stdout.contains("Innsynskrav under behandling"), "\(shown.stdout)")
        let shownJSON = try Self.json(try runDiarium(["show", heldItem, "--config", config, "--format", "json"]).stdout)
        let holds = try #require(shownJSON.first?["holds"] as? [[String: Any]])
        #expect(holds.first?["name"] as? String == "innsyn-2026-88" && holds.first?["scope"] as? String == "thread")

        // The plan: only due items, none of the held thread, none journaled.
        let plan = try runDiarium(["dispose", "plan", "--as-of", "2030-01-01", "--format", "json", "--config", config])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stderr.hasPrefix("disposal plan ") && plan.stderr.contains(" due, ") && plan.stderr.contains(" held, "), "\(plan.stderr)")
        let planned = try Self.json(plan.stdout)
        let journaled = Set(all.filter { !($0["journalNumber"] is NSNull) }.map { $0["id"] as! String })
        let heldThread = Set(all.filter { ($0["account"] as? String) == (comments[0]["account"] as? String)
            && ($0["threadRoot"] as? String ?? ($0["id"] as! String)) == heldRoot }.map { $0["id"] as! String })
        #expect(!planned.isEmpty, "items of another thread are due")
        for item in planned {
            for key in ["plan", "id", "account", "rule", "retention", "disposeAfter"] { #expect(item[key] != nil, "\(key) in \(item)") }
            #expect(!journaled.contains(item["id"] as! String) && !heldThread.contains(item["id"] as! String))
            #expect(item["retention"] as? String == "K")
        }
        let number = "\(planned.first?["plan"] as? Int ?? 1)"
        // With nothing due, JSON prints no line, and the plan's number still reaches the officer.
        let none = try runDiarium(["dispose", "plan", "--as-of", "2026-11-20", "--format", "json", "--config", config])
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.contains("as of 2026-11-20: 0 due"), "\(none.stderr)")
        let text = try runDiarium(["dispose", "plan", "--as-of", "2026-11-20", "--language", "en", "--config", config])
        #expect(text.status == 0 && text.stdout.contains("Due for disposal: 0") && text.stdout.contains("Held"), "\(text.stdout)")
        // Without --language, the agency's (bokmål for profile no); a bad one records no plan.
        let norwegian = try runDiarium(["dispose", "plan", "--as-of", "2026-11-20", "--config", config])
        #expect(norwegian.stdout.contains("Kassasjonsliste") && norwegian.stdout.contains("per 20.11.2026")
                && norwegian.stdout.contains("Kan kasseres: 0") && norwegian.stdout.contains("Holdt tilbake"), "\(norwegian.stdout)")
        let plansBefore = try runDiarium(["dispose", "list", "--config", config]).stdout
        let badLanguage = try runDiarium(["dispose", "plan", "--language", "de", "--config", config])
        #expect(badLanguage.status == 2 && badLanguage.stderr.contains("--language"))
        #expect(try runDiarium(["dispose", "list", "--config", config]).stdout == plansBefore)

        // Execute: refused without a reason; then disposes the plan's items.
        let refused = try runDiarium(["dispose", "execute", number, "--config", config])
        #expect(refused.status != 0 && refused.stderr.contains("--reason") && refused.stderr.split(separator: "\n").count == 1)
        let execute = try runDiarium(["dispose", "execute", number, "--reason", "Kassasjonsliste godkjent av arkivleder 2030-01-02", "--config", config])
        #expect(execute.status == 0, "\(execute.stderr)")
        for item in planned {
            let id = "\(item["account"] as! String):\(item["id"] as! String)"
            let gone = try runDiarium(["show", id, "--config", config])
            #expect(gone.status == 0 && gone.stdout.contains("DISPOSED") && gone.stdout.contains("plan \(number)"), "\(gone.stdout)")
            let raw = try runDiarium(["show", id, "--raw", "--config", config])
            #expect(raw.status != 0 && raw.stdout.isEmpty && raw.stderr.contains("disposed"))
            let original: String = all.first { ($0["id"] as! String) == (item["id"] as! String) }?["text"] as? String ?? ""
            let long: [String] = original.components(separatedBy: " ").filter { $0.count > 6 }
            let words: String = long.prefix(2).joined(separator: " ")
            if !words.isEmpty {
                let found = try Self.json(try runDiarium(["search", "\"\(words)\"", "--config", config, "--format", "json"]).stdout)
                #expect(!found.contains { ($0["id"] as? String) == (item["id"] as? String) })
            }
        }
        let journal = try runDiarium(["journal", "--date", "2026-11-20", "--config", config, "--format", "json"])
        #expect(journal.status == 0, "\(journal.stderr)")
        #expect(Set(try Self.json(journal.stdout).map { $0["id"] as! String }).isDisjoint(with: planned.map { $0["id"] as! String }))

        // The report for the archive leader, text and CSV.
        let report = try runDiarium(["dispose", "report", number, "--language", "en", "--config", config])
        #expect(report.status == 0 && report.stdout.contains("Disposed: \(planned.count) item") && report.stdout.contains("Archive leader"), "\(report.stdout)")
        // The archive leader of a Norwegian agency signs it in bokmål, a Swedish one in Swedish.
        let bokmål = try runDiarium(["dispose", "report", number, "--config", config])
        for words in ["Kassasjonsrapport — kassasjonsliste \(number)", "Kassert: \(planned.count) element", "Bevart på grunn av rettslig bevaringsplikt:",
                      "Kassasjonsliste godkjent av arkivleder 2030-01-02", "Godkjent for kassasjon:", "Arkivleder: ____"] {
            #expect(bokmål.stdout.contains(words), "nb report lacks \(words): \(bokmål.stdout)")
        }
        #expect(!bokmål.stdout.contains("Disposed") && !bokmål.stdout.contains("Archive leader"))
        let swedish = try runDiarium(["dispose", "report", number, "--language", "sv", "--config", config])
        #expect(swedish.stdout.contains("Gallringsrapport — gallringsplan \(number)") && swedish.stdout.contains("Arkivansvarig: ____"), "\(swedish.stdout)")
        let csvNB = try runDiarium(["dispose", "report", number, "--format", "csv", "--config", config])
        #expect(csvNB.stdout.hasPrefix("del,konto,regel,element,antall,detaljer\r\n") && csvNB.stdout.contains("\r\nkassert,"), "\(csvNB.stdout)")
        let csv = try runDiarium(["dispose", "report", number, "--format", "csv", "--language", "en", "--config", config])
        #expect(csv.stdout.hasPrefix("section,account,rule,item,count,detail"))
        for item in planned { #expect(csv.stdout.contains("disposed,\(item["account"] as! String),\(item["rule"] as! String),,"), "\(csv.stdout)") }
        #expect(planned.allSatisfy { rulesOf["\($0["account"] as! String):\($0["id"] as! String)"] == ($0["rule"] as? String) })

        // The WARC export holds no body a disposal removed.
        let warc = try runDiarium(["export", "warc", "--out", dir.file("warc").path, "--config", config])
        #expect(warc.status == 0, "\(warc.stderr)")
        let verify = try runDiarium(["verify", "--config", config])
        #expect(verify.status == 0, "\(verify.stdout)\n\(verify.stderr)")
        #expect(verify.stdout.contains("\(planned.count) disposed item"), "\(verify.stdout)")

        // Released, the thread's comments are due in the next plan.
        #expect(try runDiarium(["hold", "release", "innsyn-2026-88", "--reason", "Innsynskravet er avgjort", "--config", config]).status == 0)
        #expect(!(try runDiarium(["show", heldItem, "--config", config]).stdout.contains("innsyn-2026-88")), "a released hold no longer keeps it")
        let next = try Self.json(try runDiarium(["dispose", "plan", "--as-of", "2030-01-01", "--format", "json", "--config", config]).stdout)
        let heldComments = comments.map { $0["id"] as! String }.filter { heldThread.contains($0) }
        #expect(Set(next.map { $0["id"] as! String }) == Set(heldComments), "\(next)")
    }
}
