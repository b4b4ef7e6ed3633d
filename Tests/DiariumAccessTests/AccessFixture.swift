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
import Logging

/// A real registry filled through the archiver from the demo's sample accounts (two
/// polls: an edit and a deletion), plus hand-written replies by invented people with
/// Nordic and Sámi letters, decided by the real rulebook and committed like any harvest.
/// The registry sits at `r.sqlite` in `dir`, where `writeTestConfig` points.
struct AccessFixture {
    static let post1 = "113500000000000001"
    static let edited = "113500000000000002"
    static let kari = "113500000000000011"
    static let per = "113500000000000014"
    static let lise = "113500000000000015"
    static let spam = "113500000000000016"

    /// A question by an invented Sámi speaker, edited once: both versions must be released.
    static let sami = "sami-1"
    static let samiName = "Ánde Čoarvi-Ŋuolja"
    static let samiFirst = "Buorre beaivi! Hvordan søker jeg om bostøtte når jeg bor i Kárášjohka? Sámegillii: čállit, đ, ŋ, ŧ, ž."
    static let samiSecond = "Buorre beaivi! Hvordan søker jeg om bostøtte når jeg bor i Kárášjohka? Min venninne Åsa Öberg i Ärla lurer på det samme. Sámegillii: čállit, đ, ŋ, ŧ, ž; æ, ø, å."
    /// A question with markup and a terminal escape: text in every format, never markup or control.
    static let hostile = "hostile-1"
    static let hostileText = "Hei <script>alert(1)</script>\u{1B}[2J =HYPERLINK(\"x\") Hvordan klager jeg på vedtaket?"
    /// A Swedish question with a personnummer, decided under profile se (open, number masked).
    static let swedish = "se-1"
    static let swedishText = "Hej! Hur ansöker jag om bidrag? Mitt personnummer är 811218-9876."

    let dir: TemporaryDirectory
    let registry: Registry

    var db: String { dir.file("r.sqlite").path }

    static func make() async throws -> AccessFixture {
        let dir = try TemporaryDirectory(prefix: "diarium-innsyn")
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let server = try DemoScenario.startServer()
        defer { server.stop() }
        let accounts = DemoScenario.accounts(baseURL: server.baseURL).map {
            AccountConfig(key: $0.key, platform: Platform(rawValue: $0.platform)!, baseURL: $0.baseURL, handle: $0.handle, url: $0.url)
        }
        let configuration = DiariumConfiguration(registryPath: registry.path, profile: "no", rescanSeconds: 3650 * 86400, accounts: accounts)
        let rules = repositoryRoot.appendingPathComponent("config/rules")
        let no = try Rulebook.load(profile: "no", defaults: rules)
        let se = try Rulebook.load(profile: "se", defaults: rules)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let archiver = Archiver(configuration: configuration, registry: registry, rulebook: no,
                                client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration), logger: quiet), logger: quiet)
        for stage in 0..<2 {
            server.setStage(stage)
            _ = await archiver.runCycle()
        }
        let asked = Timestamp.parse("2026-11-20T11:00:00Z")
        func reply(_ id: String, by author: Author, _ text: String, at: String = "2026-11-20T11:00:00Z", editedAt: Date? = nil) -> Item {
            Item(platform: .mastodon, account: "etaten-mastodon", id: id, url: "https://social.example.org/@someone/\(id)", kind: .reply,
                 author: author, inReplyTo: post1, threadRoot: post1, createdAt: Timestamp.parse(at), editedAt: editedAt, text: text)
        }
        let ande = Author(id: "777", handle: "ande@sapmi.example.org", name: samiName, agency: false)
        let answering = AnsweredItem(journal: false, access: .open)
        try commit(registry, reply(sami, by: ande, samiFirst), no.decide(reply(sami, by: ande, samiFirst), answering: answering))
        let second = reply(sami, by: ande, samiSecond, editedAt: asked?.addingTimeInterval(600))
        try commit(registry, second, no.decide(second, answering: answering))
        let mallory = Author(id: "666", handle: "mallory", name: "Mallory <b>Bold</b>", agency: false)
        let hostileItem = reply(hostile, by: mallory, hostileText)
        try commit(registry, hostileItem, no.decide(hostileItem, answering: answering))
        let sven = Author(id: "888", handle: "sven", name: "Sven Sökare", agency: false)
        let swedishItem = reply(swedish, by: sven, swedishText)
        try commit(registry, swedishItem, se.decide(swedishItem, answering: answering))
        return AccessFixture(dir: dir, registry: registry)
    }

    static func commit(_ registry: Registry, _ item: Item, _ decision: Decision) throws {
        let capture = Capture(url: "https://social.example.org/api/v1/statuses/\(item.id)", status: 200,
                              headers: [HTTPHeader("Content-Type", "application/json")],
                              body: Data("{\"id\":\"\(item.id)\",\"content\":\"\(item.text.count)\"}".utf8), capturedAt: Date())
        try registry.commit(RegistryBatch(account: item.account, platform: item.platform, checkpoint: nil, captures: [capture],
                                          versions: [DecidedVersion(item: item, decision: decision, captureIndex: 0)]))
    }

    func remove() { dir.remove() }

    /// The configuration file for the command line: agency Etaten, profile no (nb), UTC.
    func config(language: String? = nil) throws -> String {
        let path = try writeTestConfig(dir, rescan: nil, accounts: "")
        guard let language else { return path }
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "profile = \"no\"\n", with: "profile = \"no\"\nlanguage = \"\(language)\"\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Runs a program to its end and gives its standard output (pdftotext, pdffonts, pdfinfo).
func output(of program: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
    let dir = try TemporaryDirectory(prefix: "diarium-program")
    defer { dir.remove() }
    let out = dir.file("out")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self))
}

/// Whitespace runs as one space: a PDF's text extraction breaks lines where the layout did.
func flattened(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
}
