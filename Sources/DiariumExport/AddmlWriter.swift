import Foundation

/// Writes arkivuttrekk.xml, the ADDML 8.3 description of the package, in the shape of
/// the Noark 5 standard's example (vedlegg 5): exactly the four dataObjects of the XML
/// files, each with its schemas, every file with SHA-256 checksum and size (Arkade N5.02,
/// N5.03; krav 6.4.22 asks checksums of the XML files and schemas only). Arkade reads the
/// first file of every dataObject as one of the Noark 5 XML files it knows, so the
/// document files get no dataObject: each carries its own `sjekksum` in
/// arkivstruktur.xml, and their number is `antallDokumentfiler` (N5.28).
struct AddmlWriter {
    static let namespace = "http://www.arkivverket.no/standarder/addml"

    /// A file of the extract: path relative to the extract, checksum and size.
    struct FileEntry {
        var name: String
        var sha256: String
        var size: Int
    }

    /// One XML file with its main schema, any further schema its content uses (Diarium's
    /// for virksomhetsspesifikkeMetadata in arkivstruktur.xml, krav 6.4.23), and the
    /// number of its key elements.
    struct XMLObject {
        var name: String
        var file: FileEntry
        var schema: FileEntry
        var extraSchemas: [FileEntry] = []
        var counts: [(element: String, count: Int)]
    }

    let extract: NoarkExtract
    let objects: [XMLObject]
    let catalogue: FileEntry
    let addmlSchema: FileEntry
    /// The number of files under DOKUMENT/ (antallDokumentfiler).
    let documentCount: Int

    func write() -> Data {
        var x = XMLWriter()
        x.open("addml", [
            "xmlns": Self.namespace,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": "\(Self.namespace) addml.xsd",
            "name": "Noark 5-arkivuttrekk",
        ])
        x.open("dataset")
        x.element("description", "Noark 5-arkivuttrekk")
        writeReference(&x)
        x.open("dataObjects")
        x.open("dataObject", ["name": "Noark 5-arkivuttrekk"])
        x.open("properties")
        writeInfo(&x)
        x.open("property", ["name": "schema"])
        x.open("properties")
        writeFile(&x, addmlSchema)
        x.close()
        x.close()
        x.close()
        x.open("dataObjects")
        for object in objects { writeObject(&x, object) }
        x.close()
        x.close()
        x.close()
        x.close()
        x.close()
        return x.data
    }

    private func writeReference(_ x: inout XMLWriter) {
        let period = extract.period
        x.open("reference")
        x.open("context")
        x.open("additionalElements")
        x.open("additionalElement", ["name": "recordCreators"])
        x.open("additionalElements")
        x.open("additionalElement", ["name": "recordCreator"])
        x.element("value", extract.agencyName)
        x.close()
        x.close()
        x.close()
        value(&x, additional: "systemType", "Sakarkiv (Noark-5)")
        value(&x, additional: "systemName", "Diarium")
        // The registry's change-log head this extract was made from: `diarium verify
        // --anchor` proves later that the registry still holds what was delivered.
        if let head = extract.chainHead { value(&x, additional: "diariumChainHead", head.description) }
        value(&x, additional: "archive", "\(extract.agencyName): sosiale medier")
        x.close()
        x.close()
        x.open("content")
        x.open("additionalElements")
        x.open("additionalElement", ["name": "archivalPeriod"])
        x.open("properties")
        property(&x, "startDate", period.start)
        property(&x, "endDate", period.end)
        x.close()
        x.close()
        x.close()
        x.close()
        x.close()
    }

    private func writeInfo(_ x: inout XMLWriter) {
        x.open("property", ["name": "info"])
        x.open("properties")
        x.open("property", ["name": "type"])
        x.element("value", "Noark 5")
        x.open("properties")
        property(&x, "version", "5.0")
        x.close()
        x.close()
        x.open("property", ["name": "additionalInfo"])
        x.open("properties")
        x.open("property", ["name": "periode"])
        x.open("properties")
        // Sharp boundaries: every journal post whose journaldato lies in the period is in the
        // extract, so the journals count exactly the posts of arkivstruktur.xml.
        property(&x, "inngaaendeSkille", "skarpt")
        property(&x, "utgaaendeSkille", "skarpt")
        x.close()
        x.close()
        property(&x, "inneholderSkjermetInformasjon", extract.restrictedAny ? "true" : "false", type: "boolean")
        property(&x, "omfatterDokumenterSomErKassert", "false", type: "boolean")
        property(&x, "inneholderDokumenterSomSkalKasseres", "false", type: "boolean")
        property(&x, "inneholderVirksomhetsspesifikkeMetadata", "true", type: "boolean")
        property(&x, "antallDokumentfiler", String(documentCount), type: "integer")
        x.close()
        x.close()
        x.close()
        x.close()
    }

    private func writeObject(_ x: inout XMLWriter, _ object: XMLObject) {
        x.open("dataObject", ["name": object.name])
        x.open("properties")
        writeFile(&x, object.file)
        x.open("property", ["name": "schema"])
        x.element("value", "main")
        x.open("properties")
        writeFile(&x, object.schema)
        property(&x, "type", "XML Schema")
        x.close()
        x.close()
        x.open("property", ["name": "schema"])
        x.open("properties")
        writeFile(&x, catalogue)
        x.close()
        x.close()
        for schema in object.extraSchemas {
            x.open("property", ["name": "schema"])
            x.open("properties")
            writeFile(&x, schema)
            property(&x, "type", "XML Schema")
            x.close()
            x.close()
        }
        x.open("property", ["name": "info"])
        x.open("properties")
        for (element, count) in object.counts {
            x.open("property", ["name": "numberOfOccurrences"])
            x.element("value", element)
            x.open("properties")
            property(&x, "elementPath", "//\(element)")
            property(&x, "value", String(count), type: "integer")
            x.close()
            x.close()
        }
        x.close()
        x.close()
        x.close()
        x.close()
    }

    /// A file: name, format (XML 1.0 for the XML and schema files), SHA-256 and size.
    private func writeFile(_ x: inout XMLWriter, _ file: FileEntry) {
        x.open("property", ["name": "file"])
        x.open("properties")
        property(&x, "name", file.name)
        if file.name.hasSuffix(".xml") || file.name.hasSuffix(".xsd") {
            x.open("property", ["name": "format"])
            x.element("value", "XML")
            x.open("properties")
            property(&x, "version", "1.0")
            x.close()
            x.close()
        }
        x.open("property", ["name": "checksum"])
        x.open("properties")
        property(&x, "algorithm", "SHA-256")
        property(&x, "value", file.sha256)
        x.close()
        x.close()
        property(&x, "size", String(file.size), type: "integer")
        x.close()
        x.close()
    }

    private func property(_ x: inout XMLWriter, _ name: String, _ value: String, type: String? = nil) {
        if let type {
            x.open("property", ["dataType": type, "name": name])
        } else {
            x.open("property", ["name": name])
        }
        x.element("value", value)
        x.close()
    }

    private func value(_ x: inout XMLWriter, additional name: String, _ value: String) {
        x.open("additionalElement", ["name": name])
        x.element("value", value)
        x.close()
    }
}
