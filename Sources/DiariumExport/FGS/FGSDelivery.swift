import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// Who delivers: the agency (arkivbildare and levererande myndighet are the same here)
/// and the identification code Riksarkivet knows it by (its organisationsnummer).
public struct FGSAgency: Sendable, Hashable {
    public var name: String
    public var identificationCode: String

    public init(name: String, identificationCode: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.name = trimmed.isEmpty ? "Myndigheten" : trimmed
        self.identificationCode = identificationCode.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// One FGS delivery, arranged before anything is written, so the ERMS file, the
/// representation METS and PREMIS name the same files and count the same records.
///
/// Structure (the mapping is documented in the package's `documentation/` and the README):
/// - a thread holding at least one registered (diariefört) item in the range is an ärende:
///   an ERMS `aggregation` of type `caseFile`, identified by Diarium's case number;
/// - a thread without one is kept in order as an aggregation of its own type `tråd`, so
///   that every archived item has a place and no thread is presented as an ärende;
/// - every item is a `record`: a registered one carries its registration number, the
///   rest (agency posts, comments, rejected proposals) none.
///
/// Everything shown in the metadata is the public diarium's view (`JournalEntryView` with
/// `isPublic`), so a screened name or restricted word never leaves the captured files.
struct FGSDelivery {
    /// A captured body in `representations/rep1/data/`, named by its hash so a body
    /// shared by several items (one API response holding many replies) is written once.
    struct DataFile: Hashable {
        var path: String
        var sha256: String
        var size: Int
        var contentType: String?
        var mime: String { FileFormat.mime(contentType) ?? "application/octet-stream" }
    }

    /// One capture of a data file: PREMIS records a capture event for each.
    struct Capture: Hashable {
        var id: Int64
        var sha256: String
        var method: String
        var url: String
        var status: Int
        var capturedAt: Date?
    }

    /// A file of a record, as the ERMS `appendix` names it.
    struct Appendix {
        enum Role { case version(Int), media, deletion }
        var role: Role
        var file: DataFile
        var capturedAt: Date?
    }

    /// A disposed (gallrad) item: its record stays, from its tombstone, without files and
    /// without anything of its content, as in the Noark 5 export.
    struct Disposal: Hashable {
        var disposedAt: Date
        /// The legal basis of the gallring decision (e.g. an RA-FS or the agency's
        /// gallringsbeslut); for an officer's erasure of one item, the officer's reason.
        var mandate: String
        var action: String = "gallrad"
    }

    struct DisposedRecord {
        var systemIdentifier: String
        var objectID: String
        var tombstone: Tombstone
        var disposal: Disposal
    }

    struct Record {
        var systemIdentifier: String
        var objectID: String
        var item: ExportItem
        /// The registration number exactly as Diarium shows it (`2026/000005`), only for an
        /// entry in the diarium (status M or J, as `diarium search --journaled yes`).
        var registrationNumber: String?
        var appendices: [Appendix]

        var publicView: JournalEntryView { JournalEntryView(record: item.record, isPublic: true) }
        var access: Access? { item.record.access.restricted ? item.record.access : nil }
        var isRegistered: Bool { registrationNumber != nil }
    }

    struct Case {
        var systemIdentifier: String
        var objectID: String
        var file: ExportCaseFile
        var records: [Record]
        var disposed: [DisposedRecord] = []
        var isRegistered: Bool { records.contains(where: \.isRegistered) }
        var caseNumber: String { JournalNumber.format(year: file.year, sequence: file.sequence) }
        /// The thread's title as the public diarium shows it (that of its first item).
        var publicTitle: String {
            if let root = file.root { return JournalEntryView(record: root, isPublic: true).title }
            return "Tråd på \(file.account)"
        }
    }

    let agency: FGSAgency
    let softwareVersion: String
    let packageID: String
    let createdAt: Date
    let range: ExportRange
    let timeZone: TimeZone
    var chainHead: ChainHead?
    private(set) var cases: [Case] = []
    private(set) var files: [String: DataFile] = [:]
    private(set) var captures: [Int64: Capture] = [:]

    init(selection: ExportSelection, agency: FGSAgency, softwareVersion: String, packageID: String,
         createdAt: Date, range: ExportRange, timeZone: TimeZone) throws {
        self.agency = agency
        self.softwareVersion = softwareVersion
        self.packageID = packageID
        self.createdAt = createdAt
        self.range = range
        self.timeZone = timeZone
        var caseIndex: [Int64: Int] = [:]
        for item in selection.items {
            let reference = "\(item.record.item.account):\(item.record.item.id)"
            guard let caseID = item.caseFileID, let caseFile = selection.caseFiles[caseID] else {
                throw ExportError("Item \(reference) has no case file in the registry; run `diarium verify` and report it.")
            }
            if caseIndex[caseID] == nil {
                caseIndex[caseID] = cases.count
                cases.append(Case(systemIdentifier: "casefile-\(caseID)", objectID: Self.newID(), file: caseFile, records: []))
            }
            var appendices: [Appendix] = []
            for version in item.versions {
                appendices.append(Appendix(role: .version(version.number), file: add(version.capture, version.capture.headers.value(for: "Content-Type")),
                                           capturedAt: version.capture.capturedAt))
            }
            var seenMedia: Set<String> = []
            for media in item.versions.flatMap(\.media) where seenMedia.insert(media.capture.sha256).inserted {
                appendices.append(Appendix(role: .media, file: add(media.capture, media.contentType ?? media.capture.headers.value(for: "Content-Type")),
                                           capturedAt: media.capture.capturedAt))
            }
            if let evidence = item.deletionCapture {
                appendices.append(Appendix(role: .deletion, file: add(evidence, evidence.headers.value(for: "Content-Type")),
                                           capturedAt: evidence.capturedAt))
            }
            let number = item.journalEntry.flatMap { $0.status == JournalStatus.U.rawValue ? nil : item.record.journalNumber }
            cases[caseIndex[caseID]!].records.append(Record(
                systemIdentifier: reference, objectID: Self.newID(), item: item, registrationNumber: number,
                appendices: appendices))
        }
        for tombstone in selection.disposed {
            guard let caseID = tombstone.caseFileID, let caseFile = selection.caseFiles[caseID] else {
                throw ExportError("The disposed item \(tombstone.reference) has no case file in the registry; run `diarium verify` and report it.")
            }
            if caseIndex[caseID] == nil {
                caseIndex[caseID] = cases.count
                cases.append(Case(systemIdentifier: "casefile-\(caseID)", objectID: Self.newID(), file: caseFile, records: []))
            }
            let disposal = Disposal(disposedAt: Timestamp.parse(tombstone.disposedAt) ?? createdAt,
                                    mandate: tombstone.basis ?? tombstone.reason)
            cases[caseIndex[caseID]!].disposed.append(DisposedRecord(
                systemIdentifier: tombstone.reference, objectID: Self.newID(), tombstone: tombstone, disposal: disposal))
        }
    }

    /// A fresh random UUID (v4) for ERMS `objectId`, which the specification defines as
    /// generated by the system and universally unique: exporting twice makes two packages.
    static func newID() -> String { UUID().uuidString.lowercased() }

    private mutating func add(_ capture: CaptureInfo, _ contentType: String?) -> DataFile {
        if captures[capture.id] == nil {
            captures[capture.id] = Capture(id: capture.id, sha256: capture.sha256, method: capture.method, url: capture.url,
                                           status: capture.status, capturedAt: capture.capturedAt)
        }
        if let known = files[capture.sha256] { return known }
        let file = DataFile(path: "captures/\(capture.sha256).\(FileFormat.fileExtension(contentType))",
                            sha256: capture.sha256, size: capture.size, contentType: contentType)
        files[capture.sha256] = file
        return file
    }

    var registeredCases: [Case] { cases.filter(\.isRegistered) }
    var recordCount: Int { cases.reduce(0) { $0 + $1.records.count + $1.disposed.count } }
    var registeredRecordCount: Int { cases.reduce(0) { $0 + $1.records.filter(\.isRegistered).count } }

    /// The days the delivery covers, for titles: the range asked for, else the items' days.
    var period: String {
        let days = cases.flatMap { $0.records.map(\.item.record.day) + $0.disposed.map(\.tombstone.day) }.sorted()
        let first = range.from ?? days.first ?? Timestamp.day(createdAt, in: timeZone)
        let last = range.to ?? days.last ?? Timestamp.day(createdAt, in: timeZone)
        return first == last ? first : "\(first) – \(last)"
    }

    /// RFC 3339 in UTC (xs:dateTime).
    func dateTime(_ date: Date) -> String { Timestamp.format(date) }
}
