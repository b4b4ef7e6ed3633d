import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumDemo
import DiariumHTTP
import DiariumOutputs
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// End to end: the real libcurl client against a replay server on 127.0.0.1 serving the
/// demo's sample accounts, the real rulebook files, and a real SQLite registry.
@Suite("Archiving cycle")
struct ArchiverTests {
    struct Setup {
        let server: ReplayServer
        let registry: Registry
        let archiver: Archiver
        let dir: TemporaryDirectory
    }

    func setup(profile: String = "no", extraAccounts: [AccountConfig] = []) throws -> Setup {
        let server = try DemoScenario.startServer()
        let dir = try TemporaryDirectory()
        let accounts = DemoScenario.accounts(baseURL: server.baseURL).map {
            AccountConfig(key: $0.key, platform: Platform(rawValue: $0.platform)!, baseURL: $0.baseURL, handle: $0.handle, url: $0.url)
        } + extraAccounts
        let configuration = DiariumConfiguration(registryPath: dir.file("r.sqlite").path, profile: profile, rescanSeconds: 3650 * 86400, accounts: accounts)
        let registry = try Registry(path: configuration.registryPath)
        let rulebook = try Rulebook.load(profile: profile, defaults: repositoryRoot.appendingPathComponent("config/rules"))
        let archiver = Archiver(configuration: configuration, registry: registry, rulebook: rulebook, client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration)))
        return Setup(server: server, registry: registry, archiver: archiver, dir: dir)
    }

    func decision(_ registry: Registry, _ id: String) throws -> Decision {
        try #require(try registry.detail(of: ItemReference(account: nil, id: id))?.record.decision)
    }

    @Test("first run archives posts, nested replies and feeds; a second run stores nothing twice; new posts and an edit are stored alone")
    func incremental() async throws {
        let s = try setup()
        defer { s.server.stop(); s.dir.remove() }

        let first = await s.archiver.runCycle()
        #expect(first.failedAccounts.isEmpty, "\(first.outcomes.compactMap(\.error))")
        let afterFirst = try s.registry.counts()
        #expect(first.total.newItems == afterFirst.items)
        #expect(afterFirst.items >= 8 + 4) // 2 posts + 6 replies on Mastodon, 4 feed entries
        #expect(try s.registry.detail(of: ItemReference(account: nil, id: "113500000000000015"))?.record.item.inReplyTo == "113500000000000011")
        #expect(try s.registry.detail(of: ItemReference(account: nil, id: "113500000000000015"))?.record.item.threadRoot == "113500000000000001")

        let again = await s.archiver.runCycle()
        #expect(again.total.newItems == 0)
        #expect(again.total.newVersions == 0)
        #expect(again.total.capturesStored == 0)
        #expect(try s.registry.counts() == afterFirst)

        s.server.setStage(1)
        let third = await s.archiver.runCycle()
        let mastodon = try #require(third.outcomes.first { $0.account == "etaten-mastodon" })
        #expect(mastodon.summary.newItems == 2, "the new post and the late reply")
        #expect(mastodon.summary.newVersions == 3, "two new items and one edit")
        #expect(mastodon.summary.deletions == 1, "the spam reply, confirmed by its direct lookup")
        let edited = try #require(try s.registry.detail(of: ItemReference(account: "etaten-mastodon", id: "113500000000000002")))
        try #require(edited.versions.count == 2)
        #expect(edited.versions[1].item.text.contains("vannlekkasje"))
        #expect(edited.versions[0].capture.sha256 != edited.versions[1].capture.sha256)
        #expect(try s.registry.verify().problem == nil)
    }

    @Test("attached media are downloaded after the commit, content-addressed, and linked to the version")
    func media() async throws {
        let s = try setup()
        defer { s.server.stop(); s.dir.remove() }
        let report = await s.archiver.runCycle()
        #expect(report.total.mediaQueued >= 2)
        #expect(report.total.mediaStored == report.total.mediaQueued)
        let files = try s.registry.media(of: ItemReference(account: "etaten-mastodon", id: "113500000000000001"))
        let file = try #require(files.first)
        #expect(file.sha256 == SHA256.hexDigest(DemoScenario.png))
        #expect(file.contentType == "image/png")
        #expect(file.description == "Skjermbilde av søknadsskjemaet for bostøtte")
        #expect(try s.registry.verify().problem == nil)
    }

    @Test("a media file that cannot be fetched is retried later and never fails the cycle; URLs outside the allowed places are never fetched")
    func mediaFailures() async throws {
        let s = try setup()
        defer { s.server.stop(); s.dir.remove() }
        s.server.add([ReplayRoute(path: "/media/bostotte.png", status: 503, times: 100)])
        let report = await s.archiver.runCycle()
        #expect(report.failedAccounts.isEmpty)
        let files = try s.registry.media(of: ItemReference(account: "etaten-mastodon", id: "113500000000000001"))
        #expect(files.first?.sha256 == nil)
        #expect(files.first?.attempts == 1)
        #expect(files.first?.lastError?.contains("503") == true)
        #expect(try s.registry.pendingMedia(account: "etaten-mastodon", limit: 10).isEmpty, "not before its retry time")
        #expect(try s.registry.pendingMedia(account: "etaten-mastodon", limit: 10, now: Date().addingTimeInterval(3600)).count == 1)
    }

    @Test("an account whose handle is gone is recorded as an account event and backed off")
    func accountGone() async throws {
        let s = try setup(extraAccounts: [AccountConfig(key: "gone", platform: .mastodon, baseURL: "PLACEHOLDER", handle: "nobody")])
        defer { s.server.stop(); s.dir.remove() }
        var configuration = s.archiver.configuration
        configuration.accounts[configuration.accounts.count - 1].baseURL = s.server.baseURL
        let archiver = Archiver(configuration: configuration, registry: s.registry, rulebook: s.archiver.rulebook, client: s.archiver.client, media: s.archiver.media)
        let first = await archiver.runCycle()
        #expect(first.outcomes.first { $0.account == "gone" }?.error?.contains("nobody") == true)
        #expect(try s.registry.accountEvents(account: "gone").first?.kind == "deleted")
        #expect(try s.registry.backoffUntil(account: "gone").map { $0 > Date() } == true)
        let lookups = s.server.requests(to: "/api/v1/accounts/lookup").count
        let second = await archiver.runCycle()
        #expect(second.outcomes.first { $0.account == "gone" }?.error?.contains("unavailable") == true)
        #expect(s.server.requests(to: "/api/v1/accounts/lookup").count == lookups, "no request while backing off")
    }

    @Test("the rulebook decides each reply, an agency answer follows the question it answers")
    func decisions() async throws {
        let s = try setup()
        defer { s.server.stop(); s.dir.remove() }
        _ = await s.archiver.runCycle()
        let question = try decision(s.registry, "113500000000000011")
        #expect(question.journal && question.type == .I && question.rules.first == "NO-case")
        let answer = try decision(s.registry, "113500000000000012")
        #expect(answer.journal && answer.type == .U && answer.rules.first == "NO-agency-answer")
        #expect(try decision(s.registry, "113500000000000013").journal == false)
        let complaint = try decision(s.registry, "113500000000000014")
        #expect(complaint.journal && complaint.rules.contains("NO-id"))
        let health = try decision(s.registry, "113500000000000015")
        #expect(health.access.restricted && health.rules.contains("NO-health"))
        #expect(try decision(s.registry, "113500000000000016").rules.first == "NO-spam")
        #expect(try decision(s.registry, "113500000000000001").rules.first == "NO-agency-post")
    }

    @Test("the public journal shows no screened name and no national identity number, in every format")
    func publicJournal() async throws {
        let s = try setup()
        defer { s.server.stop(); s.dir.remove() }
        _ = await s.archiver.runCycle()
        let records = try s.registry.journal(day: DemoScenario.sampleDay)
        let staffView = try JournalRenderer(agencyName: "Etaten", day: DemoScenario.sampleDay, isPublic: false).render(records, as: .text)
        #expect(staffView.contains("Lise Testesen"))
        #expect(staffView.contains("15038710041"))
        for format in OutputFormat.allCases {
            let published = try JournalRenderer(agencyName: "Etaten", day: DemoScenario.sampleDay, isPublic: true).render(records, as: format)
            #expect(!published.contains("Lise Testesen"), "\(format)")
            #expect(!published.contains("15038710041"), "\(format)")
            #expect(!published.contains("kronisk sykdom"), "\(format)")
            #expect(published.contains("Kari Nordmann"), "an open correspondent stays visible in \(format)")
        }
    }

    @Test("a malformed page is quarantined with its bytes while the other accounts complete")
    func quarantine() async throws {
        let s = try setup(extraAccounts: [AccountConfig(key: "broken-feed", platform: .feed, url: "PLACEHOLDER")])
        defer { s.server.stop(); s.dir.remove() }
        s.server.add([ReplayRoute(path: "/broken/feed.xml", headers: [ReplayHeader("Content-Type", "application/rss+xml")],
                                  body: Data("<rss version=\"2.0\"><channel><item><title>Half".utf8))])
        var configuration = s.archiver.configuration
        configuration.accounts[configuration.accounts.count - 1].url = s.server.baseURL + "/broken/feed.xml"
        let archiver = Archiver(configuration: configuration, registry: s.registry, rulebook: s.archiver.rulebook, client: s.archiver.client, media: s.archiver.media)
        let report = await archiver.runCycle()
        let broken = try #require(report.outcomes.first { $0.account == "broken-feed" })
        #expect(broken.summary.quarantined == 1 || broken.error != nil)
        #expect(report.outcomes.filter { $0.account != "broken-feed" }.allSatisfy { $0.error == nil && $0.summary.newItems > 0 })
        #expect(try s.registry.counts().quarantined == 1)
    }
}
