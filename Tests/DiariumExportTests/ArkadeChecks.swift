import DiariumCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Arkade 5's Noark 5 tests that a script can redo (arkade-tests.md: every test marked
/// Err and Py), read from an extract folder the way Arkade reads it: arkivuttrekk.xml
/// first, its dataObjects naming the XML files and their schemas, then the files. Each
/// error condition becomes a `Finding` named by Arkade's test id; an extract Arkivverket
/// would accept gives none. Arkade itself needs .NET 8 and cannot run here (§3), so this
/// is what the tests hold the export to, and the archivist still runs Arkade before
/// delivery.
///
/// Beyond Arkade, it checks what the issue asks of the catalogue (`CODE`: values of
/// M053, M082, M500, M502 and the change log's M681), of the period (`PERIOD`) and of
/// Diarium's own schema (`DIARIUM`).
struct ArkadeChecks {
    struct Finding: CustomStringConvertible, Hashable {
        var test: String
        var message: String
        var description: String { "\(test): \(message)" }
    }

    /// The dataObjects Arkade knows, with the schema each file is read against.
    static let dataObjects = [
        "arkivstruktur": "arkivstruktur.xml", "endringslogg": "endringslogg.xml",
        "loependeJournal": "loependeJournal.xml", "offentligJournal": "offentligJournal.xml",
    ]

    /// M053 values for an extract (Arkade N5.22) and for the change log (the catalogue's
    /// mandatory four, and the service interface's name of a temporary registration).
    static let deliveredJournalStatus: Set = ["Arkivert", "Utgår"]
    static let journalStatus: Set = ["Journalført", "Ekspedert", "Arkivert", "Utgår", "Midlertidig registrering av innkommet dokument"]
    static let journalPostType: Set = ["Inngående dokument", "Utgående dokument", "Organinternt dokument for oppfølging",
                                      "Organinternt dokument uten oppfølging", "Saksframlegg"]
    static let accessRestriction: Set = ["Unntatt offentlighet", "Personalsaker", "Klientsaker"]
    static let screening: Set = [
        "Skjerming klasseID", "Skjerming tittel klasse", "Skjerming tittel mappe - unntatt første linje",
        "Skjerming tittel mappe - utvalgte ord", "Skjerming navn part i sak",
        "Skjerming tittel registrering - unntatt første linje", "Skjerming tittel registrering - utvalgte ord",
        "Skjerming navn avsender", "Skjerming navn mottaker", "Skjerming tittel dokumentbeskrivelse",
        "Skjerming merknadstekst", "Midlertidig skjerming",
    ]

    let folder: URL
    private(set) var findings: [Finding] = []

    /// Runs every check on the extract in `folder`.
    static func run(_ folder: URL) -> [Finding] {
        var checks = ArkadeChecks(folder: folder)
        checks.runAll()
        return checks.findings
    }

    private mutating func fail(_ test: String, _ message: String) {
        findings.append(Finding(test: test, message: message))
    }

    private func load(_ name: String) -> ExtractNode? { ExtractNode.parse(folder.appendingPathComponent(name)) }

    private mutating func runAll() {
        guard let addml = load("arkivuttrekk.xml") else {
            fail("N5.01", "arkivuttrekk.xml is missing or not well-formed")
            return
        }
        let declared = checkAddml(addml)
        var documents: [String: ExtractNode] = [:]
        for (object, file) in Self.dataObjects.sorted(by: { $0.key < $1.key }) {
            guard declared[object] != nil else { continue }
            guard let node = load(file) else {
                fail("N5.01", "\(file) is missing or not well-formed")
                continue
            }
            documents[object] = node
        }
        for (name, node) in documents.sorted(by: { $0.key < $1.key }) {
            for path in node.emptyLeaves() { fail("N5.63", "\(name).xml: <\(path)> has no content") }
        }
        for path in addml.emptyLeaves() { fail("N5.63", "arkivuttrekk.xml: <\(path)> has no content") }
        guard let structure = documents["arkivstruktur"] else { return }
        checkCounts(addml, structure)
        checkStatuses(structure)
        checkDocumentFiles(addml, structure)
        checkReferences(structure, log: documents["endringslogg"])
        checkDeclarations(addml, structure)
        checkJournals(addml, structure, running: documents["loependeJournal"], published: documents["offentligJournal"])
        checkPeriod(addml, structure)
        checkDiariumMetadata(addml, structure)
        if let log = documents["endringslogg"] { checkChangeLog(log) }
    }

