import DiariumTestSupport
import Foundation
import Testing

/// The command line as a user runs it: the built binary, real files, exit statuses.
@Suite("Command line", .serialized)
struct CLITests {
    static let question = #"{"platform":"mastodon","account":"etaten","id":"q1","kind":"reply","author":{"id":"9","name":"Kari Nordmann","agency":false},"inReplyTo":"p1","threadRoot":"p1","text":"Hvordan søker jeg om bostøtte?"}"#
    static let answer = #"{"platform":"mastodon","account":"etaten","id":"a1","kind":"reply","author":{"id":"1","name":"Etaten","agency":true},"inReplyTo":"q1","threadRoot":"p1","text":"Du kan søke på papir."}"#

    @Test("classify writes one decision per item with the contract's keys; an answer sees the question", arguments: ["no", "se"])
    func classify(profile: String) throws {
        let result = try runDiarium(["classify", "--profile", profile], input: Self.question + "\n" + Self.answer + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let decisions = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(Set(decisions[0].keys) == ["id", "account", "journal", "type", "status", "access", "retention", "rules", "reason", "profile"])
        #expect(decisions[0]["journal"] as? Bool == true)
        #expect(decisions[0]["type"] as? String == "I")
        #expect(decisions[0]["status"] as? String == "M")
        #expect((decisions[0]["rules"] as? [String])?.first == "\(profile.uppercased())-case")
        #expect(decisions[1]["journal"] as? Bool == true, "an agency answer to a journaled item is journaled")
        #expect((decisions[1]["rules"] as? [String])?.first == "\(profile.uppercased())-agency-answer")
        #expect((decisions[0]["profile"] as? String)?.hasPrefix("\(profile)@") == true)
    }

    @Test("a bad line names its number; the other lines are still decided")
    func classifyBadLine() throws {
        let result = try runDiarium(["classify", "--profile", "no"], input: Self.question + "\n{not json\n" + #"{"id":"x"}"# + "\n" + Self.answer + "\n")
        #expect(result.status == 1)
        #expect(result.stdout.split(separator: "\n").count == 2)
        #expect(result.stderr.contains("line 2"))
        #expect(result.stderr.contains("line 3"))
        #expect(result.stderr.contains("kind"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("a bad config file is one sentence naming the file and key, exit status 2")
    func badConfig() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.file("diarium.toml")
        try Data("[agency]\nprofile = \"dk\"\n".utf8).write(to: file)
        let result = try runDiarium(["run", "--once", "--config", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(file.path))
        #expect(result.stderr.contains("profile"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("demo archives the sample accounts and prints the day's journal with reasons; search and show read the kept registry")
    func demo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("demo.sqlite").path
        let result = try runDiarium(["demo", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        // The demo's agency is Norwegian and names no language: bokmål.
        #expect(result.stdout.contains("Journal for Etaten (demo), 20.11.2026"))
        #expect(result.stdout.contains("Journalført ("))
        #expect(result.stdout.contains("Arkivert, ikke journalført ("))
        #expect(result.stdout.contains("NO-case:"))
        #expect(result.stdout.contains("NO-comment:"))

        let search = try runDiarium(["search", "", "--db", db, "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        let objects = try search.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count >= 14)
        #expect(objects.allSatisfy { $0["id"] != nil && $0["account"] != nil && $0["decision"] != nil && $0["versions"] != nil && $0.keys.contains("journalNumber") && $0.keys.contains("status") })
        #expect(objects.contains { ($0["versions"] as? Int) == 2 })
        #expect(Set(objects.compactMap { $0["platform"] as? String }).isSuperset(of: ["mastodon", "feed", "bluesky", "x"]))
        #expect(objects.contains { ($0["kind"] as? String) == "message" }, "a direct message")
        #expect(objects.contains { !($0["deletedAt"] is NSNull) }, "an item marked deleted")

        let show = try runDiarium(["show", "etaten-mastodon:113500000000000002", "--db", db, "--versions"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("--- version 2"))
        let raw = try runDiarium(["show", "113500000000000002", "--db", db, "--raw", "--version", "1"])
        #expect(raw.stdout.hasPrefix("["))

        let verify = try runDiarium(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stderr)")

        let publicJournal = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--public", "--format", "csv"])
        #expect(publicJournal.status == 0)
        #expect(!publicJournal.stdout.contains("15038710041"))
        #expect(!publicJournal.stdout.contains("Lise Testesen"))

        let queue = try runDiarium(["review", "list", "--db", db, "--format", "json"])
        #expect(queue.status == 0, "\(queue.stderr)")
        let proposals = try queue.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(!proposals.isEmpty && proposals.allSatisfy { ($0["status"] as? String) == "M" })
        let refused = try runDiarium(["review", "override", "113500000000000013", "--db", db, "--journal", "yes"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--reason"))
        let approved = try runDiarium(["review", "approve", "113500000000000011", "--db", db, "--date", "2026-11-21"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved"))
        let overridden = try runDiarium(["review", "override", "113500000000000013", "--db", db, "--journal", "yes", "--reason", "Kept as feedback."])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let shown = try runDiarium(["show", "113500000000000013", "--db", db, "--versions"])
        #expect(shown.stdout.contains("override: old: journal=no"))
        #expect(shown.stdout.contains("why: Kept as feedback."))

        let missing = try runDiarium(["show", "nope", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("diarium: No item nope"))
    }

    @Test("run --once against a config file archives, and a second run stores nothing twice")
    func runOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try DemoServerForCLI.start()
        defer { server.stop() }
        let config = dir.file("diarium.toml")
        try Data("""
            [registry]
            path = "\(dir.file("r.sqlite").path)"
            [agency]
            name = "Etaten"
            profile = "se"
            [poll]
            rescan = "3650d"
            [[account]]
            key = "etaten-mastodon"
            platform = "mastodon"
            base_url = "\(server.baseURL)"
            handle = "etaten"
            [[account]]
            key = "etaten-news"
            platform = "feed"
            url = "\(server.baseURL)/news/rss.xml"
            """.utf8).write(to: config)
        let first = try runDiarium(["run", "--once", "--config", config.path, "--log-level", "error"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("polled 2 accounts"))
        #expect(!first.stdout.contains(" 0 new items"))
        let second = try runDiarium(["run", "--once", "--config", config.path, "--log-level", "error"])
        #expect(second.stdout.contains(" 0 new items, 0 new versions"), "\(second.stdout)")
    }
}
