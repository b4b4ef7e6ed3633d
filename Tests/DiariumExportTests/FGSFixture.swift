import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDemo
import DiariumExport
import DiariumHTTP
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// A real Swedish registry (profile `se`) filled from the demo's sample accounts through
/// the whole pipeline: two polls (new posts, an edit, a deletion), so it holds registered
/// items, a secret one (OSL 21 kap. 1 §: a health matter) and a masked personnummer. An
/// officer approved one registration (J) and rejected another (U), so all three statuses
/// meet the export. Built once and exported once; the tests only read the package.
enum FGSFixture {
    struct Package: Sendable {
        let registry: Registry
        let registryPath: String
        let summary: FGSExportSummary
        let root: URL
        let approved: String
        let rejected: String
    }

    static let agency = FGSAgency(name: "Exempelmyndigheten", identificationCode: "202100-0000")

    static let shared = Task<Package, any Error> {
        let dir = try TemporaryDirectory(prefix: "diarium-fgs")
        let registry = try await ExportFixture.fill(dir.file("r.sqlite").path, profile: "se", agencyName: agency.name)

        var filter = SearchFilter()
        filter.journaled = true
        filter.limit = 10_000
        let journaled = try registry.search("", filter: filter).sorted { ($0.journalNumber ?? "") < ($1.journalNumber ?? "") }
        let open = journaled.filter { !$0.access.restricted }
        guard let first = open.first, let last = open.last, first.journalNumber != last.journalNumber else {
            throw FixtureProblem(description: "the Swedish demo registry holds fewer than two open registered items")
        }
        let approve = ItemReference(account: first.item.account, id: first.item.id)
        _ = try registry.approve(approve, actor: "registrator", day: first.day)
        let reject = ItemReference(account: last.item.account, id: last.item.id)
        _ = try registry.override(reject, actor: "registrator",
                                  change: OfficerOverride(journal: false, reason: "Ingen begäran; förslaget avslås."), day: last.day)

        let out = dir.file("leverans")
        let exporter = FGSExporter(registry: registry, agency: agency, softwareVersion: "0.1.0-test", schemaDirectory: schemas)
        let summary = try exporter.export(to: out, range: try ExportRange())
        return Package(registry: registry, registryPath: dir.file("r.sqlite").path, summary: summary,
                       root: URL(fileURLWithPath: summary.folder), approved: first.journalNumber!, rejected: last.journalNumber!)
    }

    static func package() async throws -> Package { try await shared.value }

    static var schemas: URL { repositoryRoot.appendingPathComponent("schemas/fgs") }

    /// The metadata files, where nothing screened may appear.
    static let metadataFiles = ["METS.xml", "representations/rep1/METS.xml", "metadata/descriptive/dc.xml",
                                "metadata/preservation/premis.xml", "representations/rep1/data/erms.xml", "documentation/leverans.txt"]
}

/// Reads elements with their attributes and text from an XML file (namespace prefixes
/// dropped), enough to compare a package's METS, PREMIS and ERMS with what was written.
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var path: [String]
    }

    private(set) var elements: [Element] = []
    private var stack: [(name: String, attributes: [String: String], text: String)] = []

    static func read(_ url: URL) throws -> XMLElements {
        let reader = XMLElements()
        let parser = try #require(XMLParser(contentsOf: url))
        parser.delegate = reader
        #expect(parser.parse(), "\(url.path) is not well-formed")
        return reader
    }

    private static func local(_ name: String) -> String { String(name.split(separator: ":").last ?? Substring(name)) }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append((Self.local(name), attributes, ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let top = stack.popLast() else { return }
        elements.append(Element(name: top.name, attributes: top.attributes, text: top.text.trimmingCharacters(in: .whitespacesAndNewlines),
                                path: stack.map(\.name)))
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

struct FixtureProblem: Error, CustomStringConvertible {
    var description: String
}
