import DiariumCore
import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// The extract against Arkade 5's Noark 5 tests as `ArkadeChecks` redoes them: a
/// Norwegian registry's extract passes with no error and validates against the schemas,
/// Diarium's own included; each error condition is found when an extract is broken on
/// purpose; and the period is the journal's.
@Suite("Arkade 5's Noark 5 tests, redone on the extract")
struct ArkadeChecksTests {
    func export(_ registry: Registry, range: ExportRange? = nil) throws -> (TemporaryDirectory, URL, NoarkExportSummary) {
        let dir = try TemporaryDirectory(prefix: "diarium-arkade")
        let out = dir.file("extract")
        let summary = try NoarkExporter(registry: registry, agencyName: "Etaten", schemaDirectory: ExportFixture.schemas)
            .export(to: out, range: try range ?? ExportRange())
        return (dir, out, summary)
    }

    /// xmllint on arkivstruktur.xml against both its schema and Diarium's: a driver
    /// schema imports the two, so the `diarium:*` elements are checked too (xmllint
    /// alone would skip them as lax content).
    static func lintStructure(_ out: URL) throws -> Tool.Result {
        let driver = out.deletingLastPathComponent().appendingPathComponent("driver.xsd")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:import namespace="http://www.arkivverket.no/standarder/noark5/arkivstruktur" schemaLocation="\(out.appendingPathComponent("arkivstruktur.xsd").path)"/>
              <xs:import namespace="urn:x-diarium:noark5" schemaLocation="\(out.appendingPathComponent(NoarkSchemas.diariumMetadata).path)"/>
            </xs:schema>
            """.utf8).write(to: driver)
        defer { try? FileManager.default.removeItem(at: driver) }
        return try Tool.xmllint(schema: driver, file: out.appendingPathComponent("arkivstruktur.xml"))
    }

    @Test("a Norwegian registry's extract passes every Arkade-equivalent check and validates with xmllint against the schemas it carries")
    func passes() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, summary) = try export(filled.registry)
        defer { dir.remove() }
        let findings = ArkadeChecks.run(out)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        for name in NoarkExportTests.xmlFiles {
            let result = try Tool.xmllint(schema: out.appendingPathComponent("\(name).xsd"), file: out.appendingPathComponent("\(name).xml"))
            #expect(result.status == 0, "\(name).xml: \(result.output)")
        }
        let addml = try Tool.xmllint(schema: out.appendingPathComponent("addml.xsd"), file: out.appendingPathComponent("arkivuttrekk.xml"))
        #expect(addml.status == 0, "arkivuttrekk.xml: \(addml.output)")
        let structure = try Self.lintStructure(out)
        #expect(structure.status == 0, "arkivstruktur.xml with diariumMetadata.xsd: \(structure.output)")

        // What the checks would pass vacuously on an extract without it: the demo has
        // document files, screened posts, edits and a deletion.
        let scan = try XMLScan.scan(out.appendingPathComponent("arkivstruktur.xml"))
        #expect(summary.documentFiles > 0)
        #expect(scan.all("referanseDokumentfil").allSatisfy { $0.hasPrefix("DOKUMENT/") })
        #expect(Set(scan.all("format")).isSubset(of: ["json", "xml", "html", "txt", "png", "jpg", "gif", "webp", "mp4", "bin"]))
        #expect(scan.all("formatDetaljer").contains("fmt/817"))
        #expect(scan.all("skjermingMetadata").contains("Skjerming tittel registrering - utvalgte ord"))
        let log = try XMLScan.scan(out.appendingPathComponent("endringslogg.xml"))
        #expect(log.all("referanseMetadata").contains("versjonsnummer"))
        #expect(log.all("referanseMetadata").contains("journalsekvensnummer"))
    }

    /// One way to break an extract, and the test that must then report it.
    struct Breakage: CustomStringConvertible {
        var test: String
        var file: String
        var pattern: String
        var replacement: String
        var description: String { "\(test) (\(file): \(pattern))" }
    }

    static let breakages: [Breakage] = [
        Breakage(test: "N5.01", file: "arkivuttrekk.xml", pattern: "</dataObjects>",
                 replacement: #"<dataObject name="dokumenter"><properties><property name="file"><properties><property name="name"><value>DOKUMENT/none.json</value></property></properties></property></properties></dataObject></dataObjects>"#),
        Breakage(test: "N5.02", file: "arkivuttrekk.xml", pattern: "<value>[0-9a-f]{64}</value>", replacement: "<value>\(String(repeating: "0", count: 64))</value>"),
        Breakage(test: "N5.02", file: "arkivuttrekk.xml", pattern: "<value>SHA-256</value>", replacement: "<value>MD5</value>"),
        Breakage(test: "N5.15", file: "arkivstruktur.xml", pattern: "<saksstatus>Avsluttet</saksstatus>", replacement: "<saksstatus>Under behandling</saksstatus>"),
        Breakage(test: "N5.22", file: "arkivstruktur.xml", pattern: "<journalstatus>Arkivert</journalstatus>", replacement: "<journalstatus>Journalført</journalstatus>"),
        Breakage(test: "N5.25", file: "arkivstruktur.xml", pattern: "<dokumentstatus>[^<]+</dokumentstatus>", replacement: "<dokumentstatus>Dokumentet er under redigering</dokumentstatus>"),
        Breakage(test: "N5.28", file: "arkivuttrekk.xml", pattern: #"(name="antallDokumentfiler">\s*<value>)\d+"#, replacement: "$1100000"),
        Breakage(test: "N5.29", file: "arkivstruktur.xml", pattern: "<format>json</format>", replacement: "<format>fmt/817</format>"),
        Breakage(test: "N5.30", file: "arkivstruktur.xml", pattern: "<sjekksum>[0-9a-f]{64}</sjekksum>", replacement: "<sjekksum>\(String(repeating: "1", count: 64))</sjekksum>"),
        Breakage(test: "N5.32", file: "arkivstruktur.xml", pattern: "<referanseDokumentfil>DOKUMENT/", replacement: "<referanseDokumentfil>DOKUMENT/missing-"),
        Breakage(test: "N5.42", file: "arkivuttrekk.xml", pattern: #"(name="inneholderSkjermetInformasjon">\s*<value>)true"#, replacement: "$1false"),
        Breakage(test: "N5.47", file: "arkivstruktur.xml", pattern: #"(<systemID>([^<]+)</systemID>[\s\S]*?<klasse>\s*<systemID>)[^<]+"#, replacement: "$1$2"),
        Breakage(test: "N5.48", file: "arkivstruktur.xml", pattern: "<referanseArkivdel>[^<]+</referanseArkivdel>", replacement: "<referanseArkivdel>00000000-0000-4000-8000-000000000000</referanseArkivdel>"),
        Breakage(test: "N5.59", file: "loependeJournal.xml", pattern: #"<antallJournalposter>(\d+)</antallJournalposter>"#, replacement: "<antallJournalposter>1$1</antallJournalposter>"),
        Breakage(test: "N5.60", file: "offentligJournal.xml", pattern: "<journalStartDato>[^<]+</journalStartDato>", replacement: "<journalStartDato>1999-01-01</journalStartDato>"),
        Breakage(test: "N5.62", file: "endringslogg.xml", pattern: "<referanseArkivenhet>[^<]+</referanseArkivenhet>", replacement: "<referanseArkivenhet>00000000-0000-4000-8000-000000000000</referanseArkivenhet>"),
        Breakage(test: "N5.63", file: "arkivstruktur.xml", pattern: "<opprettetAv>diarium</opprettetAv>", replacement: "<opprettetAv> </opprettetAv>"),
        Breakage(test: "CODE", file: "arkivstruktur.xml", pattern: "<skjermingMetadata>[^<]+</skjermingMetadata>", replacement: "<skjermingMetadata>TRO</skjermingMetadata>"),
        Breakage(test: "CODE", file: "endringslogg.xml", pattern: "<referanseMetadata>[^<]+</referanseMetadata>", replacement: "<referanseMetadata>journalføring, journalposttype og skjerming</referanseMetadata>"),
        Breakage(test: "PERIOD", file: "arkivstruktur.xml", pattern: "<journaldato>[^<]+</journaldato>", replacement: "<journaldato>1999-01-01</journaldato>"),
        Breakage(test: "PERIOD", file: "arkivuttrekk.xml", pattern: #"(name="startDate">\s*<value>)[^<]+"#, replacement: "$11999-01-01"),
        Breakage(test: "DIARIUM", file: "arkivstruktur.xml", pattern: #"<diarium:konto xsi:type="xs:string">"#, replacement: "<diarium:konto>"),
        Breakage(test: "DIARIUM", file: "arkivstruktur.xml", pattern: #"<diarium:url xsi:type="xs:string">([^<]+)</diarium:url>"#, replacement: #"<diarium:lenke xsi:type="xs:string">$1</diarium:lenke>"#),
    ]

    @Test("every error condition is reported on an extract broken on purpose, and only there")
    func failsOnBrokenExtracts() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        #expect(ArkadeChecks.run(out).isEmpty)
        for (index, breakage) in Self.breakages.enumerated() {
            let copy = dir.file("broken-\(index)")
            try FileManager.default.copyItem(at: out, to: copy)
            let url = copy.appendingPathComponent(breakage.file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let regex = try NSRegularExpression(pattern: breakage.pattern)
            let match = try #require(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), "\(breakage)")
            let replaced = regex.replacementString(for: match, in: text, offset: 0, template: breakage.replacement)
            let broken = (text as NSString).replacingCharacters(in: match.range, with: replaced)
            try Data(broken.utf8).write(to: url)
            let findings = ArkadeChecks.run(copy)
            #expect(findings.contains { $0.test == breakage.test }, "\(breakage): \(findings)")
            try FileManager.default.removeItem(at: copy)
        }
    }

    @Test("a missing, an extra and an unlisted document file are reported (N5.28, N5.30, N5.32, N5.33)")
    func documentFiles() async throws {
        let filled = try await ExportFixture.filled()
        let (dir, out, _) = try export(filled.registry)
        defer { dir.remove() }
        let folder = out.appendingPathComponent("DOKUMENT")
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(first))
        try Data("{}".utf8).write(to: folder.appendingPathComponent("extra.json"))
        let tests = Set(ArkadeChecks.run(out).map(\.test))
        #expect(tests.isSuperset(of: ["N5.30", "N5.32", "N5.33"]), "\(tests)")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("extra.json"))
        #expect(Set(ArkadeChecks.run(out).map(\.test)).contains("N5.28"))
    }

    /// A copy of the shared fixture registry (the other tests only read it).
    static func registryCopy(in dir: TemporaryDirectory, timeZone: TimeZone = TimeZone(identifier: "UTC")!) async throws -> Registry {
        let filled = try await ExportFixture.filled()
        let path = dir.file("r.sqlite").path
        var configuration = Configuration()
        configuration.readonly = true
        try DatabaseQueue(path: filled.path, configuration: configuration).backup(to: try DatabaseQueue(path: path))
        return try Registry(path: path, timeZone: timeZone)
    }

    @Test("an entry never approved goes by the day it was registered, in the agency's time zone")
    func periodOfAProposal() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-arkade-zone")
        defer { dir.remove() }
        let registry = try await Self.registryCopy(in: dir, timeZone: try #require(TimeZone(identifier: "Europe/Oslo")))
        var proposals = SearchFilter()
        proposals.status = .M
        proposals.limit = 1000
        let proposal = try #require(try registry.search("", filter: proposals).first)
        // Registered at 23:30 UTC on 20 November 2098: already the 21st in Oslo.
        try await DatabaseQueue(path: dir.file("r.sqlite").path).write { db in
            try db.execute(sql: """
                UPDATE journalEntry SET registeredAt = '2098-11-20T23:30:00Z'
                WHERE itemId = (SELECT id FROM item WHERE account = ? AND platformId = ?)
                """, arguments: [proposal.item.account, proposal.item.id])
        }
        let (inDir, inside, summary) = try export(registry, range: try ExportRange(from: "2098-11-21", to: "2098-11-21"))
        defer { inDir.remove() }
        #expect(summary.journalPosts == 1)
        #expect(try XMLScan.scan(inside.appendingPathComponent("arkivstruktur.xml")).all("journaldato") == ["2098-11-21"])
        #expect(ArkadeChecks.run(inside).isEmpty)
        let error = #expect(throws: ExportError.self) {
            try self.export(registry, range: try ExportRange(from: "2098-11-20", to: "2098-11-20"))
        }
        #expect(error?.message.contains("2098-11-20") == true)
    }

    @Test("the period is the journal's: a post approved on a later day is in that day's extract, and not in the extract of the day it was written")
    func periodIsJournalDate() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-arkade-period")
        defer { dir.remove() }
        let registry = try await Self.registryCopy(in: dir)
        var proposals = SearchFilter()
        proposals.status = .M
        proposals.limit = 1000
        let proposal = try #require(try registry.search("", filter: proposals).first, "the demo registry has proposals awaiting review")
        // Tomorrow in the agency's zone: later than the demo's items were written and than
        // the day the other proposals were registered (today), and an approval may not be
        // dated after tomorrow.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Oslo")
        let approvalDay = formatter.string(from: Date().addingTimeInterval(86400))
        try #require(approvalDay > proposal.day)
        _ = try registry.approve(ItemReference(account: proposal.item.account, id: proposal.item.id), actor: "arkivar", day: approvalDay)

        let (dayDir, dayOut, daySummary) = try export(registry, range: try ExportRange(from: approvalDay, to: approvalDay))
        defer { dayDir.remove() }
        #expect(daySummary.journalPosts == 1)
        let structure = try XMLScan.scan(dayOut.appendingPathComponent("arkivstruktur.xml"))
        #expect(structure.all("journaldato") == [approvalDay])
        #expect(structure.all("diarium:id").contains(proposal.item.id))
        #expect(structure.all("arkivperiodeStartDato") == [approvalDay])
        #expect(structure.all("arkivperiodeSluttDato") == [approvalDay])
        let findings = ArkadeChecks.run(dayOut)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        let log = try XMLScan.scan(dayOut.appendingPathComponent("endringslogg.xml"))
        #expect(log.all("nyVerdi").contains("Journalført"))
        #expect(log.all("nyVerdi").contains(approvalDay))

        // The day the item was written no longer holds it (an item with a journal entry
        // goes by its journaldato); when nothing else is left on that day, there is no
        // extract at all.
        let written = proposal.day
        do {
            let (writtenDir, writtenOut, _) = try export(registry, range: try ExportRange(from: written, to: written))
            defer { writtenDir.remove() }
            let scan = try XMLScan.scan(writtenOut.appendingPathComponent("arkivstruktur.xml"))
            #expect(!scan.all("diarium:id").contains(proposal.item.id), "\(proposal.item.id) is in the extract of \(written)")
            #expect(!scan.all("journaldato").contains(approvalDay))
            #expect(ArkadeChecks.run(writtenOut).isEmpty)
        } catch let error as ExportError {
            #expect(error.message.contains(written))
        }
    }

    @Test("after an officer's approval and overrides, the change log names one element per entry, with the catalogue's values")
    func changeLogValues() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-arkade-log")
        defer { dir.remove() }
        let registry = try await Self.registryCopy(in: dir)
        var proposals = SearchFilter()
        proposals.status = .M
        proposals.limit = 1000
        let open = try registry.search("", filter: proposals)
        try #require(open.count >= 3)
        func reference(_ record: ItemRecord) -> ItemReference { ItemReference(account: record.item.account, id: record.item.id) }
        let day = Timestamp.day(Date())
        _ = try registry.approve(reference(open[0]), actor: "arkivar", day: day)
        _ = try registry.override(reference(open[1]), actor: "arkivar", change: OfficerOverride(journal: false, reason: "Reklame; status J i teksten"), day: day)
        _ = try registry.override(reference(open[2]), actor: "arkivar",
                                  change: OfficerOverride(journal: true, type: open[2].decision?.type == .U ? .I : .U, restricted: true,
                                                          basis: "Offl. § 13 jf. fvl. § 13 (1) nr.1", reason: "Helseopplysninger"), day: day)
        let (exportDir, out, _) = try export(registry)
        defer { exportDir.remove() }
        let findings = ArkadeChecks.run(out)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        let log = try ExtractNode.parse(out.appendingPathComponent("endringslogg.xml"))
        let changes = try #require(log).descendants(named: "endring").map {
            ($0.text(of: "referanseMetadata") ?? "", $0.text(of: "tidligereVerdi") ?? "", $0.text(of: "nyVerdi") ?? "")
        }
        let status = changes.filter { $0.0 == "journalstatus" }.map { "\($0.1) -> \($0.2)" }
        #expect(status.filter { $0 == "Midlertidig registrering av innkommet dokument -> Journalført" }.count == 2, "\(status)")
        #expect(status.contains("Midlertidig registrering av innkommet dokument -> Utgår"), "\(status)")
        #expect(changes.contains { $0.0 == "journaldato" && $0.2 == day })
        #expect(changes.contains { $0.0 == "journalposttype" })
        #expect(changes.contains { $0.0 == "tilgangsrestriksjon" && $0.1 == "Ingen verdi" && $0.2 == "Unntatt offentlighet" })
        #expect(changes.contains { $0.0 == "skjermingshjemmel" && $0.2 == "Offl. § 13 jf. fvl. § 13 (1) nr.1" })

        // Counts per status and per type (Arkade N5.22, N5.17) are the registry's.
        let structure = try #require(ExtractNode.parse(out.appendingPathComponent("arkivstruktur.xml")))
        let posts = structure.descendants(named: "registrering").filter(\.isJournalPost)
        var filter = SearchFilter()
        filter.status = .U
        filter.limit = 10000
        let dropped = try registry.search("", filter: filter)
        #expect(posts.count == (try registry.counts().journalEntries))
        #expect(dropped.count >= 1)
        #expect(posts.filter { $0.text(of: "journalstatus") == "Utgår" }.count == dropped.count)
        #expect(posts.filter { $0.text(of: "journalstatus") == "Arkivert" }.count == posts.count - dropped.count)
        let byType = Dictionary(grouping: posts, by: { $0.text(of: "journalposttype") ?? "" }).mapValues(\.count)
        #expect(byType.values.reduce(0, +) == posts.count)
        #expect(Set(byType.keys).isSubset(of: ArkadeChecks.journalPostType))
        filter.status = nil
        filter.journaled = true
        let incoming = try registry.search("", filter: filter).filter { $0.decision?.type == .I }.count
        // `journaled` leaves out the entries taken out (U), which the extract delivers «Utgår».
        #expect(byType["Inngående dokument", default: 0] == incoming + dropped.filter { $0.decision?.type == .I }.count)
    }
}
