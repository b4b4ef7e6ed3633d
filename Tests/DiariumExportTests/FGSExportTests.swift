import DiariumCore
import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

@Suite("FGS 2.0 delivery (E-ARK SIP with CITS ERMS)")
struct FGSExportTests {
    /// Rules of eark-validator 1.1.3 (CSIP/SIP 2.1.0 Schematron) that fire on every valid
    /// package, measured and read in its rule files (see docs in the README):
    static let falseRules: [String: String] = [
        // The test is `(@x='OTHER' and @y) or (@x != 'OTHER' and not(@x))`: false whether the
        // attribute is there or not, so it fails every fileGrp.
        "CSIP63": "self-contradictory test on fileGrp/@csip:CONTENTINFORMATIONTYPE",
        // Demands an unprefixed NOTETYPE='IDENTIFICATIONCODE' on every CREATOR agent, the
        // software agent included, whose note must be csip:NOTETYPE='SOFTWARE VERSION' (CSIP16).
        "SIP14": "contradicts CSIP16 for the mandatory software agent",
        // Apply the software agent's rules (OTHERTYPE=SOFTWARE, SOFTWARE VERSION note) to every
        // ROLE=CREATOR agent, so the submitting agency that SIP15–20 require trips them.
        "CSIP12": "software-agent rule applied to the submitting agency",
        "CSIP13": "software-agent rule applied to the submitting agency",
        "CSIP16": "software-agent rule applied to the submitting agency",
    ]

