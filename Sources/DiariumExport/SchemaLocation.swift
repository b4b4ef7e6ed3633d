import Foundation

/// The XML schemas of a Noark 5 v5.0 extract: Arkivverket's six (N5/v5.0 and ADDML 8.3)
/// and Diarium's own for its virksomhetsspesifikke metadata (krav 6.4.23). They ship with
/// Diarium in `schemas/noark5/` and are copied into every extract, since Arkade reports an
/// error when it must fall back on its own copies (test N5.03), and reports elements no
/// schema declares.
public enum NoarkSchemas {
    /// Diarium's schema of the `diarium:*` elements under virksomhetsspesifikkeMetadata.
    public static let diariumMetadata = "diariumMetadata.xsd"

    public static let files = [
        "arkivstruktur.xsd", "metadatakatalog.xsd", "endringslogg.xsd",
        "loependeJournal.xsd", "offentligJournal.xsd", "addml.xsd", diariumMetadata,
    ]

    /// Where the schema files are, so `diarium` finds them installed or in a checkout:
    /// 1. `$DIARIUM_SCHEMAS_DIR`; 2. `<dir of executable>/../share/diarium/schemas/noark5`;
    /// 3. `schemas/noark5`, walking up from the executable's folder, then the current one.
    public static func defaultDirectory() throws -> URL {
        try SchemaFolder.find(subfolder: "noark5", environmentKey: "DIARIUM_SCHEMAS_DIR", holds: holdsSchemas,
                              what: "the six Noark 5 schema files")
    }

    static func holdsSchemas(_ url: URL) -> Bool {
        files.allSatisfy { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
    }
}

/// Finds a folder of schemas shipped with Diarium, installed or in a checkout, for every
/// export that copies schemas into what it writes (Noark 5, FGS):
/// 1. the environment variable; 2. `<dir of executable>/../share/diarium/schemas/<subfolder>`;
/// 3. `schemas/<subfolder>`, walking up from the executable's folder, then the current one.
enum SchemaFolder {
    static func find(subfolder: String, environmentKey: String, holds: (URL) -> Bool, what: String) throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment[environmentKey], !value.isEmpty {
            let url = URL(fileURLWithPath: value)
            guard holds(url) else {
                throw ExportError("\(environmentKey) is \(value), but that folder does not hold \(what).")
            }
            return url
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(URL.init(fileURLWithPath:))
            ?? Bundle.main.executableURL?.resolvingSymlinksInPath()
        let executableDirectory = executable?.deletingLastPathComponent()
        var candidates: [URL] = []
        if let executableDirectory {
            candidates.append(executableDirectory.appendingPathComponent("../share/diarium/schemas/\(subfolder)").standardizedFileURL)
        }
        for start in [executableDirectory, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)].compactMap({ $0 }) {
            var dir = start.standardizedFileURL
            while true {
                candidates.append(dir.appendingPathComponent("schemas/\(subfolder)"))
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        if let found = candidates.first(where: holds) { return found }
        throw ExportError("\(what.prefix(1).uppercased() + what.dropFirst()) were not found: set \(environmentKey), or install them in <prefix>/share/diarium/schemas/\(subfolder).")
    }
}
