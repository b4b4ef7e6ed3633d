import DiariumArchiver
import DiariumConfig
import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
import Logging
import Testing

/// Issue 14, item 3: a media URL in a status is a URL a platform chose. It may reach an
/// internal address only when it is the account's own configured origin or listed in
/// `[poll] allow_addresses`; the configuration is read from TOML and the client built from
/// it exactly as `diarium run` does.
@Suite("Media and internal addresses")
struct MediaAddressTests {
    static let statusID = "113700000000000010"

    /// A Mastodon server with one status whose single attachment is `mediaURL`.
    static func platform(mediaURL: String) throws -> ReplayServer {
        let status = #"{"id": "\#(statusID)", "created_at": "2026-11-16T11:00:00.000Z", "in_reply_to_id": null, "visibility": "public", "content": "<p>Vedlegg</p>", "replies_count": 0, "account": {"id": "110000000000000001", "username": "etaten", "acct": "etaten"}, "media_attachments": [{"id": "1", "type": "image", "url": "\#(mediaURL)", "description": "Skjermbilde"}]}"#
        return try ReplayServer(routes: [
            .json("/api/v1/accounts/lookup", query: ["acct": "etaten"], try Fixture.text("mastodon/lookup.json")),
            .json("/api/v1/accounts/110000000000000001/statuses", "[\(status)]"),
        ])
    }

    /// An internal service on another port of 127.0.0.1 that counts what it is asked.
    static func internalService() throws -> ReplayServer {
        try ReplayServer(routes: [
            ReplayRoute(path: "/internal-secret", headers: [ReplayHeader("Content-Type", "image/png")], body: Data("secret".utf8)),
        ])
    }

    struct Run {
        let registry: Registry
        let report: CycleReport
        let lines: [String]
        var media: [MediaRecord] { (try? registry.media(of: ItemReference(account: "etaten", id: MediaAddressTests.statusID))) ?? [] }
    }

