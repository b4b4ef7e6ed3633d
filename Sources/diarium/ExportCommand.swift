import ArgumentParser
import DiariumExport
import DiariumStore
import Foundation

/// The archive formats `diarium export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case noark5, warc, fgs
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a Noark 5 arkivuttrekk, a WARC 1.1 file or an FGS 2.0 delivery (E-ARK SIP) of the registry.",
        discussion: """
            noark5 writes arkivuttrekk.xml (ADDML), arkivstruktur.xml, loependeJournal.xml, offentligJournal.xml, \
            endringslogg.xml, the Noark 5 schemas and the captured bodies under DOKUMENT/. warc writes \
            diarium-FROM-TO.warc with a request and a response record per capture. fgs writes one E-ARK SIP \
            (FGS Paketstruktur 2.0) holding a CITS ERMS file (FGS Ärendehantering 2.0) and the captured bytes as \
            DIR/<package id>/; it needs --agency-id. --from and --to (inclusive) are for noark5 and fgs the \
            journal's dates: the journal posts whose journaldato (the approval day) lies in them, and the items \
            outside the journal created on those days; for warc the items' days. The output folder must be new \
            or empty.
            """)

    @OptionGroup var options: RegistryOptions
    @Argument(help: "noark5, warc or fgs.") var format: ExportFormat
    @Option(help: ArgumentHelp("The folder to write; it must not exist or be empty.", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("First day, YYYY-MM-DD (noark5, fgs: the journal date).", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last day, YYYY-MM-DD (noark5, fgs: the journal date).", valueName: "date")) var to: String?
    @Option(help: ArgumentHelp("fgs: the agency's identification code (organisationsnummer).", valueName: "code")) var agencyId: String?

    func run() async throws {
        try await reportingErrors {
            let range = try ExportRange(from: from, to: to)
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .read)
            let folder = URL(fileURLWithPath: out)
            switch format {
            case .noark5:
                let exporter = NoarkExporter(registry: registry, agencyName: configuration.agencyName,
                                             schemaDirectory: try NoarkSchemas.defaultDirectory())
                let s = try exporter.export(to: folder, range: range)
                warnDamaged(s.damaged)
                printText("wrote a Noark 5 extract to \(s.folder): \(s.caseFiles) case files, \(s.registrations) registrations, \(s.journalPosts) journal posts, \(s.documentFiles) document files, \(s.changes) changes; made from change-log head \(s.head?.description ?? "none")")
                // On stdout with the summary: a fact of this extract for the archivist to act
                // on before delivery, not a failure of the command.
                if s.proposals > 0 {
                    printText("\(s.proposals) journal posts still await review (status M) and are delivered as «Arkivert»; review them (`diarium review list`) and export again before delivery")
                }
            case .fgs:
                let exporter = FGSExporter(registry: registry, agency: FGSAgency(name: configuration.agencyName, identificationCode: agencyId ?? ""),
                                           softwareVersion: diariumVersionString, schemaDirectory: try FGSSchemas.defaultDirectory())
                let s: FGSExportSummary
                do { s = try exporter.export(to: folder, range: range) } catch let error as FGSUsageError {
                    printError("diarium: \(error.message)")
                    throw ExitCode(2)
                }
                warnDamaged(s.damaged)
                printText("wrote an FGS 2.0 package to \(s.folder): \(s.registeredCases) cases with \(s.registeredRecords) registered records, \(s.records) records in \(s.registeredCases + s.threads) threads, \(s.dataFiles) captured files; made from change-log head \(s.head?.description ?? "none")")
            case .warc:
                let s = try WARCExporter(registry: registry).export(to: folder, range: range)
                printText("wrote \(s.file): \(s.captures) captures in \(s.records) records (\(s.bytes) bytes); made from change-log head \(s.head?.description ?? "none")")
            }
        }
    }
}
