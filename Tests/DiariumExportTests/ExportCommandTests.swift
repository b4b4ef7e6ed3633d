import DiariumTestSupport
import Foundation
import Testing

@Suite("diarium export (command line)")
struct ExportCommandTests {
    @Test("export noark5 writes a validating extract and says what it wrote")
    func happyPath() async throws {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-cli-export")
        defer { dir.remove() }
        let out = dir.file("extract")
        let result = try runDiarium(["export", "noark5", "--db", filled.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote a Noark 5 extract to \(out.path)"))
        // The demo leaves proposals unreviewed: the archivist is told before delivering them.
        #expect(result.stdout.contains("still await review (status M)"), "\(result.stdout)")
        let lint = try Tool.xmllint(schema: ExportFixture.schemas.appendingPathComponent("arkivstruktur.xsd"),
                                    file: out.appendingPathComponent("arkivstruktur.xml"))
        #expect(lint.status == 0, "\(lint.output)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("offentligJournal.xml").path))
    }

    @Test("a folder that is not empty is one sentence and exit 1, and stays as it was")
    func busyFolder() async throws {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-cli-export")
        defer { dir.remove() }
        try Data("keep".utf8).write(to: dir.file("note.txt"))
        for format in ["noark5", "warc"] {
            let result = try runDiarium(["export", format, "--db", filled.path, "--out", dir.url.path])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("diarium: The output folder"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["note.txt"])
        }
        let empty = try runDiarium(["export", "warc", "--db", filled.path, "--out", dir.file("x").path, "--from", "1999-01-01", "--to", "1999-01-02"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("nothing was exported"))
    }
}
