import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// A Mastodon account back-filled after its posts were edited (issue 13): the registry
/// must hold every version oldest first and, as current, what the platform shows now —
/// on the first cycle and on every later one. Hand-written fixtures under
/// `Tests/Fixtures/mastodon/`, served on 127.0.0.1, the real rulebook and a real registry.
@Suite("Posts first seen already edited")
struct EditedBeforeFirstSeenTests {
    static let edited = "113600000000000100", polled = "113600000000000200", boost = "113600000000000300"
    static let statuses = "/api/v1/accounts/110000000000000001/statuses"
    static let altDraft = "Utkast til søknadsskjema, side 1"
    static let altFinal = "Søknadsskjema for tilskudd, side 1 av 2, med feltene navn, organisasjonsnummer og beløp"

    static func route(_ path: String, query: [String: String] = [:], _ fixture: String, stage: Int = 0) throws -> ReplayRoute {
        ReplayRoute(path: path, query: query, headers: [ReplayHeader("Content-Type", "application/json; charset=utf-8")],
                    body: try Fixture.data("mastodon/\(fixture)"), stage: stage)
    }

    static func routes() throws -> [ReplayRoute] {
        var routes = [
            try route("/api/v1/accounts/lookup", query: ["acct": "etaten"], "lookup.json"),
            try route(statuses, query: ["limit": "40"], "statuses-edited-and-shared.json"),
            try route(statuses, query: ["limit": "40", "min_id": "113600000000000500"], "statuses-empty.json"),
            // Later cycles re-check the known statuses in one batch; at stage 1 the first
            // post has been edited once more.
            try route("/api/v1/statuses", "statuses-edited-and-shared.json"),
            try route("/api/v1/statuses", "statuses-edited-again.json", stage: 1),
            try route("/api/v1/statuses/\(edited)/history", "history-edited-cw.json"),
            try route("/api/v1/statuses/\(edited)/history", "history-edited-cw-again.json", stage: 1),
            try route("/api/v1/statuses/\(polled)/history", "history-poll.json"),
        ]
        for id in 1...5 {
            routes.append(try route("/api/v1/statuses/113600000000000\(id)00/context", "context-empty.json"))
        }
        return routes
    }

    @Test("the versions are stored oldest first, the live status current, with alt text per version; later cycles keep it so")
    func versionsOldestFirst() async throws {
        let server = try ReplayServer(routes: Self.routes())
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let account = AccountConfig(key: "etaten", platform: .mastodon, baseURL: server.baseURL, handle: "etaten")
        let configuration = DiariumConfiguration(registryPath: dir.file("r.sqlite").path, profile: "no", rescanSeconds: 3650 * 86400, accounts: [account])
        let registry = try Registry(path: configuration.registryPath)
        let archiver = Archiver(configuration: configuration, registry: registry,
                                rulebook: try Rulebook.load(profile: "no", defaults: repositoryRoot.appendingPathComponent("config/rules")),
                                client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration)), media: MediaPolicy(enabled: false))
        let reference = ItemReference(account: "etaten", id: Self.edited)

        let first = await archiver.runCycle()
        #expect(first.failedAccounts.isEmpty, "\(first.outcomes.compactMap(\.error))")
        #expect(first.total.newItems == 5)
        #expect(first.total.newVersions == 5 + 2 + 1, "the edited post's two earlier revisions, the poll's one")
        var detail = try #require(try registry.detail(of: reference))
        #expect(detail.versions.map { $0.item.editedAt.map(Timestamp.format) } == [nil, "2026-11-19T08:15:00Z", "2026-11-19T08:40:00Z"])
        #expect(detail.versions[0].item.text == "Søknadsfristen for tilskudd til lag og foreninger er 1. desember.")
        #expect(detail.versions[0].item.attachments.isEmpty)
        // Current: the status as the platform shows it now, from the timeline page's bytes.
        let current = detail.record.item
        #expect(current == detail.versions[2].item)
        #expect(current.text.hasPrefix("CW: Endret søknadsfrist\n\n") && current.text.contains("15. desember"))
        #expect(current.attachments.map(\.description) == [Self.altFinal])
        #expect(Timestamp.format(try #require(current.editedAt)) == "2026-11-19T08:40:00Z")
        #expect(current.url == "https://social.example.org/@etaten/\(Self.edited)")
        #expect(detail.versions[2].capture.url.hasSuffix("\(Self.statuses)?limit=40"))
        #expect(detail.versions[1].capture.url.hasSuffix("/\(Self.edited)/history"))
        // Each version's media row carries that version's alt text.
        let media = try registry.media(of: reference)
        #expect(media.map(\.versionNumber) == [2, 3])
        #expect(media.map(\.description) == [Self.altDraft, Self.altFinal])

        let poll = try #require(try registry.detail(of: ItemReference(account: "etaten", id: Self.polled)))
        #expect(poll.versions.map { $0.item.poll?.options.count } == [2, 3])
        #expect(poll.record.item.poll?.expiresAt != nil)
        #expect(try registry.search("Lørdag").map(\.item.id) == [Self.polled], "poll options are searchable")

        let boost = try #require(try registry.detail(of: ItemReference(account: "etaten", id: Self.boost))).record.item
        #expect(boost.shared?.author?.handle == "helse@helse.example.net")
        #expect(boost.url == "https://helse.example.net/@helse/113600000000099800")

        // The next cycle sees the same statuses again: nothing new, and the live status stays current.
        let second = await archiver.runCycle()
        #expect(second.failedAccounts.isEmpty, "\(second.outcomes.compactMap(\.error))")
        #expect(second.total.newItems == 0 && second.total.newVersions == 0)
        #expect(try registry.detail(of: reference)?.record.item == current)

        // Edited once more: one new version, current again.
        server.setStage(1)
        let third = await archiver.runCycle()
        #expect(third.failedAccounts.isEmpty, "\(third.outcomes.compactMap(\.error))")
        #expect(third.total.newVersions == 1)
        detail = try #require(try registry.detail(of: reference))
        #expect(detail.versions.count == 4)
        #expect(detail.record.item.text.contains("16. desember"))
        #expect(detail.record.item.editedAt.map(Timestamp.format) == "2026-11-19T09:10:00Z")
        #expect(detail.versions[3].capture.url.contains("/api/v1/statuses?"))
        #expect(try registry.verify().problem == nil)
    }
}
