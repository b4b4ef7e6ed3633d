import DiariumCore
@testable import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// The disposal feature is built apart; the FGS export already has its place
/// (`FGSDelivery.disposal(of:)`). These tests hand the delivery a disposal of their own and
/// check the form a disposed item takes, so wiring the feature in only fills the hook.
@Suite("FGS delivery: a disposed item")
struct FGSDisposalTests {
    @Test("a disposed item stays a record with disposal and no files, and the ERMS file still validates")
    func disposedRecord() async throws {
        let package = try await FGSFixture.package()
        let range = try ExportRange()
        let selection = try package.registry.exportSelection(from: range.lower, to: range.upper)
        let target = try #require(selection.items.first { $0.journalEntry != nil && $0.record.access.restricted == false })
        let reference = "\(target.record.item.account):\(target.record.item.id)"
        let decided = Date(timeIntervalSince1970: 1_800_000_000)
        let delivery = try FGSDelivery(
            selection: selection, agency: FGSFixture.agency, softwareVersion: "0.1.0-test", packageID: "diarium-sip-test",
            createdAt: Date(), range: range, timeZone: package.registry.timeZone,
            disposed: { item in
                "\(item.record.item.account):\(item.record.item.id)" == reference
                    ? FGSDelivery.Disposal(disposedAt: decided, mandate: "RA-FS 2021:6") : nil
            })
        let record = try #require(delivery.cases.flatMap(\.records).first { $0.systemIdentifier == reference })
        #expect(record.appendices.isEmpty)
        #expect(record.isRegistered, "a disposed registration keeps its number")
        let others = delivery.cases.flatMap(\.records).filter { $0.systemIdentifier != reference }
        let kept = Set(others.flatMap { $0.appendices.map(\.file.sha256) })
        #expect(Set(delivery.files.keys) == kept, "only files some other record needs stay in the package")

        let dir = try TemporaryDirectory(prefix: "diarium-fgs-disposal")
        defer { dir.remove() }
        let erms = dir.file("erms.xml")
        try ERMSWriter(delivery: delivery).write().write(to: erms)
        let lint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("ERMS.xsd"), file: erms)
        #expect(lint.status == 0, "\(lint.output)")
        let xml = try XMLElements.read(erms)
        #expect(xml.all("disposal").count == 1)
        #expect(xml.all("disposalMandate").map(\.text) == ["RA-FS 2021:6"])
        #expect(xml.all("disposalDate").first?.attributes["dateType"] == "applied")
    }
}
