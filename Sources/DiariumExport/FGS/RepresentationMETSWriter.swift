import Foundation

/// Writes `representations/rep1/METS.xml`: every file of the representation's `data/`
/// folder (the ERMS file and the captured bytes) with its size and SHA-256, and the
/// representation's own PREMIS in its `metadata/` folder (CSIPSTR13), so the
/// representation can be checked and understood on its own after it is split from the
/// package.
struct RepresentationMETSWriter {
    static let folder = "representations/rep1"
    /// The representation's PREMIS: its data files' fixity and the captures behind them.
    static let preservationPath = folder + "/metadata/preservation/premis.xml"

    let delivery: FGSDelivery
    /// The ERMS file first, then the captured files in path order.
    let files: [PackageFile]
    /// `preservationPath`, written before this METS so it can carry its checksum.
    let preservation: PackageFile

    func write() -> Data {
        var x = XMLWriter()
        let created = delivery.dateTime(delivery.createdAt)
        METSParts.open(&x, objectID: "\(delivery.packageID)-rep1", label: "rep1: CITS ERMS och bevarade filer",
                       schemas: "../../schemas")
        METSParts.header(&x, delivery, withAgencies: false)
        x.open("amdSec", attributes: [("ID", "amd-rep1")])
        x.open("digiprovMD", attributes: [("ID", "digiprov-rep1"), ("CREATED", created), ("STATUS", "CURRENT")])
        METSParts.mdRef(&x, preservation, type: "PREMIS", created: created, from: Self.folder)
        x.close()
        x.close()
        x.open("fileSec", attributes: [("ID", "filesec-rep1")])
        x.open("fileGrp", attributes: [("ID", "fg-data"), ("USE", "Data"), ("csip:CONTENTINFORMATIONTYPE", METSParts.contentInformationType)])
        for file in files {
            METSParts.file(&x, id: METSParts.id("file", file.href(from: Self.folder)), file, from: Self.folder, created: created)
        }
        x.close()
        x.close()
        x.open("structMap", attributes: [("ID", "structmap-rep1"), ("TYPE", "PHYSICAL"), ("LABEL", "CSIP")])
        x.open("div", attributes: [("ID", "div-rep1"), ("LABEL", "rep1")])
        x.empty("div", [("ID", "div-rep1-metadata"), ("LABEL", "Metadata"), ("ADMID", "digiprov-rep1")])
        x.open("div", attributes: [("ID", "div-rep1-data"), ("LABEL", "Data")])
        x.empty("fptr", [("FILEID", "fg-data")])
        x.close()
        x.close()
        x.close()
        x.close()
        return x.data
    }
}
