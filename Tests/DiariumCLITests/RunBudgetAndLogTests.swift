import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// `run` takes its request budget and its log defaults from the file (issue 14, item 7):
/// a dead host costs `attempts` × `request_timeout`, and the log says which account spent
/// it; `[log]` chooses the level unless `--log-level` does.
@Suite("run: request budget and [log]", .serialized)
struct RunBudgetAndLogTests {
    static func deadFeed(_ refused: RefusedPort) -> String {
        "[[account]]\nkey = \"etaten-dead\"\nplatform = \"feed\"\nurl = \"\(refused.url("/feed.xml"))\"\n"
    }

    @Test("an account whose host never answers is named in the log as having exhausted its attempts")
    func exhausted() throws {
        let dir = try TemporaryDirectory()
        let refused = try RefusedPort()
        defer { dir.remove(); refused.close() }
        let config = try writeTestConfig(dir, poll: ["attempts = 1", "request_timeout = \"5s\""],
                                         accounts: "[log]\nlevel = \"warning\"\nformat = \"text\"\n" + Self.deadFeed(refused))
        let run = try runDiarium(["run", "--once", "--config", config])
        #expect(run.status == 4, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("account etaten-dead exhausted its request budget: no answer after 1 attempts of up to 5 s each"), "\(run.stderr)")
        #expect(!run.stderr.contains(" INFO "), "[log] level = warning holds back info lines: \(run.stderr)")
    }

    @Test("--log-level wins over [log] level")
    func commandLineWins() throws {
        let dir = try TemporaryDirectory()
        let refused = try RefusedPort()
        defer { dir.remove(); refused.close() }
        let config = try writeTestConfig(dir, poll: ["attempts = 1"], accounts: "[log]\nlevel = \"warning\"\n" + Self.deadFeed(refused))
        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "critical"])
        #expect(run.status == 4)
        #expect(!run.stderr.contains("exhausted"), "\(run.stderr)")
    }

    @Test("a mistake in [log] or the budget stops run with one sentence naming the file and key, exit 2")
    func mistakes() throws {
        let cases: [(table: String, poll: [String], key: String)] = [
            ("[log]\nlevel = \"loud\"\n", [], "[log] level"),
            ("[log]\ndestination = \"syslog\"\n", [], "unknown key [log] destination"),
            ("", ["attempts = 0"], "[poll] attempts"),
            ("", ["request_timeout = \"2h\""], "[poll] request_timeout"),
            ("", ["allow_addresses = [\"intranet.example.org\"]"], "[poll] allow_addresses"),
        ]
        for (table, poll, key) in cases {
            let dir = try TemporaryDirectory()
            let refused = try RefusedPort()
            defer { dir.remove(); refused.close() }
            let config = try writeTestConfig(dir, poll: poll, accounts: table + Self.deadFeed(refused))
            let run = try runDiarium(["run", "--once", "--config", config])
            #expect(run.status == 2, "\(key): \(run.stderr)")
            #expect(run.stderr.contains(config) && run.stderr.contains(key), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
    }
}
