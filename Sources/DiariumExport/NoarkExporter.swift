import DiariumCore
import DiariumStore
import Foundation

/// What a Noark 5 export wrote, for the command's one-line summary.
public struct NoarkExportSummary: Sendable, Hashable {
    public var folder: String
    public var caseFiles: Int
    public var registrations: Int
    /// Registrations of disposed items (utfoertKassasjon, no document file), among `registrations`.
    public var disposed: Int = 0
    public var journalPosts: Int
    public var documentFiles: Int
    public var changes: Int
    /// Journal posts still awaiting the officer's review (status M): delivered «Arkivert»
    /// with their registration day as journaldato, as if approved, so the command warns.
    public var proposals: Int = 0
    /// Stored values of the exported items that could not be read: those items are in
    /// the extract with what could be read, and their captured bytes.
    public var damaged: [DamagedRecord] = []
    /// The change log's head the extract was made from.
    public var head: ChainHead?
}

/// Writes a Noark 5 v5.0 arkivuttrekk of a period of the journal: the journal posts whose
/// journaldato lies in the range, and the items outside the journal whose day does
/// (`ExportPeriodBasis.journalDate`):
/// arkivuttrekk.xml (ADDML), arkivstruktur.xml, loependeJournal.xml, offentligJournal.xml,
/// endringslogg.xml, the schemas, and the captured bodies under `DOKUMENT/`.
///
/// It reads one consistent snapshot of the registry and never writes to it. The folder
/// must be new or empty; the extract is built beside it and moved in at the end, so an
/// error leaves nothing behind (see `OutputFolder`).
public struct NoarkExporter: Sendable {
    public let registry: Registry
    public let agencyName: String
    public let schemaDirectory: URL

    public init(registry: Registry, agencyName: String, schemaDirectory: URL) {
        self.registry = registry
        self.agencyName = agencyName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "Etaten" : agencyName
        self.schemaDirectory = schemaDirectory
    }

    public func export(to folder: URL, range: ExportRange, now: Date = Date()) throws -> NoarkExportSummary {
        let output = try OutputFolder(folder)
        guard NoarkSchemas.holdsSchemas(schemaDirectory) else {
            throw ExportError("The Noark 5 schema files are missing from \(schemaDirectory.path); nothing was exported.")
        }
        let (selection, head) = try registry.withHead { try registry.exportSelection(from: range.lower, to: range.upper, by: .journalDate) }
        guard !selection.items.isEmpty || !selection.disposed.isEmpty else {
            throw ExportError.nothingInPeriod(range)
        }
        var extract = try NoarkExtract(selection: selection, agencyName: agencyName, exportedAt: now,
                                       timeZone: registry.timeZone, range: range)
        extract.chainHead = head
        guard !extract.journalPosts.isEmpty else {
            throw ExportError("None of the \(selection.items.count) items \(range.description) is a journal post, and a Noark 5 extract needs at least one journal post; nothing was exported.")
        }
        try output.begin()
        do {
            let changes = EndringsloggWriter(extract: extract, entries: selection.changes)
            let changeCount = changes.changes.count
            let documents = try writeDocuments(extract, output)
            var written: [String: AddmlWriter.FileEntry] = [:]
            func put(_ data: Data, _ name: String) throws {
                try output.write(data, to: name)
                written[name] = AddmlWriter.FileEntry(name: name, sha256: SHA256.hexDigest(data), size: data.count)
            }
            for name in NoarkSchemas.files {
                let source = schemaDirectory.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: source.path) else {
                    throw ExportError("Cannot read the schema \(source.path); nothing was exported.")
                }
                try put(data, name)
            }
            try put(ArkivstrukturWriter(extract: extract).write(), "arkivstruktur.xml")
            try put(JournalWriter(extract: extract, kind: .running).write(), "loependeJournal.xml")
            try put(JournalWriter(extract: extract, kind: .public).write(), "offentligJournal.xml")
            try put(changes.write(), "endringslogg.xml")
            let journalCount = extract.journalPosts.count
            let objects = [
                AddmlWriter.XMLObject(name: "arkivstruktur", file: written["arkivstruktur.xml"]!, schema: written["arkivstruktur.xsd"]!,
                                      extraSchemas: [written[NoarkSchemas.diariumMetadata]!],
                                      counts: [("mappe", extract.caseCount), ("registrering", extract.registrationCount)]),
                AddmlWriter.XMLObject(name: "endringslogg", file: written["endringslogg.xml"]!, schema: written["endringslogg.xsd"]!,
                                      counts: [("endring", changeCount)]),
                AddmlWriter.XMLObject(name: "loependeJournal", file: written["loependeJournal.xml"]!, schema: written["loependeJournal.xsd"]!,
                                      counts: [("journalregistrering", journalCount)]),
                AddmlWriter.XMLObject(name: "offentligJournal", file: written["offentligJournal.xml"]!, schema: written["offentligJournal.xsd"]!,
                                      counts: [("journalregistrering", journalCount)]),
            ]
            let addml = AddmlWriter(extract: extract, objects: objects, catalogue: written["metadatakatalog.xsd"]!,
                                    addmlSchema: written["addml.xsd"]!, documentCount: documents.count)
            try output.write(addml.write(), to: "arkivuttrekk.xml")
            try output.commit()
            return NoarkExportSummary(
                folder: output.target.path, caseFiles: extract.caseCount, registrations: extract.registrationCount,
                disposed: extract.disposedCount,
                journalPosts: journalCount, documentFiles: documents.count, changes: changeCount,
                proposals: extract.journalPosts.filter { $0.entry?.status == "M" }.count, damaged: selection.damaged, head: head)
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Writes each captured body once, named by its hash, after checking that the bytes
    /// the registry holds still hash to the name (a mismatch means the registry was
    /// altered behind its back, and the extract must not certify it).
    private func writeDocuments(_ extract: NoarkExtract, _ output: OutputFolder) throws -> [AddmlWriter.FileEntry] {
        var entries: [AddmlWriter.FileEntry] = []
        for file in extract.files.values.sorted(by: { $0.path < $1.path }) {
            guard let body = try registry.body(sha256: file.sha256) else {
                throw ExportError("The captured body \(file.sha256) is missing from the registry; run `diarium verify`. Nothing was exported.")
            }
            let digest = SHA256.hexDigest(body)
            guard digest == file.sha256, body.count == file.size else {
                throw ExportError("The captured body \(file.sha256) no longer matches its hash; run `diarium verify`. Nothing was exported.")
            }
            try output.write(body, to: file.path)
            entries.append(AddmlWriter.FileEntry(name: file.path, sha256: digest, size: body.count))
        }
        return entries
    }
}
