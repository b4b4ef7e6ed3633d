import DiariumCore
import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

@Suite("WARC export")
struct WARCExportTests {
    @Test("warcio checks every digest, and indexes a request and a response per capture with the exact body")
    func warcio() async throws {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-warc")
        defer { dir.remove() }
        let summary = try WARCExporter(registry: filled.registry).export(to: dir.file("warc"), range: try ExportRange())
        #expect(summary.records == 1 + 2 * summary.captures)
        let check = try Tool.warcio(["check", "-v", summary.file])
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("digest failed"))
        let index = try Tool.warcio(["index", "-f", "warc-type,warc-target-uri,http:status", summary.file])
        #expect(index.status == 0, "\(index.output)")
        let lines = index.output.split(separator: "\n")
        #expect(lines.filter { $0.contains("\"response\"") }.count == summary.captures)
        #expect(lines.filter { $0.contains("\"request\"") }.count == summary.captures)

        // Every capture behind an item version or a deletion is in the file.
        let items = try filled.registry.search("", limit: 10_000)
        var urls: Set<String> = []
        var captureIDs: Set<Int64> = []
        for record in items {
            let detail = try #require(try filled.registry.detail(of: record.item.reference))
            for version in detail.versions { urls.insert(version.capture.url); captureIDs.insert(version.capture.id) }
            if let deletion = detail.deletionCapture { urls.insert(deletion.url); captureIDs.insert(deletion.id) }
        }
        #expect(summary.captures >= captureIDs.count)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: summary.file)), as: UTF8.self)
        for url in urls { #expect(text.contains("WARC-Target-URI: \(url)\r\n"), "\(url)") }
        #expect(!text.lowercased().contains("\r\ncontent-encoding:"), "bodies are stored decoded")
    }

    @Test("base32 digests are those of RFC 4648, as warcio writes them")
    func base32() {
        #expect(WARCDigest.sha256(Data()) == "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ====")
    }

    @Test("a non-empty output folder or an empty range is refused and nothing is written")
    func refusals() async throws {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-warc")
        defer { dir.remove() }
        let busy = dir.file("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: busy.appendingPathComponent("note.txt"))
        let exporter = WARCExporter(registry: filled.registry)
        #expect(throws: ExportUsageError.self) { try exporter.export(to: busy, range: try ExportRange()) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy.path) == ["note.txt"])
        #expect(throws: ExportError.self) { try exporter.export(to: dir.file("none"), range: try ExportRange(from: "1999-01-01", to: "1999-01-01")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["busy"])
    }
}
