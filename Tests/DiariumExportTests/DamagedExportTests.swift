import DiariumCore
import DiariumExport
import DiariumOutputs
import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// A registry with one version's JSON and one decision's JSON broken behind its back still
/// exports every item: valid, counted as ever, the damaged ones named and screened.
@Suite("Exports of a registry with damaged rows")
struct DamagedExportTests {
    struct Damaged {
        let dir: TemporaryDirectory
        let registry: Registry
        /// The item whose current version's JSON is broken.
        let brokenItem: ItemRecord
        /// The open journal entry whose decision's JSON is broken, and its public title.
        let brokenDecision: ItemRecord
        let title: String
    }

    /// A copy of the shared fixture registry (the other tests only read it), damaged.
    static func damagedCopy() async throws -> Damaged {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-damaged")
        let path = dir.file("r.sqlite").path
        var configuration = Configuration()
        configuration.readonly = true
        try DatabaseQueue(path: filled.path, configuration: configuration).backup(to: try DatabaseQueue(path: path))
        let registry = try Registry(path: path)
        var journaled = SearchFilter()
        journaled.journaled = true
        journaled.limit = 1000
        let entries = try registry.search("", filter: journaled)
        let open = entries.filter { record in
            let title = JournalEntryView(record: record, isPublic: true).title
            return !record.access.restricted && !record.item.text.isEmpty && !title.contains(where: { "&<>\"'".contains($0) })
        }
        let brokenDecision = try #require(open.first)
        let brokenItem = try #require(entries.first { $0.item.id != brokenDecision.item.id })
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS itemVersionNeverChanged")
            try db.execute(sql: """
                UPDATE itemVersion SET json = '{"id": "broken"' WHERE itemId = (SELECT id FROM item WHERE account = ? AND platformId = ?)
                """, arguments: [brokenItem.item.account, brokenItem.item.id])
            try db.execute(sql: """
                UPDATE decision SET json = '{"journal": "maybe"}' WHERE itemId = (SELECT id FROM item WHERE account = ? AND platformId = ?)
                """, arguments: [brokenDecision.item.account, brokenDecision.item.id])
        }
        return Damaged(dir: dir, registry: registry, brokenItem: brokenItem, brokenDecision: brokenDecision,
                       title: JournalEntryView(record: brokenDecision, isPublic: true).title)
    }

    @Test("noark5: every file validates, the journals count every entry, the damaged items are named and the unreadable decision screened")
    func noark() async throws {
        let damaged = try await Self.damagedCopy()
        defer { damaged.dir.remove() }
        let out = damaged.dir.file("extract")
        let summary = try NoarkExporter(registry: damaged.registry, agencyName: "Etaten", schemaDirectory: ExportFixture.schemas)
            .export(to: out, range: try ExportRange())
        for name in NoarkExportTests.xmlFiles {
            let result = try Tool.xmllint(schema: ExportFixture.schemas.appendingPathComponent("\(name).xsd"), file: out.appendingPathComponent("\(name).xml"))
            #expect(result.status == 0, "\(name).xml: \(result.output)")
        }
        let addml = try Tool.xmllint(schema: ExportFixture.schemas.appendingPathComponent("addml.xsd"), file: out.appendingPathComponent("arkivuttrekk.xml"))
        #expect(addml.status == 0, "arkivuttrekk.xml: \(addml.output)")

        let entries = try damaged.registry.counts().journalEntries
        #expect(summary.journalPosts == entries)
        let published = try XMLScan.scan(out.appendingPathComponent("offentligJournal.xml"))
        #expect(published.all("journalsekvensnummer").count == entries)
        let structure = try String(contentsOf: out.appendingPathComponent("arkivstruktur.xml"), encoding: .utf8)
        #expect(structure.components(separatedBy: "xsi:type=\"journalpost\"").count - 1 == entries)

        let names = Set(summary.damaged.map(\.reference))
        #expect(names == ["\(damaged.brokenItem.item.account):\(damaged.brokenItem.item.id)",
                          "\(damaged.brokenDecision.item.account):\(damaged.brokenDecision.item.id)"])
        #expect(summary.damaged.first { $0.part == .item }?.problem.hasPrefix("not valid JSON") == true)
        // The decision that cannot be read no longer says the entry is open: its title is
        // screened in public, and shown in the running journal.
        let publicText = try String(contentsOf: out.appendingPathComponent("offentligJournal.xml"), encoding: .utf8)
        let runningText = try String(contentsOf: out.appendingPathComponent("loependeJournal.xml"), encoding: .utf8)
        #expect(runningText.contains(damaged.title))
        #expect(!publicText.contains(damaged.title), "\(damaged.title)")
    }

    @Test("warc: the file checks with warcio and holds every capture the undamaged registry's does")
    func warc() async throws {
        let damaged = try await Self.damagedCopy()
        defer { damaged.dir.remove() }
        let summary = try WARCExporter(registry: damaged.registry).export(to: damaged.dir.file("warc"), range: try ExportRange())
        let check = try Tool.warcio(["check", "-v", summary.file])
        #expect(check.status == 0, "\(check.output)")
        let filled = try await ExportFixture.filled()
        #expect(summary.captures == (try filled.registry.exportCaptures(from: "0000-01-01", to: "9999-12-31")).count)
    }
}
