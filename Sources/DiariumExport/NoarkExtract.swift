import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// One Noark 5 extract, arranged before anything is written: every unit with its
/// systemID, every document file once, and the journal posts in number order. The
/// four XML writers read this one value, so arkivstruktur.xml and both journals name
/// the same units with the same systemIDs and count the same journal posts.
///
/// Structure: one arkiv, **one arkivdel per export** (an export is one delivered
/// period), one klassifikasjonssystem, **one klasse per account** (klasseID = the
/// account key), one saksmappe per thread (case file) holding its items: journaled items
/// as journalpost, the rest as arkivnotat (archived case documents, not journaled).
struct NoarkExtract {
    struct DocumentFile {
        var path: String
        var sha256: String
        var size: Int
        var contentType: String?
    }

    struct DocumentObject {
        var systemID: String
        var version: Int
        var file: DocumentFile
        var capturedAt: Date?
    }

    /// A media file attached to the item: a «Vedlegg» dokumentbeskrivelse.
    struct Attachment {
        var systemID: String
        var objectID: String
        var description: String?
        var url: String
        var file: DocumentFile
        var capturedAt: Date?
    }

    struct Record {
        var systemID: String
        var documentID: String
        var item: ExportItem
        var caseFile: ExportCaseFile
        var objects: [DocumentObject]
        var attachments: [Attachment]

        var internalView: JournalEntryView { JournalEntryView(record: item.record, isPublic: false) }
        var publicView: JournalEntryView { JournalEntryView(record: item.record, isPublic: true) }
        var entry: ExportJournalEntry? { item.journalEntry }
        /// Screened as the decision says; as `Access.unreadable` when it could not be read.
        var access: Access? { item.record.access.restricted ? item.record.access : nil }
    }

    struct CaseUnit {
        var systemID: String
        var file: ExportCaseFile
        var records: [Record]
    }

    struct ClassUnit {
        var systemID: String
        var account: String
        var platform: String
        var cases: [CaseUnit]
    }

    let agencyName: String
    /// The change log's head the extract was made from (in arkivuttrekk.xml).
    var chainHead: ChainHead?
    let exportedAt: Date
    let timeZone: TimeZone
    let range: ExportRange
    let arkivID = NoarkExtract.newID()
    let arkivdelID = NoarkExtract.newID()
    let classificationID = NoarkExtract.newID()
    private(set) var classes: [ClassUnit] = []
    private(set) var files: [String: DocumentFile] = [:]
    /// Journal posts in journal-number order (year, sequence).
    private(set) var journalPosts: [Record] = []
    /// systemID of the registrering of each `ACCOUNT:ID`, for the change log.
    private(set) var registrationIDs: [String: String] = [:]

    /// A fresh random UUID (v4): systemIDs must never repeat across extracts (krav
    /// 2.2.2, Arkade N5.47), and exporting the same items twice makes two extracts.
    static func newID() -> String { UUID().uuidString.lowercased() }