    // MARK: arkivuttrekk.xml (N5.01–N5.03)

    /// Every listed file exists with its SHA-256 (N5.01, N5.02); exactly the four
    /// dataObjects of the XML files are there, each with its file first and its schemas
    /// in the extract (Arkade reads each dataObject's first file as a Noark 5 XML file,
    /// N5.03). Returns the dataObjects by name.
    private mutating func checkAddml(_ addml: ExtractNode) -> [String: ExtractNode] {
        for file in addml.descendants(where: { $0.name == "property" && $0.attributes["name"] == "file" }) {
            guard let name = file.property("name")?.value else {
                fail("N5.01", "a file property without a name")
                continue
            }
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                fail("N5.01", "\(name) is listed in arkivuttrekk.xml but missing")
                continue
            }
            guard let checksum = file.property("checksum") else {
                fail("N5.02", "\(name) has no checksum")
                continue
            }
            let algorithm = checksum.property("algorithm")?.value ?? ""
            guard algorithm == "SHA-256" || algorithm == "SHA256" else {
                fail("N5.02", "\(name): checksum algorithm \(algorithm.isEmpty ? "missing" : algorithm) is not SHA-256")
                continue
            }
            if checksum.property("value")?.value?.lowercased() != SHA256.hexDigest(data) {
                fail("N5.02", "\(name): checksum does not match the file")
            }
        }
        var objects: [String: ExtractNode] = [:]
        let inner = addml.descendants(where: { $0.name == "dataObject" }).filter { $0.parent?.parent?.name == "dataObject" }
        for object in inner {
            let name = object.attributes["name"] ?? ""
            let firstFile = object.child("properties")?.children.first { $0.name == "property" && $0.attributes["name"] == "file" }
            let fileName = firstFile?.property("name")?.value
            guard let expected = Self.dataObjects[name], fileName == expected else {
                fail("N5.01", "dataObject \(name) holds \(fileName ?? "no file"), which is not a Noark 5 XML file Arkade knows")
                continue
            }
            objects[name] = object
            let schemas = object.child("properties")?.children.filter { $0.name == "property" && $0.attributes["name"] == "schema" } ?? []
            let schemaFiles = schemas.compactMap { $0.property("file")?.property("name")?.value }
            let main = expected.replacingOccurrences(of: ".xml", with: ".xsd")
            if !schemaFiles.contains(main) { fail("N5.03", "\(name): its schema \(main) is not documented, Arkade would use its own") }
            for schema in schemaFiles where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(schema).path) {
                fail("N5.03", "\(name): schema \(schema) is not in the extract")
            }
        }
        for name in Self.dataObjects.keys.sorted() where objects[name] == nil {
            fail("N5.01", "arkivuttrekk.xml has no dataObject \(name)")
        }
        return objects
    }

    /// ADDML's numberOfOccurrences of `element` in dataObject `object`.
    private func declaredCount(_ addml: ExtractNode, object: String, element: String) -> Int? {
        guard let data = addml.descendants(where: { $0.name == "dataObject" && $0.attributes["name"] == object }).first else { return nil }
        let occurrence = data.descendants(where: { $0.name == "property" && $0.attributes["name"] == "numberOfOccurrences" })
            .first { $0.child("value")?.text == element }
        return occurrence?.property("value")?.value.flatMap { Int($0) }
    }

    /// The value of an info property anywhere in arkivuttrekk.xml (additionalInfo, periode …).
    private func info(_ addml: ExtractNode, _ name: String) -> String? {
        addml.descendants(where: { $0.name == "property" && $0.attributes["name"] == name }).first?.child("value")?.text
    }

    // MARK: arkivstruktur.xml

    /// N5.10, N5.16: mapper and registreringer as ADDML counts them; N5.12, N5.19: no
    /// klasse with both subclasses and folders or registrations.
    private mutating func checkCounts(_ addml: ExtractNode, _ structure: ExtractNode) {
        let folders = structure.descendants(named: "mappe").count
        let records = structure.descendants(named: "registrering").count
        if declaredCount(addml, object: "arkivstruktur", element: "mappe") != folders {
            fail("N5.10", "arkivstruktur.xml holds \(folders) mapper, arkivuttrekk.xml says \(declaredCount(addml, object: "arkivstruktur", element: "mappe").map(String.init) ?? "nothing")")
        }
        if declaredCount(addml, object: "arkivstruktur", element: "registrering") != records {
            fail("N5.16", "arkivstruktur.xml holds \(records) registreringer, arkivuttrekk.xml says \(declaredCount(addml, object: "arkivstruktur", element: "registrering").map(String.init) ?? "nothing")")
        }
        for klasse in structure.descendants(named: "klasse") where klasse.child("klassifikasjonssystem") != nil || klasse.child("klasse") != nil {
            if klasse.child("mappe") != nil { fail("N5.12", "klasse \(klasse.text(of: "klasseID") ?? "?") has both subclasses and mapper") }
            if klasse.child("registrering") != nil { fail("N5.19", "klasse \(klasse.text(of: "klasseID") ?? "?") has both subclasses and registreringer") }
        }
    }

    /// N5.15, N5.17, N5.22, N5.25, N5.27 and the code lists of the catalogue.
    private mutating func checkStatuses(_ structure: ExtractNode) {
        for value in structure.texts("saksstatus") where value != "Avsluttet" && value != "Utgår" {
            fail("N5.15", "saksstatus «\(value)»")
        }
        for registration in structure.descendants(named: "registrering") where registration.isJournalPost {
            let type = registration.text(of: "journalposttype") ?? ""
            if type.trimmingCharacters(in: .whitespaces).isEmpty { fail("N5.17", "a journalpost without journalposttype") }
            else if !Self.journalPostType.contains(type) { fail("CODE", "journalposttype «\(type)» is not in M082") }
        }
        for value in structure.texts("journalstatus") where !Self.deliveredJournalStatus.contains(value) {
            fail("N5.22", "journalstatus «\(value)»")
        }
        for value in structure.texts("dokumentstatus") where value != "Dokumentet er ferdigstilt" {
            fail("N5.25", "dokumentstatus «\(value)»")
        }
        for registration in structure.descendants(named: "registrering") {
            let created = registration.text(of: "opprettetDato") ?? ""
            if Timestamp.parseRFC3339(created) == nil || !created.contains("T") { fail("N5.27", "registrering opprettetDato «\(created)» is not a date and time") }
        }
        for value in structure.texts("skjermingMetadata") where !Self.screening.contains(value) {
            fail("CODE", "skjermingMetadata «\(value)» is not in M502")
        }
        for value in structure.texts("tilgangsrestriksjon") where !Self.accessRestriction.contains(value) {
            fail("CODE", "tilgangsrestriksjon «\(value)» is not in M500")
        }
    }

    /// N5.28–N5.33: the document folder, formats, checksums and references.
    private mutating func checkDocumentFiles(_ addml: ExtractNode, _ structure: ExtractNode) {
        let documentFolder = ["DOKUMENT", "dokumenter"].first {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        var present: Set<String> = []
        if let documentFolder {
            let root = folder.appendingPathComponent(documentFolder)
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                present.insert(documentFolder + "/" + url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            }
        } else {
            fail("N5.28", "the extract has no DOKUMENT folder")
        }
        if info(addml, "antallDokumentfiler").flatMap({ Int($0) }) != present.count {
            fail("N5.28", "antallDokumentfiler is \(info(addml, "antallDokumentfiler") ?? "missing"), the document folder holds \(present.count) files")
        }
        var referenced: Set<String> = []
        for object in structure.descendants(named: "dokumentobjekt") {
            guard let path = object.text(of: "referanseDokumentfil") else { continue }
            referenced.insert(path)
            let format = (object.text(of: "format") ?? "").lowercased()
            if !path.lowercased().hasSuffix("." + format) { fail("N5.29", "\(path) has format «\(format)»") }
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) else {
                fail("N5.32", "\(path) is referenced but missing")
                fail("N5.30", "\(path) is missing, its checksum cannot be checked")
                continue
            }
            let algorithm = object.text(of: "sjekksumAlgoritme") ?? ""
            if algorithm != "SHA256" && algorithm != "SHA-256" { fail("N5.30", "\(path): sjekksumAlgoritme «\(algorithm)»") }
            if object.text(of: "sjekksum")?.lowercased() != SHA256.hexDigest(data) { fail("N5.30", "\(path): sjekksum does not match the file") }
            if object.text(of: "filstoerrelse") != String(data.count) { fail("N5.30", "\(path): filstoerrelse does not match the file") }
        }
        for path in present.subtracting(referenced).sorted() { fail("N5.33", "\(path) is referenced by no dokumentobjekt") }
    }

    /// N5.47, N5.48, N5.51, N5.62.
    private mutating func checkReferences(_ structure: ExtractNode, log: ExtractNode?) {
        var seen: Set<String> = []
        var ids: Set<String> = []
        for id in structure.descendants(named: "systemID").map(\.text) {
            if !seen.insert(id).inserted { fail("N5.47", "systemID \(id) is used more than once") }
            ids.insert(id)
        }
        let parts = Set(structure.descendants(named: "arkivdel").compactMap { $0.text(of: "systemID") })
        for node in structure.descendants(named: "referanseArkivdel") where !parts.contains(node.text) {
            fail("N5.48", "referanseArkivdel \(node.text) names no arkivdel")
        }
        let classes = Set(structure.descendants(named: "klasse").compactMap { $0.text(of: "systemID") })
        for node in structure.descendants(named: "referanseSekundaerKlassifikasjon") where !classes.contains(node.text) {
            fail("N5.51", "referanseSekundaerKlassifikasjon \(node.text) names no klasse")
        }
        if let log {
            for node in log.descendants(named: "referanseArkivenhet") where !ids.contains(node.text) {
                fail("N5.62", "endringslogg.xml refers to \(node.text), which is no systemID of arkivstruktur.xml")
            }
        }
    }

    /// N5.42, N5.44, N5.45: what arkivuttrekk.xml says the extract holds.
    private mutating func checkDeclarations(_ addml: ExtractNode, _ structure: ExtractNode) {
        func flag(_ name: String, _ holds: Bool, _ test: String) {
            let declared = info(addml, name)
            if declared != (holds ? "true" : "false") { fail(test, "\(name) is \(declared ?? "missing"), the extract \(holds ? "holds" : "holds no") such units") }
        }
        flag("inneholderSkjermetInformasjon", !structure.descendants(named: "skjerming").isEmpty, "N5.42")
        flag("inneholderDokumenterSomSkalKasseres", !structure.descendants(named: "kassasjon").isEmpty, "N5.44")
        flag("omfatterDokumenterSomErKassert", !structure.descendants(named: "utfoertKassasjon").isEmpty, "N5.45")
    }

    // MARK: Journals (N5.59, N5.60)

    private mutating func checkJournals(_ addml: ExtractNode, _ structure: ExtractNode, running: ExtractNode?, published: ExtractNode?) {
        guard let running, let published else { return }
        let sharp = info(addml, "inngaaendeSkille") == "skarpt" && info(addml, "utgaaendeSkille") == "skarpt"
        let posts = structure.descendants(named: "registrering").filter(\.isJournalPost)
        let a = running.child("journalhode")?.text(of: "antallJournalposter")
        let b = published.child("journalhode")?.text(of: "antallJournalposter")
        if a != b { fail("N5.59", "antallJournalposter is \(a ?? "missing") in loependeJournal.xml and \(b ?? "missing") in offentligJournal.xml") }
        if sharp && a != String(posts.count) { fail("N5.59", "antallJournalposter is \(a ?? "missing"), arkivstruktur.xml holds \(posts.count) journalposts") }
        for (name, journal) in [("loependeJournal", running), ("offentligJournal", published)] {
            let entries = journal.descendants(named: "journalregistrering").count
            if String(entries) != journal.child("journalhode")?.text(of: "antallJournalposter") {
                fail("N5.59", "\(name).xml lists \(entries) journal posts but its header says \(journal.child("journalhode")?.text(of: "antallJournalposter") ?? "nothing")")
            }
        }
        let dates = posts.compactMap { $0.text(of: "journaldato") }.sorted()
        for field in ["journalStartDato", "journalSluttDato"] {
            let x = running.child("journalhode")?.text(of: field)
            let y = published.child("journalhode")?.text(of: field)
            if x != y { fail("N5.60", "\(field) is \(x ?? "missing") in loependeJournal.xml and \(y ?? "missing") in offentligJournal.xml") }
            let expected = field == "journalStartDato" ? dates.first : dates.last
            if sharp && x != expected { fail("N5.60", "\(field) is \(x ?? "missing"), arkivstruktur.xml's journaldato runs to \(expected ?? "nothing")") }
        }
        // The journals list the same posts as arkivstruktur.xml, by systemID.
        let ids = Set(posts.compactMap { $0.text(of: "systemID") })
        for (name, journal) in [("loependeJournal", running), ("offentligJournal", published)] {
            let listed = Set(journal.descendants(named: "journalpost").compactMap { $0.text(of: "systemID") })
            if listed != ids { fail("N5.59", "\(name).xml lists other journal posts than arkivstruktur.xml (\(listed.symmetricDifference(ids).count) differ)") }
        }
    }

    // MARK: Period

    /// Every journaldato lies in the stated period, which arkivstruktur.xml and
    /// arkivuttrekk.xml state alike.
    private mutating func checkPeriod(_ addml: ExtractNode, _ structure: ExtractNode) {
        guard let part = structure.descendants(named: "arkivdel").first,
              let start = part.text(of: "arkivperiodeStartDato"), let end = part.text(of: "arkivperiodeSluttDato") else {
            fail("PERIOD", "the arkivdel states no period")
            return
        }
        if info(addml, "startDate") != start || info(addml, "endDate") != end {
            fail("PERIOD", "arkivuttrekk.xml states \(info(addml, "startDate") ?? "?")–\(info(addml, "endDate") ?? "?"), arkivstruktur.xml \(start)–\(end)")
        }
        for registration in structure.descendants(named: "registrering") where registration.isJournalPost {
            guard let day = registration.text(of: "journaldato") else { continue }
            if day < start || day > end { fail("PERIOD", "journaldato \(day) lies outside the period \(start)–\(end)") }
        }
    }

    // MARK: Diarium's metadata

    /// Every `diarium:` element is declared by the schema arkivuttrekk.xml lists for
    /// arkivstruktur.xml, with the xsi:type the schema gives it.
    private mutating func checkDiariumMetadata(_ addml: ExtractNode, _ structure: ExtractNode) {
        let used = structure.descendants(where: { $0.name.hasPrefix("diarium:") })
        guard !used.isEmpty else { return }
        let object = addml.descendants(where: { $0.name == "dataObject" && $0.attributes["name"] == "arkivstruktur" }).first
        let schemaNames = object?.child("properties")?.children
            .filter { $0.name == "property" && $0.attributes["name"] == "schema" }
            .compactMap { $0.property("file")?.property("name")?.value } ?? []
        var declared: [String: String] = [:]
        for name in schemaNames {
            guard let schema = load(name), schema.attributes["targetNamespace"] == "urn:x-diarium:noark5" else { continue }
            for element in schema.children where element.name == "xs:element" {
                if let n = element.attributes["name"] { declared[n] = element.attributes["type"] ?? "" }
            }
        }
        guard !declared.isEmpty else {
            fail("DIARIUM", "no schema listed for arkivstruktur.xml declares the diarium elements")
            return
        }
        var reported: Set<String> = []
        for element in used {
            let local = String(element.name.dropFirst("diarium:".count))
            guard let type = declared[local] else {
                if reported.insert(local).inserted { fail("DIARIUM", "diarium:\(local) is declared by no schema") }
                continue
            }
            if element.attributes["xsi:type"] != type, reported.insert(local + " type").inserted {
                fail("DIARIUM", "diarium:\(local) has xsi:type \(element.attributes["xsi:type"] ?? "none"), its schema says \(type)")
            }
        }
    }

    // MARK: Change log

    /// One element's name per entry (M681), and catalogue values for the elements that
    /// have a code list.
    private mutating func checkChangeLog(_ log: ExtractNode) {
        for change in log.descendants(named: "endring") {
            let element = change.text(of: "referanseMetadata") ?? ""
            guard element.range(of: "^[a-zA-Z]+$", options: .regularExpression) != nil else {
                fail("CODE", "referanseMetadata «\(element)» is not one element's name")
                continue
            }
            let list: Set<String>
            switch element {
            case "journalstatus": list = Self.journalStatus
            case "journalposttype": list = Self.journalPostType
            case "tilgangsrestriksjon": list = Self.accessRestriction
            case "skjermingMetadata": list = Self.screening
            default: continue
            }
            for field in ["tidligereVerdi", "nyVerdi"] {
                let value = change.text(of: field) ?? ""
                // The absence of a value has no code; the writer says «Ingen verdi».
                if !list.contains(value) && value != "Ingen verdi" { fail("CODE", "endringslogg \(element) \(field) «\(value)» is not in the catalogue's list") }
            }
        }
    }
}

