import DiariumCore
@testable import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// Every byte from a platform is hostile: a post whose text, author and attachment carry
/// characters XML 1.0 cannot hold (NUL, ESC, BEL, U+FFFE), markup-looking text (`]]>`,
/// `<!--`, `&`) and bidi overrides must still give deliveries that the archives' tools
/// read: well-formed, valid against their schemas, and passing the Arkade-equivalent
/// checks. The captured bytes keep everything; only the metadata is made safe.
@Suite("Deliveries of hostile platform text")
struct HostileTextExportTests {
    static let id = "hostile-export-1"
    static let text = "Spørsmål\u{1B}[2J om bostøtte\u{0}\u{7} ]]> <!-- & \u{FFFE} \u{202E}tseuqer\u{202C}\u{85}NEL \u{FEFF}slutt?"
    static let name = "Mal\u{1B}]0;tittel\u{7}lory <b>&amp;</b>"
    /// The response as the platform sent it: JSON escapes the controls, the rest is raw.
    static let body = Data("{\"content\":\"\(text.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined())\"}".utf8)

    /// A copy of the shared demo registry plus one journaled question carrying the bytes above.
    static func registry(in dir: TemporaryDirectory) async throws -> Registry {
        let registry = try await ArkadeChecksTests.registryCopy(in: dir)
        let item = Item(platform: .mastodon, account: "etaten-mastodon", id: id, url: "https://social.example.org/@mallory/\(id)", kind: .reply,
                        author: Author(id: "666", handle: "mallory\u{1B}[1A", name: name, agency: false),
                        inReplyTo: "113500000000000001", threadRoot: "113500000000000001",
                        createdAt: Timestamp.parse("2026-11-20T10:00:00Z"), text: text,
                        attachments: [Attachment(url: "https://social.example.org/media/\u{7}x.png", mediaType: "image/png\u{0}",
                                                 description: "Bilde\u{1B}[2K av ]]> skjema")])
        let decision = Decision(id: id, account: "etaten-mastodon", journal: true, type: .I, status: .M, access: .open,
                                retention: .B, rules: ["NO-case"], reason: "A question to the agency\u{1B}[2J.", profile: "no@test")
        let capture = Capture(url: "https://social.example.org/api/v1/statuses/\(id)", status: 200,
                              headers: [HTTPHeader("Content-Type", "application/json")],
                              body: body, capturedAt: Date())
        try registry.commit(RegistryBatch(account: "etaten-mastodon", platform: .mastodon, checkpoint: nil, captures: [capture],
                                          versions: [DecidedVersion(item: item, decision: decision, captureIndex: 0)]))
        return registry
    }

    /// What XML 1.0 cannot carry, whatever escaping says: C0 other than tab, newline and
    /// carriage return, and U+FFFE/U+FFFF.
    static func forbidden(in xml: String) -> [UInt32] {
        xml.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x9 && $0 != 0xA && $0 != 0xD) || $0 == 0xFFFE || $0 == 0xFFFF }
    }

    @Test("the Noark 5 extract of a hostile item is well-formed, valid and passes the Arkade-equivalent checks")
    func noark() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-hostile-noark")
        defer { dir.remove() }
        let registry = try await Self.registry(in: dir)
        let (outDir, out, summary) = try ArkadeChecksTests().export(registry)
        defer { outDir.remove() }
        #expect(summary.journalPosts > 0)
        for name in ["arkivstruktur", "endringslogg", "loependeJournal", "offentligJournal"] {
            let file = out.appendingPathComponent("\(name).xml")
            let xml = try String(contentsOf: file, encoding: .utf8)
            #expect(Self.forbidden(in: xml).isEmpty, "\(name).xml holds \(Self.forbidden(in: xml))")
            let result = try Tool.xmllint(schema: out.appendingPathComponent("\(name).xsd"), file: file)
            #expect(result.status == 0, "\(name).xml: \(result.output)")
        }
        let structure = try ArkadeChecksTests.lintStructure(out)
        #expect(structure.status == 0, "\(structure.output)")
        let findings = ArkadeChecks.run(out)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        // The item is in the extract, its text made safe, not dropped.
        let xml = try String(contentsOf: out.appendingPathComponent("arkivstruktur.xml"), encoding: .utf8)
        #expect(xml.contains(Self.id))
        #expect(xml.contains("om bostøtte"))
        #expect(xml.contains("]]&gt;") && xml.contains("&lt;!--"))
        #expect(!xml.contains("<b>"))
    }

    @Test("the FGS package of a hostile item: ERMS and both METS files well-formed and valid; the captured bytes unchanged")
    func fgs() async throws {
        let dir = try TemporaryDirectory(prefix: "diarium-hostile-fgs")
        defer { dir.remove() }
        let registry = try await Self.registry(in: dir)
        let exporter = FGSExporter(registry: registry, agency: FGSFixture.agency, softwareVersion: "0.1.0-test", schemaDirectory: FGSFixture.schemas)
        let summary = try exporter.export(to: dir.file("leverans"), range: try ExportRange())
        let root = URL(fileURLWithPath: summary.folder)
        for file in FGSFixture.metadataFiles {
            let xml = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            #expect(Self.forbidden(in: xml).isEmpty, "\(file) holds \(Self.forbidden(in: xml))")
        }
        let erms = root.appendingPathComponent("representations/rep1/data/erms.xml")
        let ermsLint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("ERMS.xsd"), file: erms)
        #expect(ermsLint.status == 0, "\(ermsLint.output)")
        for mets in ["METS.xml", "representations/rep1/METS.xml"] {
            let lint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("mets.sip.local.v2-0.xsd"), file: root.appendingPathComponent(mets))
            #expect(lint.status == 0, "\(mets): \(lint.output)")
        }
        #expect(try String(contentsOf: erms, encoding: .utf8).contains("om bostøtte"))
        // The capture keeps the hostile bytes as they came.
        let files = try FGSTools.files(under: root).filter { $0.hasPrefix("representations/rep1/data/") && !$0.hasSuffix("erms.xml") }
        #expect(try files.contains { try Data(contentsOf: root.appendingPathComponent($0)) == Self.body }, "the captured bytes are delivered unchanged")
    }
}
