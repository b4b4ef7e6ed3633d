import DiariumDemo
import DiariumReplay
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// One absurd date or one damaged row never blinds the auditor: every command goes on
/// with every other item and names the one it could not read (issue 12).
@Suite("Command line over absurd dates and damaged rows", .serialized)
struct RobustnessCLITests {
    /// A config with the demo's Mastodon account (it has journal entries, which a Noark 5
    /// extract needs) and, when given, a feed at `feedURL`.
    static func config(_ dir: TemporaryDirectory, demo: ReplayServer, feedURL: String? = nil) throws -> String {
        var accounts = """
            [[account]]
            key = "etaten-mastodon"
            platform = "mastodon"
            base_url = "\(demo.baseURL)"
            handle = "etaten"

            """
        if let feedURL {
            accounts += """
                [[account]]
                key = "etaten-kunngjoringer"
                platform = "feed"
                url = "\(feedURL)"

                """
        }
        return try writeTestConfig(dir, accounts: accounts)
    }

    /// JSON lines as objects.
    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// `xmllint --noout --schema` on each XML file of a Noark 5 extract; a missing xmllint fails.
    static func validate(_ extract: URL) throws {
        let xmllint = try #require(["/usr/bin/xmllint", "/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "xmllint is missing: install Debian's libxml2-utils (`make test` does)")
        let schemas = repositoryRoot.appendingPathComponent("schemas/noark5")
        for (file, schema) in [("arkivstruktur", "arkivstruktur"), ("loependeJournal", "loependeJournal"), ("offentligJournal", "offentligJournal"),
                               ("endringslogg", "endringslogg"), ("arkivuttrekk", "addml")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: xmllint)
            process.arguments = ["--noout", "--schema", schemas.appendingPathComponent("\(schema).xsd").path, extract.appendingPathComponent("\(file).xml").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(file).xml does not validate")
        }
    }

