import DiariumCore
@testable import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// A disposed (gallrad) item in the FGS delivery: it stays a record, from its tombstone,
/// with `disposal` and without files or anything of its content, and the ERMS file still
/// validates.
@Suite("FGS delivery: a disposed item")
struct FGSDisposalTests {
    @Test("a disposed item stays a record with disposal and no files, and the ERMS file still validates")
    func disposedRecord() async throws {
        let package = try await FGSFixture.package()
        let dir = try TemporaryDirectory(prefix: "diarium-fgs-disposal")
        defer { dir.remove() }
        let path = dir.file("r.sqlite").path
        var readOnly = Configuration()
        readOnly.readonly = true
        try DatabaseQueue(path: package.registryPath, configuration: readOnly).backup(to: try DatabaseQueue(path: path))
        let registry = try Registry(path: path, timeZone: package.registry.timeZone)

        var outside = SearchFilter()
        outside.journaled = false
        outside.limit = 1000
        let target = try #require(try registry.search("", filter: outside).first { $0.journalNumber == nil && !$0.item.text.isEmpty })
        let reference = "\(target.item.account):\(target.item.id)"
        let words = target.item.text.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 6 }
        _ = try registry.disposeItem(ItemReference(account: target.item.account, id: target.item.id),
                                     reason: "Begäran om radering enligt GDPR art. 17", actor: "arkivarie")

        let out = dir.file("leverans")
        let summary = try FGSExporter(registry: registry, agency: FGSFixture.agency, softwareVersion: "0.1.0-test",
                                      schemaDirectory: FGSFixture.schemas).export(to: out, range: try ExportRange())
        let root = URL(fileURLWithPath: summary.folder)
        let erms = root.appendingPathComponent("representations/rep1/data/erms.xml")
        let lint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("ERMS.xsd"), file: erms)
        #expect(lint.status == 0, "\(lint.output)")

        let xml = try XMLElements.read(erms)
        let records = xml.all("record").filter { $0.attributes["systemIdentifier"] == reference }
        #expect(records.count == 1, "the disposed item is still one record")
        #expect(xml.all("disposal").count == 1)
        #expect(xml.all("disposalMandate").map(\.text) == ["Begäran om radering enligt GDPR art. 17"])
        #expect(xml.all("disposalDate").first?.attributes["dateType"] == "applied")
        let text = try String(contentsOf: erms, encoding: .utf8)
        let disposedRecord = try #require(text.range(of: "systemIdentifier=\"\(reference)\"").map { String(text[$0.lowerBound...]) })
        let ownPart = String(disposedRecord[..<(disposedRecord.range(of: "</record>")?.lowerBound ?? disposedRecord.endIndex)])
        #expect(!ownPart.contains("appendix"), "a disposed record lists no files")
        for file in FGSFixture.metadataFiles {
            let metadata = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for word in words where !registry.isTextOfAnotherItem(word, besides: target.item.id) {
                #expect(!metadata.contains(word), "\(file) holds «\(word)» of the disposed item")
            }
        }
        #expect(!ownPart.contains(target.item.text))
    }
}

extension Registry {
    /// Whether a kept item's text holds `word` too (then finding it proves nothing).
    fileprivate func isTextOfAnotherItem(_ word: String, besides id: String) -> Bool {
        var all = SearchFilter()
        all.limit = 1000
        return ((try? search("", filter: all)) ?? []).contains { $0.item.id != id && $0.item.text.contains(word) }
    }
}
