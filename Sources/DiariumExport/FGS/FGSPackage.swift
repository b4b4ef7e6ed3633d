import DiariumCore
import DiariumStore
import Foundation

/// What an FGS export wrote, for the command's one-line summary.
public struct FGSExportSummary: Sendable, Hashable {
    /// `DIR/<package id>`: the package's root folder, named after its METS `OBJID`.
    public var folder: String
    public var packageID: String
    public var registeredCases: Int
    public var threads: Int
    public var registeredRecords: Int
    public var records: Int
    public var dataFiles: Int
    public var damaged: [DamagedRecord] = []
    public var head: ChainHead?
}

/// The schema files an FGS package carries in its `schemas/` folder (those its XML names),
/// shipped with Diarium in `schemas/fgs/` (see its README for their sources).
public enum FGSSchemas {
    public static let packaged = ["mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd", "DILCISExtensionSIPMETS.xsd", "ERMS.xsd"]

    /// Like the Noark 5 schemas: `$DIARIUM_FGS_SCHEMAS_DIR`, an installed
    /// `share/diarium/schemas/fgs`, or `schemas/fgs` in a checkout.
    public static func defaultDirectory() throws -> URL {
        try SchemaFolder.find(subfolder: "fgs", environmentKey: "DIARIUM_FGS_SCHEMAS_DIR", holds: holdsSchemas,
                              what: "the FGS package schemas (METS, the CSIP and SIP extensions, ERMS)")
    }

    static func holdsSchemas(_ url: URL) -> Bool {
        packaged.allSatisfy { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
    }
}

/// Writes one E-ARK SIP by FGS Paketstruktur 2.0 (CSIP 2.1.0 + SIP 2.1.0) whose content is
/// FGS Ärendehantering 2.0 (CITS ERMS 2.1.2), as the folder `DIR/<package id>/`:
///
///     METS.xml                               root METS (OBJID = the folder's name)
///     metadata/descriptive/dc.xml            Dublin Core: who, what, which period
///     metadata/preservation/premis.xml       PREMIS 3: fixity, capture and export events
///     documentation/leverans.txt             how the delivery is arranged, for the archivist
///     schemas/                               METS, CSIP/SIP extensions, ERMS
///     representations/rep1/METS.xml          the representation's files with SHA-256
///     representations/rep1/metadata/preservation/premis.xml  its data's fixity and captures
///     representations/rep1/data/erms.xml     the ERMS file
///     representations/rep1/data/captures/    the captured bytes, as `diarium show --raw`
///
/// It reads one consistent snapshot of the registry and never writes to it; `DIR` must be
/// new or empty, and the package is built beside it and moved in at the end
/// (`OutputFolder`), so an error leaves nothing behind.
public struct FGSExporter: Sendable {
    public let registry: Registry
    public let agency: FGSAgency
    public let softwareVersion: String
    public let schemaDirectory: URL

    public init(registry: Registry, agency: FGSAgency, softwareVersion: String, schemaDirectory: URL) {
        self.registry = registry
        self.agency = agency
        self.softwareVersion = softwareVersion
        self.schemaDirectory = schemaDirectory
    }

    public func export(to folder: URL, range: ExportRange, now: Date = Date()) throws -> FGSExportSummary {
        let output = try OutputFolder(folder)
        guard !agency.identificationCode.isEmpty else {
            throw ExportUsageError("An FGS delivery names the agency by its identification code: give --agency-id (the organisationsnummer, e.g. 202100-0000).")
        }
        guard FGSSchemas.holdsSchemas(schemaDirectory) else {
            throw ExportError("The FGS schema files are missing from \(schemaDirectory.path); nothing was exported.")
        }
        let (selection, head) = try registry.withHead { try registry.exportSelection(from: range.lower, to: range.upper, by: .journalDate) }
        guard !selection.items.isEmpty || !selection.disposed.isEmpty else {
            throw ExportError.nothingInPeriod(range)
        }
        let packageID = "diarium-sip-\(UUID().uuidString.lowercased())"
        var delivery = try FGSDelivery(selection: selection, agency: agency, softwareVersion: softwareVersion, packageID: packageID,
                                       createdAt: now, range: range, timeZone: registry.timeZone)
        delivery.chainHead = head
        try output.begin()
        do {
            func put(_ data: Data, _ path: String, mime: String) throws -> PackageFile {
                try output.write(data, to: "\(packageID)/\(path)")
                return PackageFile(path: path, data: data, mime: mime)
            }
            let dataFolder = RepresentationMETSWriter.folder + "/data"
            let erms = try put(ERMSWriter(delivery: delivery).write(), "\(dataFolder)/erms.xml", mime: "application/xml")
            var dataFiles = [erms]
            for file in delivery.files.values.sorted(by: { $0.path < $1.path }) {
                let body = try CapturedBody.verified(registry, sha256: file.sha256, size: file.size)
                dataFiles.append(try put(body, "\(dataFolder)/\(file.path)", mime: file.mime))
            }
            // The representation's PREMIS holds what concerns its data; the package's repeats
            // it and adds the package's own files, so either can be read alone.
            let repPreservation = try put(PREMISWriter(delivery: delivery, files: dataFiles).write(),
                                          RepresentationMETSWriter.preservationPath, mime: "application/xml")
            let repMETS = try put(RepresentationMETSWriter(delivery: delivery, files: dataFiles, preservation: repPreservation).write(),
                                  "\(RepresentationMETSWriter.folder)/METS.xml", mime: "application/xml")
            var schemas: [PackageFile] = []
            for name in FGSSchemas.packaged {
                let source = schemaDirectory.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: source.path) else {
                    throw ExportError("Cannot read the schema \(source.path); nothing was exported.")
                }
                schemas.append(try put(data, "schemas/\(name)", mime: "application/xml"))
            }
            let documentation = try put(DeliveryDocumentation(delivery: delivery).text(), "documentation/leverans.txt", mime: "text/plain")
            let descriptive = try put(DescriptiveWriter(delivery: delivery).write(), "metadata/descriptive/dc.xml", mime: "application/xml")
            let preservation = try put(PREMISWriter(delivery: delivery,
                                                    files: dataFiles + [repPreservation, repMETS, descriptive, documentation] + schemas).write(),
                                       "metadata/preservation/premis.xml", mime: "application/xml")
            let root = RootMETSWriter(delivery: delivery, descriptive: descriptive, preservation: preservation,
                                      documentation: [documentation], schemas: schemas, representationMETS: repMETS)
            _ = try put(root.write(), "METS.xml", mime: "application/xml")
            try output.commit()
            return FGSExportSummary(
                folder: output.target.appendingPathComponent(packageID).path, packageID: packageID,
                registeredCases: delivery.registeredCases.count, threads: delivery.cases.count - delivery.registeredCases.count,
                registeredRecords: delivery.registeredRecordCount, records: delivery.recordCount,
                dataFiles: delivery.files.count, damaged: selection.damaged, head: head)
        } catch {
            output.abandon()
            throw error
        }
    }
}
