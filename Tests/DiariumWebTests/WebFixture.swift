import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDemo
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
@testable import DiariumWeb
import Foundation
import ServiceLifecycle
import Logging

/// A real registry filled from the demo's sample accounts (the archiver against the
/// replay server, as in production), plus one hostile item, two users, and the web page
/// listening on an ephemeral 127.0.0.1 port.
final class WebFixture: Sendable {
    static let hostileID = "hostile-1"
    static let hostileText = "Hei <script>alert(1)</script> <img src=x onerror=alert(2)> Hvordan klager jeg på vedtaket?"
    static let officer = ("kari.arkivar", "correct horse battery staple")
    static let auditor = ("per.revisor", "another long passphrase")

    let dir: TemporaryDirectory
    let registry: Registry
    let group: ServiceGroup
    let runTask: Task<Void, any Error>
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    /// `logHandler`, when given, receives what the page logs at warning level and above.
    /// `settings` sets the timeouts and connection cap (listen and port are always 127.0.0.1:0).
    /// `language` is the agency's `[agency] language` (the page's and the reasons'),
    /// English unless a test says otherwise, so the tests that read the page's words say
    /// which language they read; `timeZone` is the agency's; `profile` the rulebook the
    /// harvest is decided under (`se` gives a Swedish agency's reasons).
    static func make(stages: Int = 1, logHandler: (any LogHandler)? = nil, settings: WebSettings = WebSettings(),
                     language: String = "en", timeZone: String = "UTC", profile: String = "no",
                     throttle: LoginThrottle = LoginThrottle()) async throws -> WebFixture {
        let dir = try TemporaryDirectory(prefix: "diarium-web")
        let registry = try Registry(path: dir.file("r.sqlite").path)
        try await fill(registry, stages: stages, language: language, profile: profile)
        try registry.setUser(name: officer.0, role: .officer, passwordHash: PasswordHash.make(officer.1, iterations: 1000), actor: "test")
        try registry.setUser(name: auditor.0, role: .auditor, passwordHash: PasswordHash.make(auditor.1, iterations: 1000), actor: "test")
        return try await WebFixture(dir: dir, registry: registry, logHandler: logHandler, settings: settings,
                                    language: language, timeZone: TimeZone(identifier: timeZone)!, throttle: throttle)
    }

    private init(dir: TemporaryDirectory, registry: Registry, logHandler: (any LogHandler)?, settings: WebSettings,
                 language: String, timeZone: TimeZone, throttle: LoginThrottle) async throws {
        self.dir = dir
        self.registry = registry
        var settings = settings
        settings.listen = "127.0.0.1"
        settings.port = 0
        var logger = logHandler.map { handler in Logger(label: "diarium.web.test") { _ in handler } } ?? Logger(label: "diarium.web.test")
        logger.logLevel = .warning
        var app = WebApp(registry: registry, agencyName: "Etaten", timeZone: timeZone, settings: settings,
                         decoyIterations: 1000, throttle: throttle, logger: logger)
        app.language = language
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let service = WebServer(app: app, settings: settings, logger: logger).application { port in _ = continuation.yield(port) }
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], logger: logger)
        self.group = group
        runTask = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
        dir.remove()
    }

    /// One or two archiving cycles over the demo accounts (the second brings an edit),
    /// then the hostile item, committed like any harvest.
    static func fill(_ registry: Registry, stages: Int, language: String = "en", profile: String = "no") async throws {
        let server = try DemoScenario.startServer()
        defer { server.stop() }
        let accounts = DemoScenario.accounts(baseURL: server.baseURL).map {
            AccountConfig(key: $0.key, platform: Platform(rawValue: $0.platform)!, baseURL: $0.baseURL, handle: $0.handle, url: $0.url)
        }
        let configuration = DiariumConfiguration(registryPath: registry.path, profile: profile, rescanSeconds: 3650 * 86400, accounts: accounts)
        let rulebook = try Rulebook.load(profile: profile, defaults: repositoryRoot.appendingPathComponent("config/rules"), language: language)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let archiver = Archiver(configuration: configuration, registry: registry, rulebook: rulebook, client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration), logger: quiet),
                                logger: quiet)
        for stage in 0..<stages {
            server.setStage(stage)
            _ = await archiver.runCycle()
        }
        try commitHostile(registry)
    }

    static func commitHostile(_ registry: Registry) throws {
        let item = Item(platform: .mastodon, account: "etaten-mastodon", id: hostileID, url: "javascript:alert(3)", kind: .reply,
                        author: Author(id: "666", handle: "mallory", name: "<b onmouseover=alert(4)>Mallory</b>", agency: false),
                        inReplyTo: "113500000000000001", threadRoot: "113500000000000001",
                        createdAt: Timestamp.parse("2026-11-20T10:00:00Z"), text: hostileText)
        let decision = Decision(id: hostileID, account: "etaten-mastodon", journal: true, type: .I, status: .M, access: .open,
                                retention: .B, rules: ["NO-case"], reason: "A question to the agency <i>(test)</i>.", profile: "no@test")
        let capture = Capture(url: "https://social.example.org/api/v1/statuses/hostile-1", status: 200,
                              headers: [HTTPHeader("Content-Type", "application/json")],
                              body: Data("{\"content\":\"<p>\(hostileText)</p>\"}".utf8), capturedAt: Date())
        try registry.commit(RegistryBatch(account: "etaten-mastodon", platform: .mastodon, checkpoint: nil, captures: [capture],
                                          versions: [DecidedVersion(item: item, decision: decision, captureIndex: 0)]))
    }

    /// A browser logged in as `user`.
    func loggedIn(_ user: (String, String)) async throws -> TestBrowser {
        let browser = TestBrowser(base: base)
        let page = await browser.get("/login")
        guard let token = page.csrfToken else { throw FixtureError("no CSRF token on the login page") }
        let response = await browser.post("/login", [("csrf", token), ("name", user.0), ("password", user.1)])
        guard response.status == 303, browser.cookies[SessionStore.cookieName] != nil else {
            throw FixtureError("login as \(user.0) failed: HTTP \(response.status)")
        }
        return browser
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
