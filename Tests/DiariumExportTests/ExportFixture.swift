import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDemo
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// A real registry filled from the demo's sample accounts (first poll at stage 0, second
/// at stage 1: new posts, an edit, a deletion), built once and shared by the tests,
/// which only read it.
enum ExportFixture {
    struct Filled: Sendable {
        let registry: Registry
        let path: String
    }

    static let shared = Task<Filled, any Error> {
        let dir = try TemporaryDirectory(prefix: "diarium-export")
        let registry = try await fill(dir.file("r.sqlite").path, profile: "no")
        return Filled(registry: registry, path: dir.file("r.sqlite").path)
    }

    /// A registry at `path` filled from the demo's sample accounts through the whole
    /// pipeline, under `profile`'s rulebook: two polls (new posts, then an edit and a
    /// deletion). The Noark 5 and FGS fixtures both start from it.
    static func fill(_ path: String, profile: String, agencyName: String = "Etaten") async throws -> Registry {
        let server = try DemoScenario.startServer()
        defer { server.stop() }
        let accounts = DemoScenario.accounts(baseURL: server.baseURL).map {
            AccountConfig(key: $0.key, platform: Platform(rawValue: $0.platform)!, baseURL: $0.baseURL, handle: $0.handle, url: $0.url)
        }
        let configuration = DiariumConfiguration(registryPath: path, agencyName: agencyName, profile: profile,
                                                 rescanSeconds: 3650 * 86400, accounts: accounts)
        let registry = try Registry(path: configuration.registryPath)
        let rulebook = try Rulebook.load(profile: profile, defaults: repositoryRoot.appendingPathComponent("config/rules"))
        let archiver = Archiver(configuration: configuration, registry: registry, rulebook: rulebook,
                                client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration)))
        _ = await archiver.runCycle()
        server.setStage(1)
        _ = await archiver.runCycle()
        return registry
    }

    static func filled() async throws -> Filled { try await shared.value }

    static var schemas: URL { repositoryRoot.appendingPathComponent("schemas/noark5") }
}

/// Runs a tool and returns its exit status and output; a missing tool is a failure
/// that says how to install it, never a skip.
struct Tool {
    struct Result {
        var status: Int32
        var output: String
    }

    static func path(of name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let dir = try TemporaryDirectory(prefix: "diarium-tool")
        defer { dir.remove() }
        let outURL = dir.file("out")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Result(status: process.terminationStatus, output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self))
    }

    /// `xmllint --noout --schema SCHEMA FILE`.
    static func xmllint(schema: URL, file: URL) throws -> Result {
        guard let xmllint = path(of: "xmllint") else {
            Issue.record("xmllint is missing: install Debian's libxml2-utils (`make test` does) to validate the Noark 5 export.")
            throw ToolMissing(name: "xmllint")
        }
        return try run(xmllint, ["--noout", "--schema", schema.path, file.path])
    }

    /// warcio's command line (`warcio check|index …`), through python3 so the console
    /// script need not be on PATH.
    static func warcio(_ arguments: [String]) throws -> Result {
        guard let python = path(of: "python3"), try run(python, ["-c", "import warcio"]).status == 0 else {
            Issue.record("warcio is missing: run `python3 -m pip install warcio==1.8.1` (`make test` does) to check the WARC export.")
            throw ToolMissing(name: "warcio")
        }
        return try run(python, ["-c", "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))"] + arguments)
    }
}

struct ToolMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not installed" }
}

/// Reads an XML file with Foundation's parser: element texts by name, and every element
/// that has neither child elements nor text (Arkade N5.63 calls them empty).
final class XMLScan: NSObject, XMLParserDelegate {
    private(set) var texts: [String: [String]] = [:]
    private(set) var emptyElements: [String] = []
    private(set) var attributeValues: [String] = []
    private var stack: [(name: String, text: String, children: Int)] = []
    private(set) var error: String?

    static func scan(_ url: URL) throws -> XMLScan {
        let scan = XMLScan()
        let parser = try #require(XMLParser(contentsOf: url))
        parser.delegate = scan
        let ok = parser.parse()
        if !ok { scan.error = parser.parserError.map { "\($0)" } ?? "parse failed" }
        return scan
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if !stack.isEmpty { stack[stack.count - 1].children += 1 }
        attributeValues += attributes.values
        stack.append((name, "", 0))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let top = stack.popLast() else { return }
        let text = top.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if top.children == 0 {
            if text.isEmpty { emptyElements.append(top.name) }
            texts[top.name, default: []].append(text)
        }
    }

    func all(_ name: String) -> [String] { texts[name] ?? [] }
}
