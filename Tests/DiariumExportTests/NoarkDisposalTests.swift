import DiariumCore
@testable import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// Disposal in the Noark 5 extract (issue 15): a kept item whose decision gives a period
/// carries kassasjon, a disposed item is a registrering whose document was kassert
/// (utfoertKassasjon) and has no file, the ADDML flags say both, and the extract still
/// validates and passes the Arkade-equivalent checks.
@Suite("Noark 5 extract with disposals")
struct NoarkDisposalTests {
    @Test("a disposed item is an utfoertKassasjon without a file or its text; a period gives kassasjon; the extract validates")
    func disposalsInTheExtract() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-noark-disposal")
        defer { dir.remove() }
        let registry = try await ArkadeChecksTests.registryCopy(in: dir)
        var outside = SearchFilter()
        outside.journaled = false
        outside.limit = 1000
        let candidates = try registry.search("", filter: outside).filter { $0.journalNumber == nil && !$0.item.text.isEmpty }
        try #require(candidates.count >= 2, "the demo registry has items outside the journal")
        let erased = candidates[0]
        let reviewed = candidates[1]
        let erasedRef = ItemReference(account: erased.item.account, id: erased.item.id)
        let reviewedRef = ItemReference(account: reviewed.item.account, id: reviewed.item.id)

        // An officer's retention review gives one item a period (K, a year after creation).
        var change = OfficerOverride(reason: "Retention review: a comment of no lasting value")
        change.retention = .K
        change.retentionPeriod = RetentionPeriod("1y")
        change.retentionBasis = "Etatens kassasjonsvedtak 2026/7"
        _ = try registry.override(reviewedRef, actor: "arkivar", change: change, day: reviewed.day)
        // And erases another at once.
        _ = try registry.disposeItem(erasedRef, reason: "Erasure asked for by the data subject", actor: "arkivar")

        let (outDir, out, summary) = try ArkadeChecksTests().export(registry)
        defer { outDir.remove() }
        #expect(summary.disposed == 1)
        let findings = ArkadeChecks.run(out)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        let lint = try ArkadeChecksTests.lintStructure(out)
        #expect(lint.status == 0, "\(lint.output)")

        let structure = try #require(ExtractNode.parse(out.appendingPathComponent("arkivstruktur.xml")))
        func registration(of id: String) -> ExtractNode? {
            structure.descendants(named: "registrering").first { node in
                node.child("virksomhetsspesifikkeMetadata")?.children.contains { $0.name == "diarium:id" && $0.text == id } == true
            }
        }
        let disposed = try #require(registration(of: erased.item.id), "the disposed item is still a registrering")
        #expect(disposed.descendants(named: "dokumentobjekt").isEmpty, "no file of a disposed item")
        let done = try #require(disposed.descendants(named: "utfoertKassasjon").first)
        #expect(done.text(of: "kassertAv") == "arkivar")
        #expect(done.text(of: "kassertDato").flatMap(Timestamp.parse) != nil)
        #expect(disposed.child("kassasjon")?.text(of: "kassasjonsvedtak") == "Kasseres")

        let kept = try #require(registration(of: reviewed.item.id))
        let kassasjon = try #require(kept.child("kassasjon"), "a decision with a period gives kassasjon")
        #expect(kassasjon.text(of: "kassasjonsvedtak") == "Kasseres")
        #expect(kassasjon.text(of: "kassasjonshjemmel") == "Etatens kassasjonsvedtak 2026/7")
        #expect(kassasjon.text(of: "bevaringstid") == "1")
        #expect(kassasjon.text(of: "kassasjonsdato") == RetentionPeriod("1y")?.end(from: reviewed.day))
        #expect(!kept.descendants(named: "dokumentobjekt").isEmpty, "a kept item keeps its files")

        // Nothing of the erased item's text is left anywhere in the extract.
        let words = erased.item.text.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 8 }
        let distinctive = try #require(words.first, "the erased item has a long word to look for")
        let enumerator = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard let text = try? String(contentsOf: url, encoding: .utf8), url.pathExtension == "xml" else { continue }
            #expect(!text.contains(erased.item.id) || url.lastPathComponent == "arkivstruktur.xml", "\(url.lastPathComponent) names the disposed item")
            if !candidates.dropFirst().contains(where: { $0.item.text.contains(distinctive) }) {
                #expect(!text.contains(distinctive), "\(url.lastPathComponent) holds the disposed text")
            }
        }
        // N5.44 and N5.45 in ArkadeChecks hold the ADDML flags to the kassasjon and utfoertKassasjon above.
    }

    @Test("kassasjon from a decision: K and G with a period only; a period in months rounds up to whole years")
    func kassasjonFromDecision() {
        #expect(NoarkExtract.disposal(retention: "B", period: "5y", ends: "2031-01-01", basis: nil) == nil)
        #expect(NoarkExtract.disposal(retention: "G", period: nil, ends: nil, basis: nil) == nil)
        #expect(NoarkExtract.disposal(retention: "G", period: "10y", ends: "2036-01-01", basis: nil)?.decision == "Vurderes senere")
        #expect(NoarkExtract.disposal(retention: "K", period: "18m", ends: "2027-07-01", basis: "x")?.years == 2)
    }

    @Test("an override that gives an item its first journal number is logged as a new journalsekvensnummer in endringslogg")
    func overrideGivingANumberIsLogged() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-noark-override")
        defer { dir.remove() }
        let registry = try await ArkadeChecksTests.registryCopy(in: dir)
        func numbersLogged() throws -> Int {
            let (outDir, out, _) = try ArkadeChecksTests().export(registry)
            defer { outDir.remove() }
            return try XMLScan.scan(out.appendingPathComponent("endringslogg.xml")).all("referanseMetadata").filter { $0 == "journalsekvensnummer" }.count
        }
        let before = try numbersLogged()
        var outside = SearchFilter()
        outside.journaled = false
        outside.limit = 1000
        let item = try #require(try registry.search("", filter: outside).first { !$0.item.text.isEmpty && $0.day == "2026-11-20" })
        _ = try registry.override(ItemReference(account: item.item.account, id: item.item.id), actor: "arkivar",
                                  change: OfficerOverride(journal: true, reason: "Et spørsmål likevel"), day: item.day)
        #expect(try numbersLogged() == before + 1)
    }
}