/// A small DOM over Foundation's parser: names as written (with prefix), attributes,
/// text and children, enough to read an extract as Arkade does.
final class ExtractNode {
    let name: String
    let attributes: [String: String]
    private(set) var children: [ExtractNode] = []
    private(set) weak var parent: ExtractNode?
    fileprivate var rawText = ""

    init(name: String, attributes: [String: String], parent: ExtractNode?) {
        self.name = name
        self.attributes = attributes
        self.parent = parent
    }

    var text: String { rawText.trimmingCharacters(in: .whitespacesAndNewlines) }

    func child(_ name: String) -> ExtractNode? { children.first { $0.name == name } }
    func text(of childName: String) -> String? { child(childName)?.text }

    func descendants(where predicate: (ExtractNode) -> Bool) -> [ExtractNode] {
        var out: [ExtractNode] = []
        var stack = Array(children.reversed())
        while let node = stack.popLast() {
            if predicate(node) { out.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return out
    }

    func descendants(named name: String) -> [ExtractNode] { descendants { $0.name == name } }
    func texts(_ name: String) -> [String] { descendants(named: name).map(\.text) }

    /// ADDML: the `property` child (under `properties`) with this name.
    func property(_ name: String) -> ExtractNode? {
        child("properties")?.children.first { $0.name == "property" && $0.attributes["name"] == name }
    }

    /// ADDML: a property's `value`.
    var value: String? { child("value")?.text }

    /// `xsi:type="journalpost"`, literally, as Arkade identifies a journal post.
    var isJournalPost: Bool { attributes["xsi:type"] == "journalpost" }

    /// Paths of the elements with neither children nor text (Arkade N5.63).
    func emptyLeaves() -> [String] {
        descendants { $0.children.isEmpty && $0.text.isEmpty }.map { node in
            var names = [node.name]
            var up = node.parent
            while let p = up, names.count < 3 { names.insert(p.name, at: 0); up = p.parent }
            return names.joined(separator: "/")
        }
    }

    /// The document element of a file, or nil when it is missing or not well-formed.
    static func parse(_ url: URL) -> ExtractNode? {
        guard let parser = XMLParser(contentsOf: url) else { return nil }
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: ExtractNode?
        var stack: [ExtractNode] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            let node = ExtractNode(name: qualifiedName ?? name, attributes: attributes, parent: stack.last)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.rawText += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }
    }
}
