import DiariumCore
import Foundation

/// A file written into the package, with what every METS `file` and `mdRef` must carry
/// (CSIP66–79, CSIP18–44): size, SHA-256 and MIME type of the bytes as written.
struct PackageFile: Hashable {
    /// Path from the package's root folder (`representations/rep1/data/erms.xml`).
    var path: String
    var size: Int
    var sha256: String
    var mime: String

    init(path: String, data: Data, mime: String) {
        self.path = path
        self.size = data.count
        self.sha256 = SHA256.hexDigest(data)
        self.mime = mime
    }

    init(path: String, size: Int, sha256: String, mime: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.mime = mime
    }

    /// The path as seen from a METS file in `folder` (`""` for the root).
    func href(from folder: String) -> String {
        folder.isEmpty ? path : String(path.dropFirst(folder.count + 1))
    }
}

/// The parts the root METS and the representation METS share, written once: the root
/// element with the profile attributes, the header with its agents, and file entries.
/// Both must follow the same CSIP 2.1.0 rules, so they come from one place.
enum METSParts {
    static let profile = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    static let contentInformationType = "citserms_v2_1"
    /// CSIP2: the content-category vocabulary's term is plural (`Dataset` fails).
    static let contentCategory = "Datasets"

    /// The `mets` element with the namespaces and schema locations (relative to `schemas`,
    /// the package's schema folder as seen from this METS file).
    static func open(_ x: inout XMLWriter, objectID: String, label: String, schemas: String) {
        x.open("mets", attributes: [
            ("xmlns", "http://www.loc.gov/METS/"),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:csip", "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"),
            ("xmlns:sip", "https://DILCIS.eu/XML/METS/SIPExtensionMETS"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://www.loc.gov/METS/ \(schemas)/mets.xsd http://www.w3.org/1999/xlink \(schemas)/xlink.xsd "
                + "https://DILCIS.eu/XML/METS/CSIPExtensionMETS \(schemas)/DILCISExtensionMETS.xsd "
                + "https://DILCIS.eu/XML/METS/SIPExtensionMETS \(schemas)/DILCISExtensionSIPMETS.xsd"),
            ("OBJID", objectID),
            ("LABEL", label),
            ("TYPE", contentCategory),
            ("csip:CONTENTINFORMATIONTYPE", contentInformationType),
            ("PROFILE", profile),
        ])
    }

    /// `metsHdr`: the software (CSIP10–16) always; the archival creator (SIP9–14) and the
    /// submitting agency (SIP15–20), both the agency with its identification code, in the
    /// root METS, which is what a receiving archive reads first.
    static func header(_ x: inout XMLWriter, _ delivery: FGSDelivery, withAgencies: Bool) {
        let created = delivery.dateTime(delivery.createdAt)
        x.open("metsHdr", attributes: [("CREATEDATE", created), ("LASTMODDATE", created), ("RECORDSTATUS", "NEW"),
                                       ("csip:OAISPACKAGETYPE", "SIP")])
        x.open("agent", attributes: [("ROLE", "CREATOR"), ("TYPE", "OTHER"), ("OTHERTYPE", "SOFTWARE")])
        x.element("name", "Diarium")
        x.element("note", delivery.softwareVersion, ["csip:NOTETYPE": "SOFTWARE VERSION"])
        x.close()
        if withAgencies {
            for role in ["ARCHIVIST", "CREATOR"] {
                x.open("agent", attributes: [("ROLE", role), ("TYPE", "ORGANIZATION")])
                x.element("name", delivery.agency.name)
                x.element("note", delivery.agency.identificationCode, ["csip:NOTETYPE": "IDENTIFICATIONCODE"])
                x.close()
            }
        }
        x.close()
    }

    /// A `file` with its `FLocat`, the path relative to the METS file in `folder`.
    static func file(_ x: inout XMLWriter, id: String, _ file: PackageFile, from folder: String, created: String) {
        x.open("file", attributes: [("ID", id), ("MIMETYPE", file.mime), ("SIZE", String(file.size)), ("CREATED", created),
                                    ("CHECKSUM", file.sha256), ("CHECKSUMTYPE", "SHA-256")])
        x.empty("FLocat", [("LOCTYPE", "URL"), ("xlink:type", "simple"), ("xlink:href", file.href(from: folder))])
        x.close()
    }

    /// An `mdRef` to a metadata file (CSIP18–30), the path relative to the METS file in `folder`.
    static func mdRef(_ x: inout XMLWriter, _ file: PackageFile, type: String, created: String, from folder: String = "") {
        x.empty("mdRef", [("LOCTYPE", "URL"), ("xlink:type", "simple"), ("xlink:href", file.href(from: folder)), ("MDTYPE", type),
                          ("MIMETYPE", file.mime), ("SIZE", String(file.size)), ("CREATED", created),
                          ("CHECKSUM", file.sha256), ("CHECKSUMTYPE", "SHA-256")])
    }

    /// A METS ID (xs:ID) from a path: letters, digits, `-`, `_` and `.` only, never a digit first.
    static func id(_ prefix: String, _ path: String) -> String {
        prefix + "-" + String(path.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (scalar.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")) ? c : "_"
        })
    }
}
