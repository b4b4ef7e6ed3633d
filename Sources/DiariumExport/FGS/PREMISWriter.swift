import Foundation

/// Writes `metadata/preservation/premis.xml` (PREMIS 3.0): an object for every file of
/// the package but the root METS and this file, with its SHA-256 fixity and size; a
/// capture event for each capture behind a data file (when and from where Diarium fetched
/// the bytes); one packing event for the export itself, naming the change-log head the
/// package was made from; and the two agents. URLs are the platform API's, which name
/// accounts and item ids, never the screened text of an item.
struct PREMISWriter {
    static let namespace = "http://www.loc.gov/premis/v3"

    let delivery: FGSDelivery
    /// Every described file, with the data files' hashes to link them to their captures.
    let files: [PackageFile]

    func write() -> Data {
        var x = XMLWriter()
        x.open("premis", attributes: [("xmlns", Self.namespace), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                                      ("version", "3.0")])
        let capturesByHash = Dictionary(grouping: delivery.captures.values, by: \.sha256)
        let dataFolder = RepresentationMETSWriter.folder + "/data/"
        for file in files {
            x.open("object", attributes: [("xsi:type", "file")])
            identifier(&x, "objectIdentifier", "local", file.path)
            x.open("objectCharacteristics")
            x.element("compositionLevel", "0")
            x.open("fixity")
            x.element("messageDigestAlgorithm", "SHA-256")
            x.element("messageDigest", file.sha256)
            x.element("messageDigestOriginator", "Diarium")
            x.close()
            x.element("size", String(file.size))
            x.open("format")
            x.open("formatDesignation")
            x.element("formatName", file.mime)
            x.close()
            x.close()
            x.close()
            if file.path.hasPrefix(dataFolder) {
                for capture in (capturesByHash[file.sha256] ?? []).sorted(by: { $0.id < $1.id }) {
                    identifier(&x, "linkingEventIdentifier", "local", "capture-\(capture.id)")
                }
            }
            identifier(&x, "linkingEventIdentifier", "local", "export-\(delivery.packageID)")
            x.close()
        }
        let pathByHash = Dictionary(files.filter { $0.path.hasPrefix(dataFolder) }.map { ($0.sha256, $0.path) }, uniquingKeysWith: { a, _ in a })
        for capture in delivery.captures.values.sorted(by: { $0.id < $1.id }) {
            x.open("event")
            identifier(&x, "eventIdentifier", "local", "capture-\(capture.id)")
            x.element("eventType", "capture")
            x.element("eventDateTime", capture.capturedAt.map(delivery.dateTime) ?? "OPEN")
            x.open("eventDetailInformation")
            x.element("eventDetail", "\(capture.method) \(capture.url) (HTTP \(capture.status))")
            x.close()
            outcome(&x, "success")
            identifier(&x, "linkingAgentIdentifier", "local", "agent-diarium")
            if let path = pathByHash[capture.sha256] { identifier(&x, "linkingObjectIdentifier", "local", path) }
            x.close()
        }
        x.open("event")
        identifier(&x, "eventIdentifier", "local", "export-\(delivery.packageID)")
        x.element("eventType", "packing")
        x.element("eventDateTime", delivery.dateTime(delivery.createdAt))
        x.open("eventDetailInformation")
        x.element("eventDetail", "diarium export fgs \(delivery.range.description); made from change-log head \(delivery.chainHead?.description ?? "none")")
        x.close()
        outcome(&x, "success")
        identifier(&x, "linkingAgentIdentifier", "local", "agent-diarium")
        identifier(&x, "linkingAgentIdentifier", "local", "agent-agency")
        x.close()
        x.open("agent")
        identifier(&x, "agentIdentifier", "local", "agent-diarium")
        x.element("agentName", "Diarium")
        x.element("agentType", "software")
        x.element("agentVersion", delivery.softwareVersion)
        x.close()
        x.open("agent")
        identifier(&x, "agentIdentifier", "local", "agent-agency")
        x.element("agentName", delivery.agency.name)
        x.element("agentType", "organization")
        x.close()
        x.close()
        return x.data
    }

    /// `objectIdentifier`, `linkingEventIdentifier`, … all hold `<name>Type` and `<name>Value`.
    private func identifier(_ x: inout XMLWriter, _ name: String, _ type: String, _ value: String) {
        x.open(name)
        x.element("\(name)Type", type)
        x.element("\(name)Value", value)
        x.close()
    }

    private func outcome(_ x: inout XMLWriter, _ value: String) {
        x.open("eventOutcomeInformation")
        x.element("eventOutcome", value)
        x.close()
    }
}