    @Test("eark-validator accepts the package apart from its documented false rules")
    func earkValidator() async throws {
        let package = try await FGSFixture.package()
        #expect(package.root.lastPathComponent == package.summary.packageID)
        let result = try FGSTools.earkValidator(package.root)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("struct result is: WellFormed"), "\(result.output)")
        let report = try FGSTools.reportJSON(result.output)
        let errors = FGSTools.errorRules(report)
        // The report was read: the contradictory CSIP63 fires on every package.
        #expect(errors.contains("CSIP63"), "no ERROR read from the report: \(result.output)")
        let unexpected = errors.subtracting(Self.falseRules.keys)
        #expect(unexpected.isEmpty, "eark-validator errors beyond the known-false rules: \(unexpected.sorted()); report: \(result.output)")
        // No SHOULD left unmet either (CSIPSTR13, a metadata folder per representation, was).
        #expect(FGSTools.rules(report, severity: "WARN").isEmpty, "warnings: \(FGSTools.rules(report, severity: "WARN").sorted())")
        let schemaValid = FGSTools.schemaStatus(report)
        #expect(schemaValid == "VALID", "root METS schema result \(schemaValid ?? "none"): \(result.output)")
    }

    @Test("ERMS validates against ERMS.xsd 2.1.2 and erms.sch; both METS files against METS and the CSIP/SIP extensions")
    func schemas() async throws {
        let package = try await FGSFixture.package()
        let erms = package.root.appendingPathComponent("representations/rep1/data/erms.xml")
        let ermsLint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("ERMS.xsd"), file: erms)
        #expect(ermsLint.status == 0, "\(ermsLint.output)")
        let rules = try FGSTools.schematron(FGSFixture.schemas.appendingPathComponent("erms.sch"), erms)
        #expect(rules.status == 0, "\(rules.output)")
        for mets in ["METS.xml", "representations/rep1/METS.xml"] {
            let lint = try FGSTools.xmllint(schema: FGSFixture.schemas.appendingPathComponent("mets.sip.local.v2-0.xsd"),
                                            file: package.root.appendingPathComponent(mets))
            #expect(lint.status == 0, "\(mets): \(lint.output)")
        }
    }

    @Test("every file and metadata reference carries a SIZE and SHA-256 that match, and PREMIS agrees")
    func checksums() async throws {
        let package = try await FGSFixture.package()
        var checked: Set<String> = []
        for (mets, folder) in [("METS.xml", ""), ("representations/rep1/METS.xml", "representations/rep1")] {
            let xml = try XMLElements.read(package.root.appendingPathComponent(mets))
            // Pair each FLocat with its file: XMLParser reports children before their parent.
            var pending: [String] = []
            for element in xml.elements {
                if element.name == "FLocat" { pending.append(element.attributes["xlink:href"] ?? "") }
                if element.name == "file" {
                    let last = pending.popLast()
                    let href = try #require(last, "a file without FLocat in \(mets)")
                    let path = folder.isEmpty ? href : "\(folder)/\(href)"
                    try expectMatches(package.root, path, element.attributes, in: mets)
                    checked.insert(path)
                }
                if element.name == "mdRef" {
                    let href = try #require(element.attributes["xlink:href"])
                    let path = folder.isEmpty ? href : "\(folder)/\(href)"
                    try expectMatches(package.root, path, element.attributes, in: mets)
                    checked.insert(path)
                }
            }
        }
        // Every file of the package but the root METS is listed somewhere.
        let all = try FGSTools.files(under: package.root)
        #expect(Set(all).subtracting(checked) == ["METS.xml"])
        // Both PREMIS files (the package's, and the representation's in its own metadata
        // folder, CSIPSTR13) carry the same digests for the same paths.
        var described: [String: Set<String>] = [:]
        for file in ["metadata/preservation/premis.xml", "representations/rep1/metadata/preservation/premis.xml"] {
            let premis = try XMLElements.read(package.root.appendingPathComponent(file))
            let paths = premis.all("objectIdentifierValue").map(\.text)
            let digests = premis.all("messageDigest").map(\.text)
            #expect(paths.count == digests.count && !paths.isEmpty, "\(file)")
            for (path, digest) in zip(paths, digests) {
                #expect(SHA256.hexDigest(try Data(contentsOf: package.root.appendingPathComponent(path))) == digest, "\(file): \(path)")
            }
            #expect(premis.all("eventType").map(\.text).contains("capture"), "\(file)")
            #expect(premis.all("eventType").map(\.text).filter { $0 == "packing" }.count == 1, "\(file)")
            described[file] = Set(paths)
        }
        // The representation's describes exactly its data files; the package's all of them and more.
        let dataFiles = Set(all.filter { $0.hasPrefix("representations/rep1/data/") })
        #expect(described["representations/rep1/metadata/preservation/premis.xml"] == dataFiles)
        #expect(dataFiles.isSubset(of: described["metadata/preservation/premis.xml"] ?? []))
    }

    private func expectMatches(_ root: URL, _ path: String, _ attributes: [String: String], in mets: String) throws {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        #expect(attributes["CHECKSUMTYPE"] == "SHA-256", "\(mets): \(path)")
        #expect(attributes["CHECKSUM"] == SHA256.hexDigest(data), "\(mets): \(path) checksum")
        #expect(attributes["SIZE"] == String(data.count), "\(mets): \(path) size")
    }

    @Test("the captured files are byte for byte what `diarium show --raw` gives")
    func capturedBytes() async throws {
        let package = try await FGSFixture.package()
        let captures = package.root.appendingPathComponent("representations/rep1/data/captures")
        let names = try FileManager.default.contentsOfDirectory(atPath: captures.path)
        #expect(names.count == package.summary.dataFiles && !names.isEmpty)
        var latest: [String: String] = [:]
        let erms = try XMLElements.read(package.root.appendingPathComponent("representations/rep1/data/erms.xml"))
        // The record of each appendix: its latest version's file, to compare with `show --raw`.
        var pendingAppendices: [XMLElements.Element] = []
        for element in erms.elements {
            if element.name == "appendix" { pendingAppendices.append(element) }
            if element.name == "record" {
                let versions = pendingAppendices.filter { ($0.attributes["name"] ?? "").hasPrefix("Version ") }
                if let last = versions.last { latest[element.attributes["systemIdentifier"] ?? ""] = last.attributes["path"] }
                pendingAppendices = []
            }
        }
        #expect(!latest.isEmpty)
        for (reference, path) in latest.sorted(by: { $0.key < $1.key }).prefix(6) {
            let raw = try runDiariumRaw(["show", reference, "--raw", "--db", package.registryPath])
            #expect(raw.status == 0)
            let file = try Data(contentsOf: package.root.appendingPathComponent("representations/rep1/data/\(path)"))
            #expect(file == raw.stdout, "\(reference): \(path) differs from `diarium show --raw`")
        }
    }

    @Test("registered cases and records are what `diarium search --journaled yes` lists, with numbers as the diarium shows them")
    func registeredEqualsSearch() async throws {
        let package = try await FGSFixture.package()
        let search = try runDiarium(["search", "--journaled", "yes", "--format", "json", "--limit", "100000", "--db", package.registryPath])
        #expect(search.status == 0, "\(search.stderr)")
        var numbers: Set<String> = [], cases: Set<String> = []
        for line in search.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            numbers.insert(try #require(object["journalNumber"] as? String))
            cases.insert(try #require(object["caseNumber"] as? String))
        }
        #expect(!numbers.isEmpty)
        let erms = try XMLElements.read(package.root.appendingPathComponent("representations/rep1/data/erms.xml"))
        let recordNumbers = erms.all("extraId").filter { $0.path.last == "record" }.map(\.text)
        let caseNumbers = erms.all("extraId").filter { $0.path.last == "aggregation" }.map(\.text)
        #expect(Set(recordNumbers) == numbers)
        #expect(recordNumbers.count == numbers.count)
        #expect(Set(caseNumbers) == cases)
        #expect(erms.all("aggregation").filter { $0.attributes["aggregationType"] == "caseFile" }.count == cases.count)
        #expect(recordNumbers.allSatisfy { $0.wholeMatch(of: /\d{4}\/\d{6}/) != nil })
        #expect(recordNumbers.contains(package.approved))
        #expect(!recordNumbers.contains(package.rejected), "a rejected proposal (U) is no registration")
        #expect(erms.all("note").contains { $0.text.contains(package.rejected) })
        // Every archived item is a record, registered or not.
        #expect(erms.all("record").count == package.summary.records)
        #expect(package.summary.records > numbers.count)
    }

    @Test("a secret item is a record with a restriction naming its OSL basis, and nothing screened leaves the captured files")
    func screening() async throws {
        let package = try await FGSFixture.package()
        var filter = SearchFilter()
        filter.limit = 10_000
        let all = try package.registry.search("", filter: filter)
        let restricted = all.filter { $0.access.restricted }
        #expect(!restricted.isEmpty, "the Swedish demo registry holds a secret item")
        let erms = try XMLElements.read(package.root.appendingPathComponent("representations/rep1/data/erms.xml"))
        #expect(erms.all("regulation").map(\.text).contains("OSL 21 kap. 1 §"), "\(erms.all("regulation").map(\.text))")
        #expect(erms.all("restriction").count == restricted.count)
        var secrets: [String] = ["sykdom", "15038710041"]
        for record in restricted {
            secrets.append(record.item.text.trimmingCharacters(in: .whitespacesAndNewlines))
            if record.access.screensName { secrets.append(record.item.author.displayName) }
        }
        secrets = secrets.filter { $0.count >= 5 }
        for name in FGSFixture.metadataFiles {
            let text = try String(contentsOf: package.root.appendingPathComponent(name), encoding: .utf8)
            for secret in secrets { #expect(!text.contains(secret), "\(name) shows the screened \(secret)") }
        }
        let captured = try FGSTools.files(under: package.root.appendingPathComponent("representations/rep1/data/captures"))
            .map { try Data(contentsOf: package.root.appendingPathComponent("representations/rep1/data/captures/\($0)")) }
        for secret in ["sykdom", "15038710041"] {
            #expect(captured.contains { $0.range(of: Data(secret.utf8)) != nil }, "the captured files keep \(secret)")
        }
    }

    @Test("the package's structure: OBJID is the folder, TYPE Datasets, citserms_v2_1, SIP, the three agents")
    func rootMETS() async throws {
        let package = try await FGSFixture.package()
        let xml = try XMLElements.read(package.root.appendingPathComponent("METS.xml"))
        let mets = try #require(xml.all("mets").first)
        #expect(mets.attributes["OBJID"] == package.root.lastPathComponent)
        #expect(mets.attributes["TYPE"] == "Datasets")
        #expect(mets.attributes["csip:CONTENTINFORMATIONTYPE"] == "citserms_v2_1")
        #expect(xml.all("metsHdr").first?.attributes["csip:OAISPACKAGETYPE"] == "SIP")
        let agents = xml.all("agent").map { "\($0.attributes["ROLE"] ?? "")/\($0.attributes["TYPE"] ?? "")" }
        #expect(agents == ["CREATOR/OTHER", "ARCHIVIST/ORGANIZATION", "CREATOR/ORGANIZATION"])
        #expect(xml.all("note").map(\.text) == ["0.1.0-test", "202100-0000", "202100-0000"])
        #expect(xml.all("mptr").first?.attributes["xlink:href"] == "representations/rep1/METS.xml")
        #expect(try FileManager.default.contentsOfDirectory(atPath: package.root.deletingLastPathComponent().path) == [package.summary.packageID])
    }
}

@Suite("diarium export fgs (command line)")
struct FGSCommandTests {
    @Test("export fgs writes DIR/<package id>/ and says what it wrote")
    func happyPath() async throws {
        let package = try await FGSFixture.package()
        let dir = try TemporaryDirectory(prefix: "diarium-cli-fgs")
        defer { dir.remove() }
        let out = dir.file("leverans")
        let result = try runDiarium(["export", "fgs", "--db", package.registryPath, "--out", out.path, "--agency-id", "202100-0000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote an FGS 2.0 package to \(out.path)/diarium-sip-"), "\(result.stdout)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(folders.count == 1)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(folders[0])/representations/rep1/data/erms.xml").path))
    }

    @Test("--out that is a file or not empty, or no --agency-id: one sentence, exit 2, nothing written")
    func badInput() async throws {
        let package = try await FGSFixture.package()
        let dir = try TemporaryDirectory(prefix: "diarium-cli-fgs")
        defer { dir.remove() }
        try Data("keep".utf8).write(to: dir.file("note.txt"))
        for out in [dir.url.path, dir.file("note.txt").path] {
            let result = try runDiarium(["export", "fgs", "--db", package.registryPath, "--out", out, "--agency-id", "202100-0000"])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("diarium: The output"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        let missing = try runDiarium(["export", "fgs", "--db", package.registryPath, "--out", dir.file("new").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--agency-id"), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let empty = try runDiarium(["export", "fgs", "--db", package.registryPath, "--out", dir.file("old").path,
                                    "--agency-id", "202100-0000", "--from", "1999-01-01", "--to", "1999-01-02"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("nothing was exported"), "\(empty.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["note.txt"])
    }
}

/// Runs the built `diarium` and keeps its standard output as bytes (`show --raw`).
func runDiariumRaw(_ arguments: [String]) throws -> (status: Int32, stdout: Data) {
    let dir = try TemporaryDirectory(prefix: "diarium-raw")
    defer { dir.remove() }
    let outURL = dir.file("stdout")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    let process = Process()
    process.executableURL = try diariumBinary()
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, try Data(contentsOf: outURL))
}

/// The validators the FGS tests run: xmllint offline, eark-validator through a wrapper
/// that reads its four vocabularies from its own package instead of the network, and
/// lxml's Schematron for erms.sch. A missing tool is a failure that says how to get it.
enum FGSTools {
    static func python() throws -> String {
        guard let python = Tool.path(of: "python3"), try Tool.run(python, ["-c", "import eark_validator"]).status == 0 else {
            Issue.record("eark-validator is missing: run `python3 -m pip install eark-validator==1.1.3` (`make test` does).")
            throw ToolMissing(name: "eark-validator")
        }
        return python
    }

    /// eark-validator 1.1.3 fetches the CSIP vocabularies from earkcsip.dilcis.eu when its
    /// Schematron module is imported; the same files ship in its package, so the wrapper
    /// hands those to it and the test never reaches the internet.
    static let offlineWrapper = """
        import os, sys, urllib.request
        from importlib.resources import files
        vocabs = str(files('eark_validator.ipxml.resources').joinpath('vocabs'))
        def offline(url, *args, **kwargs):
            return open(os.path.join(vocabs, url.rsplit('/', 1)[-1]), 'rb')
        urllib.request.urlopen = offline
        from eark_validator.cli.app import main
        sys.argv = ['eark-validator'] + sys.argv[1:]
        main()
        """

    static func earkValidator(_ package: URL) throws -> Tool.Result {
        try Tool.run(try python(), ["-c", offlineWrapper, package.path])
    }

    /// The report is the JSON line after the `Path …, struct result is:` line.
    static func reportJSON(_ output: String) throws -> [String: Any] {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("{") }, "no JSON report in: \(output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Every rule id reported at ERROR severity, wherever the report nests it.
    static func errorRules(_ value: Any) -> Set<String> { rules(value, severity: "ERROR") }

    /// Every rule id reported at `severity` (ERROR, WARN, INFO), wherever the report nests it.
    static func rules(_ value: Any, severity: String) -> Set<String> {
        var out: Set<String> = []
        if let object = value as? [String: Any] {
            if let id = object["rule_id"] as? String, (object["severity"] as? String)?.uppercased() == severity { out.insert(id) }
            for child in object.values { out.formUnion(rules(child, severity: severity)) }
        } else if let array = value as? [Any] {
            for child in array { out.formUnion(rules(child, severity: severity)) }
        }
        return out
    }

    static func schemaStatus(_ report: [String: Any]) -> String? {
        guard let results = report["metadata"] as? [String: Any], let schema = results["schema_results"] as? [String: Any] else { return nil }
        return schema["status"] as? String
    }

    static func xmllint(schema: URL, file: URL) throws -> Tool.Result {
        guard let xmllint = Tool.path(of: "xmllint") else {
            Issue.record("xmllint is missing: install Debian's libxml2-utils (`make test` does).")
            throw ToolMissing(name: "xmllint")
        }
        return try Tool.run(xmllint, ["--nonet", "--noout", "--schema", schema.path, file.path])
    }

    /// erms.sch declares queryBinding xslt2 but uses XPath 1 only; lxml runs it as xslt.
    static func schematron(_ rules: URL, _ file: URL) throws -> Tool.Result {
        let script = """
            import sys
            from lxml import etree
            from lxml.isoschematron import Schematron
            rules = etree.parse(sys.argv[1])
            rules.getroot().set('queryBinding', 'xslt')
            schematron = Schematron(rules, store_report=True)
            ok = schematron.validate(etree.parse(sys.argv[2]))
            if not ok: print(etree.tostring(schematron.validation_report, pretty_print=True).decode())
            sys.exit(0 if ok else 1)
            """
        return try Tool.run(try python(), ["-c", script, rules.path, file.path])
    }

    /// Every regular file under a folder, as paths relative to it.
    static func files(under root: URL) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
        var out: [String] = []
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return out.sorted()
    }
}