    /// Writes the configuration as a file, loads it, and runs one cycle.
    static func cycle(platform: ReplayServer, poll: String = "", in dir: TemporaryDirectory) async throws -> Run {
        let file = dir.file("diarium.toml")
        try Data("""
            [registry]
            path = "\(dir.file("r.sqlite").path)"
            [poll]
            rescan = "0s"
            \(poll)
            [[account]]
            key = "etaten"
            platform = "mastodon"
            base_url = "\(platform.baseURL)"
            handle = "etaten"

            """.utf8).write(to: file)
        let configuration = try DiariumConfiguration.load(from: file.path)
        let registry = try Registry(path: configuration.registryPath)
        let lines = RobustnessTests.LogLines()
        let archiver = Archiver(configuration: configuration, registry: registry,
                                rulebook: try Rulebook.load(profile: "no", defaults: repositoryRoot.appendingPathComponent("config/rules")),
                                client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration)), logger: lines.logger)
        let report = await archiver.runCycle()
        return Run(registry: registry, report: report, lines: lines.all)
    }

    @Test("a hostile media URL to another local port is never requested, and the refusal is on the media row")
    func hostileMediaURL() async throws {
        let secret = try Self.internalService()
        let platform = try Self.platform(mediaURL: "http://127.0.0.1:\(secret.port)/internal-secret")
        defer { platform.stop(); secret.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try await Self.cycle(platform: platform, in: dir)
        #expect(run.report.failedAccounts.isEmpty, "\(run.report.outcomes.compactMap(\.error))")
        #expect(secret.requestCount == 0)
        let file = try #require(run.media.first)
        #expect(file.sha256 == nil)
        #expect(file.lastError?.contains("[poll] allow_addresses") == true, "\(file.lastError ?? "")")
        #expect(try run.registry.pendingMedia(account: "etaten", limit: 10, now: Date().addingTimeInterval(86_400 * 30)).isEmpty,
                "a refused address is not retried")
    }

    @Test("a media URL on the platform that redirects to an internal address is refused at the redirect")
    func redirectInward() async throws {
        let secret = try Self.internalService()
        // The attachment is on the account's own server, which answers with a redirect inward.
        let platform = try Self.platform(mediaURL: "{{base}}/media/1.png")
        platform.add(.redirect("/media/1.png", to: "http://inward.localhost:\(secret.port)/internal-secret"))
        defer { platform.stop(); secret.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try await Self.cycle(platform: platform, in: dir)
        #expect(run.report.failedAccounts.isEmpty)
        #expect(platform.requests(to: "/media/1.png").count == 1)
        #expect(secret.requestCount == 0)
        let file = try #require(run.media.first)
        #expect(file.sha256 == nil)
        #expect(file.lastError?.contains("inward.localhost") == true, "\(file.lastError ?? "")")
    }

    @Test("allow_addresses lets the listed address through, and the file is stored")
    func allowedMedia() async throws {
        let secret = try Self.internalService()
        let platform = try Self.platform(mediaURL: "http://127.0.0.1:\(secret.port)/internal-secret")
        defer { platform.stop(); secret.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try await Self.cycle(platform: platform, poll: "allow_addresses = [\"127.0.0.1:\(secret.port)\"]", in: dir)
        #expect(run.report.failedAccounts.isEmpty)
        #expect(secret.requestCount == 1)
        #expect(run.media.first?.sha256 == SHA256.hexDigest(Data("secret".utf8)))
    }

    @Test("an account whose host never answers says in the log, with its key and no token, that it exhausted its attempts")
    func exhaustedBudget() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.file("diarium.toml")
        // Port 1 on 127.0.0.1: nothing listens there and no test can bind it (below 1024).
        try Data("""
            [registry]
            path = "\(dir.file("r.sqlite").path)"
            [poll]
            attempts = 2
            request_timeout = "5s"
            [[account]]
            key = "etaten-dead"
            platform = "feed"
            url = "http://127.0.0.1:1/feed.xml?access_token=SECRET-TOKEN"

            """.utf8).write(to: file)
        let configuration = try DiariumConfiguration.load(from: file.path)
        let registry = try Registry(path: configuration.registryPath)
        let lines = RobustnessTests.LogLines()
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(configuration))
        #expect(client.configuration.retry.maxAttempts == 2)
        #expect(client.configuration.totalTimeout == .seconds(5))
        let archiver = Archiver(configuration: configuration, registry: registry,
                                rulebook: try Rulebook.load(profile: "no", defaults: repositoryRoot.appendingPathComponent("config/rules")),
                                client: client, logger: lines.logger)
        let report = await archiver.runCycle()
        #expect(report.failedAccounts == ["etaten-dead"])
        let exhausted = lines.all.filter { $0.contains("exhausted") }
        #expect(exhausted.count == 1, "\(lines.all)")
        #expect(exhausted.first?.contains("account etaten-dead exhausted its request budget: no answer after 2 attempts of up to 5 s each") == true)
        #expect(exhausted.first?.contains("[poll] attempts, request_timeout") == true)
        #expect(exhausted.first?.contains("SECRET-TOKEN") == false)
        #expect(lines.all.allSatisfy { !$0.contains("SECRET-TOKEN") }, "\(lines.all)")
    }

    @Test("a refused address is a matter of configuration, not a dead host: no \"exhausted\" line for it")
    func refusalKind() {
        let error = HTTPError(code: .addressRefused, method: "GET", url: "http://127.0.0.1:9/x",
                              detail: "127.0.0.1 is 127.0.0.1 port 9, an internal address, and http://127.0.0.1:9/x is neither a configured account's own API or feed nor listed in [poll] allow_addresses")
        #expect(PollErrorKind.classify(error) == .config)
        #expect(PollErrorKind.classify(ConnectorError.unreachable(account: "etaten", url: error.url, reason: error.description)) == .config)
        #expect(!PollErrorKind.config.exhaustsRequestBudget)
        #expect(PollErrorKind.timeout.exhaustsRequestBudget && PollErrorKind.connect.exhaustsRequestBudget)
    }
}
