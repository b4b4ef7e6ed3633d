import Foundation

/// Writes `representations/rep1/METS.xml`: every file of the representation's `data/`
/// folder (the ERMS file and the captured bytes) with its size and SHA-256, so the
/// representation can be checked on its own after it is split from the package.
struct RepresentationMETSWriter {
    static let folder = "representations/rep1"

    let delivery: FGSDelivery
    /// The ERMS file first, then the captured files in path order.
    let files: [PackageFile]

    func write() -> Data {
        var x = XMLWriter()
        let created = delivery.dateTime(delivery.createdAt)
        METSParts.open(&x, objectID: "\(delivery.packageID)-rep1", label: "rep1: CITS ERMS och bevarade filer",
                       schemas: "../../schemas")
        METSParts.header(&x, delivery, withAgencies: false)
        x.open("fileSec", attributes: [("ID", "filesec-rep1")])
        x.open("fileGrp", attributes: [("ID", "fg-data"), ("USE", "Data"), ("csip:CONTENTINFORMATIONTYPE", METSParts.contentInformationType)])
        for file in files {
            METSParts.file(&x, id: METSParts.id("file", file.href(from: Self.folder)), file, from: Self.folder, created: created)
        }
        x.close()
        x.close()
        x.open("structMap", attributes: [("ID", "structmap-rep1"), ("TYPE", "PHYSICAL"), ("LABEL", "CSIP")])
        x.open("div", attributes: [("ID", "div-rep1"), ("LABEL", "rep1")])
        x.open("div", attributes: [("ID", "div-rep1-data"), ("LABEL", "Data")])
        x.empty("fptr", [("FILEID", "fg-data")])
        x.close()
        x.close()
        x.close()
        x.close()
        return x.data
    }
}