    @Test("a feed's pubDate 9999-12-31T23:59:59-99:99, one of 1969 and one in 2200: stored without a date, logged, and every command works")
    func absurdDates() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let demo = try DemoServerForCLI.start()
        defer { demo.stop() }
        let feed = try ReplayServer(routes: [
            ReplayRoute(path: "/kunngjoringer.xml", headers: [ReplayHeader("Content-Type", "application/rss+xml")],
                        body: try Fixture.data("feed/rss-absurd-dates.xml")),
        ])
        defer { feed.stop() }
        let config = try Self.config(dir, demo: demo, feedURL: feed.baseURL + "/kunngjoringer.xml")

        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "warning", "--log-format", "text"])
        #expect(run.status == 0, "\(run.stderr)")
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("account=etaten-kunngjoringer") }
        #expect(warnings.count == 3, "\(run.stderr)")
        #expect(warnings.contains { $0.contains("item kunngjoring-evig: published date '9999-12-31T23:59:59-99:99' is not a date") })
        #expect(warnings.contains { $0.contains("item kunngjoring-1969: createdAt 1969-12-31T23:00:00Z is not a plausible date") })
        #expect(warnings.contains { $0.contains("item kunngjoring-2200: createdAt 2200-01-01T00:00:00Z is not a plausible date") })

        let search = try runDiarium(["search", "--config", config, "--account", "etaten-kunngjoringer", "--format", "json"])
        #expect(search.status == 0 && search.stderr.isEmpty, "\(search.stderr)")
        let items = try Self.objects(search.stdout)
        #expect(items.count == 4)
        for item in items where item["id"] as? String != "kunngjoring-frist" {
            #expect(item["createdAt"] is NSNull, "\(item["id"] ?? "?")")
            #expect(item["damaged"] == nil)
        }
        #expect(items.first { $0["id"] as? String == "kunngjoring-frist" }?["createdAt"] as? String == "2026-11-20T09:00:00Z")

        let show = try runDiarium(["show", "--config", config, "kunngjoring-evig", "--versions"])
        #expect(show.status == 0 && show.stderr.isEmpty, "\(show.stderr)")
        #expect(show.stdout.contains("Created:  -"))
        #expect(show.stdout.contains("Ny åpningstid i skranken"))
        #expect(!show.stdout.contains("Damaged"))
        let raw = try runDiarium(["show", "--config", config, "kunngjoring-evig", "--raw"])
        #expect(raw.stdout.contains("<pubDate>9999-12-31T23:59:59-99:99</pubDate>"), "the raw capture keeps what the feed sent")

        let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
        let journal = try runDiarium(["journal", "--config", config, "--date", String(today)])
        #expect(journal.status == 0 && journal.stderr.isEmpty, "\(journal.stderr)")
        #expect(journal.stdout.contains("etaten-kunngjoringer:kunngjoring-2200"))
        #expect(try runDiarium(["journal", "--config", config, "--date", DemoScenario.sampleDay]).status == 0)

        let noark = try runDiarium(["export", "noark5", "--config", config, "--out", dir.file("noark").path])
        #expect(noark.status == 0 && noark.stderr.isEmpty, "\(noark.stderr)")
        try Self.validate(dir.file("noark"))
        let warc = try runDiarium(["export", "warc", "--config", config, "--out", dir.file("warc").path])
        #expect(warc.status == 0 && warc.stderr.isEmpty, "\(warc.stderr)")
    }

    @Test("one version's JSON and one decision's JSON broken with SQL: every command reads the rest and names them on stderr")
    func damagedRows() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let demo = try DemoServerForCLI.start()
        defer { demo.stop() }
        let config = try Self.config(dir, demo: demo)
        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "error"])
        #expect(run.status == 0, "\(run.stderr)")

        let queue = try DatabaseQueue(path: dir.file("r.sqlite").path)
        let (broken, undecided, total) = try queue.write { db -> (String, String, Int) in
            let ids = try String.fetchAll(db, sql: """
                SELECT i.platformId FROM item i JOIN journalEntry j ON j.itemId = i.id WHERE j.status = 'M' ORDER BY j.sequence LIMIT 2
                """)
            try db.execute(sql: "DROP TRIGGER itemVersionNeverChanged")
            try db.execute(sql: "UPDATE itemVersion SET json = '{\"id\": 12' WHERE itemId = (SELECT id FROM item WHERE platformId = ?)", arguments: [ids[0]])
            try db.execute(sql: "UPDATE decision SET json = '{\"type\": \"Q\"}' WHERE itemId = (SELECT id FROM item WHERE platformId = ?)", arguments: [ids[1]])
            return (ids[0], ids[1], try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0)
        }
        let brokenWarning = "diarium: warning: etaten-mastodon:\(broken) version 1: the stored item could not be read: not valid JSON"
        let decisionWarning = "diarium: warning: etaten-mastodon:\(undecided) version 1: the stored decision could not be read: "

        let search = try runDiarium(["search", "--config", config, "--format", "json", "--limit", "1000"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stderr.contains(brokenWarning) && search.stderr.contains(decisionWarning), "\(search.stderr)")
        let items = try Self.objects(search.stdout)
        #expect(items.count == total)
        #expect(items.filter { $0["damaged"] != nil }.compactMap { $0["id"] as? String }.sorted() == [broken, undecided].sorted())
        #expect(items.filter { $0["damaged"] == nil }.allSatisfy { $0["decision"] is [String: Any] })

        for arguments in [["search", "--config", config], ["journal", "--config", config, "--date", DemoScenario.sampleDay],
                          ["journal", "--config", config, "--date", DemoScenario.sampleDay, "--public", "--format", "csv"],
                          ["review", "list", "--config", config], ["review", "list", "--config", config, "--format", "json"]] {
            let result = try runDiarium(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(brokenWarning), "\(arguments): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }

        let show = try runDiarium(["show", "--config", config, broken, "--versions"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stderr.contains(brokenWarning))
        #expect(show.stdout.contains("Damaged:  version 1: the stored item could not be read: not valid JSON"))
        #expect(show.stdout.contains("Journal:  20"), "the journal entry is read from its columns")
        #expect(show.stdout.contains("Decision: journal=yes"), "the decision still reads")
        let raw = try runDiarium(["show", "--config", config, broken, "--raw", "--version", "1"])
        #expect(raw.status == 0 && !raw.stdout.isEmpty, "the captured bytes are intact")
        let showDecision = try runDiarium(["show", "--config", config, undecided, "--format", "json"])
        #expect(showDecision.status == 0 && showDecision.stderr.contains(decisionWarning))

        let noark = try runDiarium(["export", "noark5", "--config", config, "--out", dir.file("noark").path])
        #expect(noark.status == 0, "\(noark.stderr)")
        #expect(noark.stderr.contains(brokenWarning) && noark.stderr.contains(decisionWarning), "\(noark.stderr)")
        try Self.validate(dir.file("noark"))
        let warc = try runDiarium(["export", "warc", "--config", config, "--out", dir.file("warc").path])
        #expect(warc.status == 0, "\(warc.stderr)")
    }
}