    init(selection: ExportSelection, agencyName: String, exportedAt: Date, timeZone: TimeZone, range: ExportRange) throws {
        self.agencyName = agencyName
        self.exportedAt = exportedAt
        self.timeZone = timeZone
        self.range = range
        var classIndex: [String: Int] = [:]
        var caseIndex: [Int64: (Int, Int)] = [:]
        for item in selection.items {
            let reference = "\(item.record.item.account):\(item.record.item.id)"
            guard let caseID = item.caseFileID, let caseFile = selection.caseFiles[caseID] else {
                throw ExportError("Item \(reference) has no case file in the registry; run `diarium verify` and report it.")
            }
            let account = item.record.item.account
            if classIndex[account] == nil {
                classIndex[account] = classes.count
                classes.append(ClassUnit(systemID: Self.newID(), account: account, platform: item.record.item.platform.rawValue, cases: []))
            }
            let c = classIndex[account]!
            if caseIndex[caseID] == nil {
                caseIndex[caseID] = (c, classes[c].cases.count)
                classes[c].cases.append(CaseUnit(systemID: Self.newID(), file: caseFile, records: []))
            }
            var objects: [DocumentObject] = []
            for version in item.versions {
                let file = document(version.capture, contentType: version.capture.headers.value(for: "Content-Type"))
                objects.append(DocumentObject(systemID: Self.newID(), version: version.number, file: file,
                                              capturedAt: version.capture.capturedAt))
            }
            var seenMedia: Set<String> = []
            var attachments: [Attachment] = []
            for media in item.versions.flatMap(\.media) where seenMedia.insert(media.capture.sha256).inserted {
                attachments.append(Attachment(
                    systemID: Self.newID(), objectID: Self.newID(), description: media.description, url: media.url,
                    file: document(media.capture, contentType: media.contentType ?? media.capture.headers.value(for: "Content-Type")),
                    capturedAt: media.capture.capturedAt))
            }
            let record = Record(systemID: Self.newID(), documentID: Self.newID(), item: item, caseFile: caseFile,
                                objects: objects, attachments: attachments)
            registrationIDs[reference] = record.systemID
            let (ci, mi) = caseIndex[caseID]!
            classes[ci].cases[mi].records.append(record)
            if item.journalEntry != nil { journalPosts.append(record) }
        }
        journalPosts.sort { ($0.entry!.year, $0.entry!.sequence) < ($1.entry!.year, $1.entry!.sequence) }
    }

    /// The folder of the document files: krav 6.4.15 names it `DOKUMENT` (Arkade also
    /// accepts `dokumenter`, but the krav is what the archive checks against).
    static let documentFolder = "DOKUMENT"

    /// The document file of a captured body, named by its hash so a body shared by
    /// several items (one API response holding many replies) is written once.
    private mutating func document(_ capture: CaptureInfo, contentType: String?) -> DocumentFile {
        if let known = files[capture.sha256] { return known }
        let file = DocumentFile(path: "\(Self.documentFolder)/\(capture.sha256).\(FileFormat.fileExtension(contentType))",
                                sha256: capture.sha256, size: capture.size, contentType: contentType)
        files[capture.sha256] = file
        return file
    }

    // MARK: Shared vocabulary and dates

    /// `YYYY-MM-DD` in the agency's time zone (xs:date).
    func day(_ date: Date) -> String { Timestamp.day(date, in: timeZone) }

    /// RFC 3339 in UTC (xs:dateTime).
    func dateTime(_ date: Date) -> String { Timestamp.format(date) }

    /// journaldato: the day an officer approved the entry, else the day it was registered.
    func journalDate(_ entry: ExportJournalEntry) -> String {
        entry.journalDate ?? day(entry.registeredAt ?? exportedAt)
    }

    /// dokumentetsDato: the day the item was created on the platform (left out if unknown).
    func documentDate(_ record: Record) -> String? { record.item.record.item.createdAt.map(day) }

    /// The day that puts a record in the period: the journaldato of a journal post, the
    /// item's day (created on the platform, agency time) for an arkivnotat. The registry
    /// selects by the same rule (`ExportPeriodBasis.journalDate`).
    func periodDay(_ record: Record) -> String {
        if let entry = record.entry { return journalDate(entry) }
        return record.item.record.day
    }

    /// The extract's stated period (arkivperiodeStartDato/-SluttDato, ADDML archivalPeriod):
    /// the days asked for, an open end closed by the first or last record's day.
    var period: (start: String, end: String) {
        let days = classes.flatMap { $0.cases.flatMap { $0.records.map(periodDay) } }.sorted()
        return (range.from ?? days.first ?? day(exportedAt), range.to ?? days.last ?? day(exportedAt))
    }

    /// The first and last journaldato (journalStartDato/-SluttDato): with sharp period
    /// boundaries Arkade (N5.60) wants exactly these, not the period asked for.
    var journalDates: (first: String, last: String) {
        let days = journalPosts.compactMap { $0.entry.map(journalDate) }.sorted()
        return (days.first ?? day(exportedAt), days.last ?? day(exportedAt))
    }

