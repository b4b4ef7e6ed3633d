import DiariumCore
import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

@Suite("Noark 5 arkivuttrekk")
struct NoarkExportTests {
    static let xmlFiles = ["arkivstruktur", "loependeJournal", "offentligJournal", "endringslogg"]

    func export(_ registry: Registry, range: ExportRange? = nil) throws -> (TemporaryDirectory, URL, NoarkExportSummary) {
        let dir = try TemporaryDirectory(prefix: "diarium-noark")
        let out = dir.file("extract")
        let summary = try NoarkExporter(registry: registry, agencyName: "Etaten & <Co>", schemaDirectory: ExportFixture.schemas)
            .export(to: out, range: try range ?? ExportRange())
        return (dir, out, summary)
    }

    /// Every file of the extract, relative to it.
    func files(in folder: URL) throws -> Set<String> {
        var out: Set<String> = []
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out.insert(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
        }
        return out
    }

    @Test("every XML file validates against its schema with xmllint, and arkivuttrekk.xml against ADDML")
    func validates() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        for name in Self.xmlFiles {
            let result = try Tool.xmllint(schema: ExportFixture.schemas.appendingPathComponent("\(name).xsd"), file: out.appendingPathComponent("\(name).xml"))
            #expect(result.status == 0, "\(name).xml: \(result.output)")
        }
        let addml = try Tool.xmllint(schema: ExportFixture.schemas.appendingPathComponent("addml.xsd"), file: out.appendingPathComponent("arkivuttrekk.xml"))
        #expect(addml.status == 0, "arkivuttrekk.xml: \(addml.output)")
        // The copies in the extract are the shipped schemas, byte for byte.
        for name in NoarkSchemas.files {
            #expect(FileManager.default.contents(atPath: out.appendingPathComponent(name).path)
                    == FileManager.default.contents(atPath: ExportFixture.schemas.appendingPathComponent(name).path))
        }
    }

    @Test("the three files count the same journal posts as the registry, delivered Arkivert in closed case files")
    func journalCounts() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, summary) = try export(filled.registry)
        defer { dir.remove() }
        let registryCount = try filled.registry.counts().journalEntries
        #expect(registryCount > 0)
        let structure = try String(contentsOf: out.appendingPathComponent("arkivstruktur.xml"), encoding: .utf8)
        let inStructure = structure.components(separatedBy: "xsi:type=\"journalpost\"").count - 1
        let running = try XMLScan.scan(out.appendingPathComponent("loependeJournal.xml"))
        let published = try XMLScan.scan(out.appendingPathComponent("offentligJournal.xml"))
        #expect(inStructure == registryCount)
        #expect(running.all("journalsekvensnummer").count == registryCount)
        #expect(published.all("journalsekvensnummer").count == registryCount)
        #expect(running.all("antallJournalposter") == [String(registryCount)])
        #expect(published.all("antallJournalposter") == [String(registryCount)])
        #expect(summary.journalPosts == registryCount)
        let scan = try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml"))
        #expect(Set(scan.all("journalstatus")) == ["Arkivert"])
        #expect(Set(scan.all("saksstatus")) == ["Avsluttet"])
        #expect(Set(scan.all("dokumentstatus")) == ["Dokumentet er ferdigstilt"])
        #expect(Set(scan.all("journalposttype")).isSubset(of: ["Inngående dokument", "Utgående dokument"]))
        // Same systemIDs for the same journal posts in all three files.
        #expect(Set(running.all("systemID")) == Set(published.all("systemID")))
        #expect(Set(running.all("systemID")).isSubset(of: Set(scan.all("systemID"))))
    }

    @Test("a range selects journal posts by journaldato; its journals count that day's posts")
    func range() async throws {
        let filled = try await ExportFixture.filled()
        let (allDir, all, _) = try export(filled.registry)
        defer { allDir.remove() }
        let days = try XMLScan.scan(all.appendingPathComponent("arkivstruktur.xml")).all("journaldato")
        let day = try #require(days.first)
        let expected = days.filter { $0 == day }.count
        let (dir, out, summary) = try export(filled.registry, range: try ExportRange(from: day, to: day))
        defer { dir.remove() }
        #expect(summary.journalPosts == expected)
        let published = try XMLScan.scan(out.appendingPathComponent("offentligJournal.xml"))
        #expect(published.all("journalsekvensnummer").count == expected)
        #expect(Set(try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml")).all("journaldato")) == [day])
    }

    @Test("arkivuttrekk.xml lists the XML files and schemas with a matching SHA-256 and size; arkivstruktur.xml every document file")
    func checksums() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        let addml = try String(contentsOf: out.appendingPathComponent("arkivuttrekk.xml"), encoding: .utf8)
        let pattern = try Regex(#"<property name="file">\s*<properties>\s*<property name="name">\s*<value>([^<]+)</value>.*?<property name="value">\s*<value>([0-9a-f]{64})</value>.*?<property dataType="integer" name="size">\s*<value>(\d+)</value>"#)
            .dotMatchesNewlines()
        var listed: Set<String> = []
        for match in addml.matches(of: pattern) {
            let name = String(try #require(match.output[1].substring))
            let sum = String(try #require(match.output[2].substring))
            let size = Int(try #require(match.output[3].substring))
            let data = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(SHA256.hexDigest(data) == sum, "\(name)")
            #expect(data.count == size, "\(name)")
            listed.insert(name)
        }
        let present = try files(in: out)
        #expect(present.filter { !$0.hasPrefix("DOKUMENT/") }.subtracting(listed) == ["arkivuttrekk.xml"], "unlisted files")
        #expect(!listed.contains { $0.hasPrefix("DOKUMENT/") }, "document files have no dataObject (krav 6.4.22)")
        #expect(listed.isSubset(of: present), "listed but missing")
        // Every dokumentobjekt points at a file whose checksum it states.
        let structure = try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml"))
        let references = structure.all("referanseDokumentfil")
        let sums = structure.all("sjekksum")
        #expect(!references.isEmpty && references.count == sums.count)
        for (path, sum) in zip(references, sums) {
            #expect(SHA256.hexDigest(try Data(contentsOf: out.appendingPathComponent(path))) == sum, "\(path)")
        }
        #expect(Set(references) == Set(present.filter { $0.hasPrefix("DOKUMENT/") }), "every document file is referenced")
    }

    @Test("the public journal holds no screened name, screened title word or national identity number")
    func screening() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        let published = try String(contentsOf: out.appendingPathComponent("offentligJournal.xml"), encoding: .utf8)
        let running = try String(contentsOf: out.appendingPathComponent("loependeJournal.xml"), encoding: .utf8)
        // The running journal proves the demo data has all three, journaled.
        #expect(running.contains("Lise Testesen"))
        #expect(running.contains("15038710041"))
        #expect(running.contains("kronisk sykdom"))
        for secret in ["Lise Testesen", "15038710041", "kronisk sykdom", "kronisk"] {
            #expect(!published.contains(secret), "\(secret) in offentligJournal.xml")
        }
        // Only the klasse (the account) has a tittel in public; posts and cases use offentligTittel.
        #expect(published.components(separatedBy: "<tittel>").count == published.components(separatedBy: "<klasse>").count)
        #expect(published.contains("<skjermingshjemmel>"))
    }

    @Test("no element is empty, and text is escaped (the agency name holds & and <)")
    func noEmptyElements() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        for name in Self.xmlFiles + ["arkivuttrekk"] {
            let scan = try XMLScan.scan(out.appendingPathComponent("\(name).xml"))
            #expect(scan.error == nil, "\(name).xml: \(scan.error ?? "")")
            #expect(scan.emptyElements.isEmpty, "\(name).xml empty: \(scan.emptyElements)")
        }
        let structure = try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml"))
        #expect(structure.all("arkivskaperNavn") == ["Etaten & <Co>"])
    }

    @Test("systemIDs are unique within and across two exports of the same items")
    func uniqueSystemIDs() async throws {
        let filled = try await ExportFixture.filled()
        let (dir1, out1, _) = try export(filled.registry)
        let (dir2, out2, _) = try export(filled.registry)
        defer { dir1.remove(); dir2.remove() }
        let first = try XMLScan.scan(out1.appendingPathComponent("arkivstruktur.xml")).all("systemID")
        let second = try XMLScan.scan(out2.appendingPathComponent("arkivstruktur.xml")).all("systemID")
        #expect(!first.isEmpty)
        #expect(Set(first).count == first.count)
        #expect(Set(first).isDisjoint(with: Set(second)))
    }

    @Test("the change log lists the edit and the deletion of exported records, pointing at their systemIDs")
    func changeLog() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        let log = try XMLScan.scan(out.appendingPathComponent("endringslogg.xml"))
        let ids = Set(try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml")).all("systemID"))
        #expect(Set(log.all("referanseArkivenhet")).isSubset(of: ids))
        #expect(log.all("referanseMetadata").contains("versjonsnummer"))
        #expect(log.all("referanseMetadata").contains("merknad"))
    }

    @Test("an output folder that is not empty, or an empty range, is refused and nothing is written")
    func refusals() async throws {
        let filled = try await ExportFixture.filled()
        let dir = try TemporaryDirectory(prefix: "diarium-noark")
        defer { dir.remove() }
        let busy = dir.file("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: busy.appendingPathComponent("note.txt"))
        let exporter = NoarkExporter(registry: filled.registry, agencyName: "Etaten", schemaDirectory: ExportFixture.schemas)
        #expect(throws: ExportError.self) { try exporter.export(to: busy, range: try ExportRange()) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy.path) == ["note.txt"])
        let empty = dir.file("empty")
        let error = #expect(throws: ExportError.self) {
            try exporter.export(to: empty, range: try ExportRange(from: "1999-01-01", to: "1999-01-31"))
        }
        #expect(error?.message.contains("1999-01-01") == true)
        #expect(!FileManager.default.fileExists(atPath: empty.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["busy"], "no staging folder left")
        #expect(throws: ExportError.self) { try ExportRange(from: "2026-13-01") }
        #expect(throws: ExportError.self) { try ExportRange(from: "2026-02-02", to: "2026-02-01") }
    }
}
