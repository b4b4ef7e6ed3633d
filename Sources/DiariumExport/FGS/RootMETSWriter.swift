import Foundation

/// Writes the package's root `METS.xml` by E-ARK CSIP/SIP 2.1.0 (FGS Paketstruktur 2.0):
/// descriptive and preservation metadata by `mdRef`, the file groups the 2.1.0 text makes
/// mandatory (Documentation, Schemas, Representations/rep1) and the CSIP structure map,
/// whose representation division points at `representations/rep1/METS.xml`.
struct RootMETSWriter {
    let delivery: FGSDelivery
    let descriptive: PackageFile
    let preservation: PackageFile
    let documentation: [PackageFile]
    let schemas: [PackageFile]
    let representationMETS: PackageFile

    func write() -> Data {
        var x = XMLWriter()
        let created = delivery.dateTime(delivery.createdAt)
        METSParts.open(&x, objectID: delivery.packageID, label: "\(delivery.agency.name): sociala medier \(delivery.period)",
                       schemas: "schemas")
        METSParts.header(&x, delivery, withAgencies: true)
        x.open("dmdSec", attributes: [("ID", "dmd-1"), ("CREATED", created), ("STATUS", "CURRENT")])
        METSParts.mdRef(&x, descriptive, type: "DC", created: created)
        x.close()
        x.open("amdSec", attributes: [("ID", "amd-1")])
        x.open("digiprovMD", attributes: [("ID", "digiprov-1"), ("CREATED", created), ("STATUS", "CURRENT")])
        METSParts.mdRef(&x, preservation, type: "PREMIS", created: created)
        x.close()
        x.close()
        x.open("fileSec", attributes: [("ID", "filesec-1")])
        group(&x, id: "fg-documentation", use: "Documentation", documentation, created: created)
        group(&x, id: "fg-schemas", use: "Schemas", schemas, created: created)
        x.open("fileGrp", attributes: [("ID", "fg-rep1"), ("USE", "Representations/rep1"),
                                       ("csip:CONTENTINFORMATIONTYPE", METSParts.contentInformationType)])
        METSParts.file(&x, id: "file-rep1-mets", representationMETS, from: "", created: created)
        x.close()
        x.close()
        x.open("structMap", attributes: [("ID", "structmap-1"), ("TYPE", "PHYSICAL"), ("LABEL", "CSIP")])
        x.open("div", attributes: [("ID", "div-root"), ("LABEL", delivery.packageID)])
        x.empty("div", [("ID", "div-metadata"), ("LABEL", "Metadata"), ("DMDID", "dmd-1"), ("ADMID", "digiprov-1")])
        x.open("div", attributes: [("ID", "div-documentation"), ("LABEL", "Documentation")])
        x.empty("fptr", [("FILEID", "fg-documentation")])
        x.close()
        x.open("div", attributes: [("ID", "div-schemas"), ("LABEL", "Schemas")])
        x.empty("fptr", [("FILEID", "fg-schemas")])
        x.close()
        x.open("div", attributes: [("ID", "div-representations"), ("LABEL", "Representations")])
        x.empty("fptr", [("FILEID", "fg-rep1")])
        x.open("div", attributes: [("ID", "div-rep1"), ("LABEL", "Representations/rep1")])
        x.empty("mptr", [("LOCTYPE", "URL"), ("xlink:type", "simple"), ("xlink:href", representationMETS.path), ("xlink:title", "fg-rep1")])
        x.close()
        x.close()
        x.close()
        x.close()
        x.close()
        return x.data
    }

    private func group(_ x: inout XMLWriter, id: String, use: String, _ files: [PackageFile], created: String) {
        x.open("fileGrp", attributes: [("ID", id), ("USE", use)])
        for file in files { METSParts.file(&x, id: METSParts.id("file", file.path), file, from: "", created: created) }
        x.close()
    }
}