    /// M082 names: the extract uses the names, not the API's one-letter codes.
    static func journalPostType(_ code: String) -> String {
        switch code {
        case "I": return "Inngående dokument"
        case "U": return "Utgående dokument"
        case "N": return "Organinternt dokument for oppfølging"
        case "X": return "Organinternt dokument uten oppfølging"
        default: return "Inngående dokument"
        }
    }

    /// M053 at delivery: «Arkivert», or «Utgår» for a proposal an officer rejected.
    static func journalStatus(_ code: String) -> String { code == "U" ? "Utgår" : "Arkivert" }

    /// M087: the sender of an incoming item, the recipient of anything else.
    static func correspondentType(_ code: String) -> String { code == "I" ? "Avsender" : "Mottaker" }

    /// M502: the screening of the correspondent's name, by the journal post's direction.
    static func correspondentScreening(_ code: String) -> String { screeningValue(code == "I" ? "NA" : "NM") }

    /// registreringsID: case number and the post's number within the case.
    func registrationID(_ record: Record) -> String? {
        guard let entry = record.entry else { return nil }
        return "\(caseNumber(record.caseFile))-\(entry.numberInCase)"
    }

    func caseNumber(_ file: ExportCaseFile) -> String { JournalNumber.format(year: file.year, sequence: file.sequence) }

    /// The case file's title: the title of the item that started the thread.
    func caseTitle(_ file: ExportCaseFile, isPublic: Bool) -> String {
        if let root = file.root { return JournalEntryView(record: root, isPublic: isPublic).title }
        return "Tråd \(file.threadRoot) på \(file.account)"
    }

    /// M502 values of a restricted item, as the catalogue names them (the registry and the
    /// rulebook keep the short codes); a restriction with no listed code still screens the
    /// title in public (JournalEntryView), so it is recorded as «… utvalgte ord» (TRO).
    static func screeningValues(_ access: Access) -> [String] {
        (access.screen.isEmpty ? ["TRO"] : access.screen).map(screeningValue)
    }

    /// The catalogue's text for one M502 code; a code the catalogue does not list is
    /// written as it is, so nothing the decision says is dropped.
    static func screeningValue(_ code: String) -> String { screeningNames[code] ?? code }

    /// M502's mandatory values (noark5-standard metadata/M502.yaml), by the code the
    /// service interface and the rulebook use for each.
    static let screeningNames: [String: String] = [
        "KID": "Skjerming klasseID",
        "TKL": "Skjerming tittel klasse",
        "TM1": "Skjerming tittel mappe - unntatt første linje",
        "TMO": "Skjerming tittel mappe - utvalgte ord",
        "NPS": "Skjerming navn part i sak",
        "TR1": "Skjerming tittel registrering - unntatt første linje",
        "TRO": "Skjerming tittel registrering - utvalgte ord",
        "NA": "Skjerming navn avsender",
        "NM": "Skjerming navn mottaker",
        "TD": "Skjerming tittel dokumentbeskrivelse",
        "MT": "Skjerming merknadstekst",
        "M": "Midlertidig skjerming",
    ]

    /// M500: the one mandatory value of the catalogue.
    static let restrictedValue = "Unntatt offentlighet"
    static let fallbackBasis = "Midlertidig skjermet inntil vurdert (offl.)"

    static func documentType(_ kind: ItemKind) -> String {
        switch kind {
        case .post: return "Innlegg i sosiale medier"
        case .reply: return "Svar i sosiale medier"
        case .comment: return "Kommentar i sosiale medier"
        case .message: return "Direktemelding i sosiale medier"
        case .share: return "Deling i sosiale medier"
        }
    }

    var restrictedAny: Bool { classes.contains { $0.cases.contains { $0.records.contains { $0.access != nil } } } }
    var registrationCount: Int { classes.reduce(0) { $0 + $1.cases.reduce(0) { $0 + $1.records.count } } }
    var caseCount: Int { classes.reduce(0) { $0 + $1.cases.count } }
}
