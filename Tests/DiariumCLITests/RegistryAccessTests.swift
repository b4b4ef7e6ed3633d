import DiariumTestSupport
import Foundation
import Testing

/// What read commands may and may not do to a registry, and `verify` as an auditor runs
/// it: on a missing path, a foreign file, a read-only copy owned by another user.
@Suite("Registry access (command line)", .serialized)
struct RegistryAccessTests {
    static let readCommands: [[String]] = [
        ["verify"], ["status"], ["search", "x"], ["journal", "--date", "2026-11-20"], ["review", "list"],
        ["show", "1"], ["export", "noark5", "--out", "OUT"], ["export", "warc", "--out", "OUT"], ["user", "list"],
    ]

    @Test("a read command on a missing registry is one sentence naming the path, exit 2, and creates nothing", arguments: readCommands)
    func missing(command: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("typo/registry.sqlite").path
        let arguments = command.map { $0 == "OUT" ? dir.file("out").path : $0 } + ["--db", db]
        let result = try runDiarium(arguments)
        #expect(result.status == 2, "\(command): \(result.stderr)")
        #expect(result.stderr.contains(db))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.file("typo").path))
    }

    @Test("a foreign SQLite file is refused by every command, writers included, and left as it was")
    func foreign() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("notes.sqlite")
        // A small SQLite database made by hand: the header and one page with no tables.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table notes(t)'); c.commit()", db.path]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0)
        let before = try Data(contentsOf: db)
        for command in Self.readCommands + [["migrate"], ["review", "approve", "1"], ["user", "remove", "kari"]] {
            let arguments = command.map { $0 == "OUT" ? dir.file("out").path : $0 } + ["--db", db.path]
            let result = try runDiarium(arguments)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("not a Diarium registry"), "\(command): \(result.stderr)")
        }
        #expect(try Data(contentsOf: db) == before)
        #expect(!FileManager.default.fileExists(atPath: db.path + "-wal"))
    }

    @Test("verify, journal and search read a registry another user owns in a folder they may not write; verify prints the head, and an anchor is checked")
    func readOnlyAsAnotherUser() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("registry.sqlite").path
        let demo = try runDiarium(["demo", "--db", db])
        try #require(demo.status == 0, "\(demo.stderr)")
        let first = try runDiarium(["verify", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let headLine = try #require(first.stdout.split(separator: "\n").last { $0.hasPrefix("head ") })
        let head = String(headLine.dropFirst(5))
        #expect(head.split(separator: ":").count == 2)

        // The demo leaves no -wal/-shm after a clean close; the folder then belongs to root
        // with no write bit for others, and the file is read-only: what a backup looks like.
        try? FileManager.default.removeItem(atPath: db + "-wal")
        try? FileManager.default.removeItem(atPath: db + "-shm")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.url.path)
        let copy = dir.file("diarium")
        try FileManager.default.copyItem(at: try diariumBinary(), to: copy)
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let before = try Data(contentsOf: URL(fileURLWithPath: db))

        let verify = try runDiarium(["verify", "--db", db, "--anchor", head], binary: copy, launcher: nobody)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("against 1 witnessed or anchored heads"))
        let journal = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--public"], binary: copy, launcher: nobody)
        #expect(journal.status == 0, "\(journal.stderr)")
        #expect(journal.stdout.contains("2026/"))
        let search = try runDiarium(["search", "--db", db, "bostøtte", "--format", "json"], binary: copy, launcher: nobody)
        #expect(search.status == 0, "\(search.stderr)")
        #expect(!search.stdout.isEmpty)
        let approve = try runDiarium(["review", "approve", "--db", db, "113500000000000002"], binary: copy, launcher: nobody)
        #expect(approve.status != 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)

        let wrong = String(head.prefix { $0 != ":" }) + ":" + String(repeating: "0", count: 64)
        let mismatch = try runDiarium(["verify", "--db", db, "--anchor", wrong], binary: copy, launcher: nobody)
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("rewritten"))
        let beyond = try runDiarium(["verify", "--db", db, "--anchor", "999999:" + String(repeating: "a", count: 64)])
        #expect(beyond.status == 1)
        #expect(beyond.stderr.contains("removed"))
        let malformed = try runDiarium(["verify", "--db", db, "--anchor", "12"])
        #expect(malformed.status == 1)
        #expect(malformed.stderr.contains("ID:HASH"))
    }

    @Test("the printed journal, the Noark 5 extract and the WARC file name the head they were made from, and verify accepts it as an anchor")
    func headsInOutputs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("registry.sqlite").path
        let demo = try runDiarium(["demo", "--db", db])
        try #require(demo.status == 0, "\(demo.stderr)")
        let verify = try runDiarium(["verify", "--db", db])
        let head = try #require(verify.stdout.split(separator: "\n").last { $0.hasPrefix("head ") }).dropFirst(5)
        for format in ["text", "html"] {
            let journal = try runDiarium(["journal", "--db", db, "--date", "2026-11-20", "--public", "--format", format])
            #expect(journal.status == 0, "\(journal.stderr)")
            // A Norwegian registry (profile no, no language named): the foot is in bokmål.
            #expect(journal.stdout.contains("endringslogg \(head)"), "\(format)")
        }
        let noark = try runDiarium(["export", "noark5", "--db", db, "--out", dir.file("noark").path])
        #expect(noark.status == 0, "\(noark.stderr)")
        #expect(noark.stdout.contains("head \(head)"))
        let addml = try String(contentsOf: dir.file("noark/arkivuttrekk.xml"), encoding: .utf8)
        #expect(addml.contains("<value>\(head)</value>"))
        let warc = try runDiarium(["export", "warc", "--db", db, "--out", dir.file("warc").path])
        #expect(warc.status == 0, "\(warc.stderr)")
        let warcFile = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.file("warc").path).first { $0.hasSuffix(".warc") })
        let warcText = String(decoding: try Data(contentsOf: dir.file("warc/\(warcFile)")).prefix(2000), as: UTF8.self)
        #expect(warcText.contains("diarium-chain-head: \(head)"))
        let anchored = try runDiarium(["verify", "--db", db, "--anchor", String(head)])
        #expect(anchored.status == 0, "\(anchored.stderr)")
    }

    @Test("user add refuses a password shorter than 12 characters in one sentence, exit 1, and adds nobody")
    func shortPassword() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("registry.sqlite").path
        #expect(try runDiarium(["migrate", "--db", db]).status == 0)
        let short = try runDiarium(["user", "add", "kari", "--role", "officer", "--db", db], input: "elevenchars\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("at least 12"), "\(short.stderr)")
        #expect(short.stderr.split(separator: "\n").count == 1)
        #expect(!short.stderr.contains("elevenchars"), "the password is never echoed")
        #expect(try runDiarium(["user", "list", "--db", db]).stdout.isEmpty)
        let exact = try runDiarium(["user", "add", "kari", "--role", "officer", "--db", db], input: "twelve chars\n")
        #expect(exact.status == 0, "\(exact.stderr)")
    }

    @Test("with [integrity] witness every writer appends the head, and verify fails once the registry is rolled back")
    func witnessRollback() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.file("state/registry.sqlite").path
        let witness = dir.file("log/witness").path
        try FileManager.default.createDirectory(at: dir.file("log"), withIntermediateDirectories: true)
        let config = dir.file("diarium.toml")
        try Data("""
            [registry]
            path = "\(db)"
            [integrity]
            witness = "\(witness)"
            """.utf8).write(to: config)
        let migrate = try runDiarium(["migrate", "--config", config.path])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let add = try runDiarium(["user", "add", "kari", "--role", "officer", "--config", config.path], input: "a long enough password\n")
        #expect(add.status == 0, "\(add.stderr)")
        // A snapshot of the registry now, restored after one more change.
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: db))
        try? FileManager.default.removeItem(atPath: db + "-wal")
        let remove = try runDiarium(["user", "add", "ola", "--role", "auditor", "--config", config.path], input: "another long password\n")
        #expect(remove.status == 0, "\(remove.stderr)")
        let good = try runDiarium(["verify", "--config", config.path])
        #expect(good.status == 0, "\(good.stderr)")
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: witness)), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)

        try? FileManager.default.removeItem(atPath: db + "-wal")
        try? FileManager.default.removeItem(atPath: db + "-shm")
        try snapshot.write(to: URL(fileURLWithPath: db))
        let rolledBack = try runDiarium(["verify", "--config", config.path])
        #expect(rolledBack.status == 1)
        #expect(rolledBack.stderr.contains(witness))
        #expect(rolledBack.stderr.contains("removed or an older copy was restored"))
    }
}
