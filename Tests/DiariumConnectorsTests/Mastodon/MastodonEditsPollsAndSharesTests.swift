import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Posts first seen already edited, polls, boosts and quotes (issue 13), from the
/// hand-written fixtures `statuses-edited-and-shared.json`, `history-edited-cw.json` and
/// `history-poll.json`.
@Suite struct MastodonEditsPollsAndSharesTests {
    static let edited = "113600000000000100", polled = "113600000000000200", boost = "113600000000000300"
    static let quote = "113600000000000400", quoteGone = "113600000000000500"
    static let altDraft = "Utkast til søknadsskjema, side 1"
    static let altFinal = "Søknadsskjema for tilskudd, side 1 av 2, med feltene navn, organisasjonsnummer og beløp"
    static let form = "https://files.social.example.org/media_attachments/files/113/600/000/000/070/001/original/113600000000070001.png"

    let connector = MastodonConnector(client: Replay.client())

    func page() throws -> [Item] {
        try MastodonNormaliser.items(fromStatusesPage: Fixture.data("mastodon/statuses-edited-and-shared.json"), accountKey: "etaten", agencyAccountID: agencyID)
    }

    static func routes() throws -> [ReplayRoute] {
        [
            try Replay.route(MastodonPaths.lookup, query: ["acct": "etaten"], "mastodon/lookup.json"),
            try Replay.route(MastodonPaths.statuses, query: ["limit": "40"], "mastodon/statuses-edited-and-shared.json"),
            try Replay.route(MastodonPaths.history(edited), "mastodon/history-edited-cw.json"),
            try Replay.route(MastodonPaths.history(polled), "mastodon/history-poll.json"),
        ]
    }

    @Test func postFirstSeenAlreadyEditedHasItsVersionsOldestFirstAndTheLiveOneLast() async throws {
        let server = try ReplayServer(routes: Self.routes())
        defer { server.stop() }
        let account = AccountConfig(key: "etaten", platform: .mastodon, baseURL: server.baseURL, handle: "@etaten")
        let harvest = try await connector.harvest(account: account, checkpoint: Checkpoint(), known: KnownItems())
        #expect(harvest.quarantined.isEmpty && harvest.problems.isEmpty)

        // Both histories come before the page that shows their statuses as they are now.
        #expect(harvest.observations.map(\.capture.url) == [
            "\(server.baseURL)\(MastodonPaths.history(Self.polled))",
            "\(server.baseURL)\(MastodonPaths.history(Self.edited))",
            "\(server.baseURL)\(MastodonPaths.statuses)?limit=40",
        ])
        let live = try #require(try page().item(Self.edited))
        let versions = harvest.items.filter { $0.id == Self.edited }
        #expect(versions.map { iso($0.editedAt) } == [nil, "2026-11-19T08:15:00Z", "2026-11-19T08:40:00Z"])
        // The original: no content warning, no attachment, not edited.
        #expect(versions[0].text == "Søknadsfristen for tilskudd til lag og foreninger er 1. desember.")
        #expect(versions[0].attachments.isEmpty)
        // The history's last entry is the live status: the live one (every field, the
        // page's bytes) stands for it, last, so it is the current version.
        #expect(versions[2] == live)
        #expect(versions[2].text == "CW: Endret søknadsfrist\n\nSøknadsfristen for tilskudd til lag og foreninger er flyttet til 15. desember. Skjemaet ligger ved.")
        #expect(versions[2].url == "https://social.example.org/@etaten/\(Self.edited)")
        #expect(harvest.observations.last?.items.item(Self.edited) == live)
        // Alt text follows its revision: the draft's description, then the final one.
        #expect(versions.map { $0.attachments.map(\.description) } == [[], [Self.altDraft], [Self.altFinal]])
        #expect(versions[1].attachments.first?.url == Self.form)
        #expect(Set(versions.map(\.contentHash)).count == 3)

        // A change to the poll alone is a version of its own.
        let polls = harvest.items.filter { $0.id == Self.polled }
        #expect(polls.map { iso($0.editedAt) } == [nil, "2026-11-19T09:20:00Z"])
        #expect(polls.map { $0.poll?.options.count } == [2, 3])
        #expect(polls[0].contentHash != polls[1].contentHash)
        #expect(polls[1] == (try page().item(Self.polled)))
    }

    @Test func pollOptionsAreInTheTextAndTheItem() throws {
        let item = try #require(try page().item(Self.polled))
        let poll = try #require(item.poll)
        #expect(poll.options == ["Tidlig morgen (07–09)", "Ettermiddag (15–17)", "Lørdag formiddag"])
        #expect(!poll.multiple)
        #expect(iso(poll.expiresAt) == "2026-11-26T09:20:00Z")
        #expect(item.text == """
            Vi vurderer nye åpningstider ved servicekontoret. Når passer det best for deg?

            Poll (choose one):
            - Tidlig morgen (07–09)
            - Ettermiddag (15–17)
            - Lørdag formiddag
            """)
        // A revision from the history has only the options; how many may be chosen is
        // the status's, and it has no closing time.
        let statuses = try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/statuses-edited-and-shared.json"))
        let history = try MastodonNormaliser.decodeHistory(Fixture.data("mastodon/history-poll.json"))
        let versions = MastodonNormaliser.versions(of: try #require(statuses.first { $0.id == Self.polled }), history: history,
                                                   accountKey: "etaten", agencyAccountID: agencyID, threadRoot: nil)
        #expect(versions.map(\.poll) == [Poll(options: ["Tidlig morgen (07–09)", "Ettermiddag (15–17)"]),
                                         Poll(options: ["Tidlig morgen (07–09)", "Ettermiddag (15–17)", "Lørdag formiddag"])])
        #expect(versions[1].contentHash == item.contentHash, "the history's last entry is the live status")
    }

    @Test func boostKeepsTheOriginalsIdentityAndPage() throws {
        let share = try #require(try page().item(Self.boost))
        #expect(share.kind == .share)
        #expect(share.author == Author(id: agencyID, handle: "etaten", name: "Etaten", agency: true))
        #expect(share.text == "Influensavaksinen er klar. Bestill time hos fastlegen.")
        // The boost's own url is an `/activity` address; the record points at the original.
        #expect(share.url == "https://helse.example.net/@helse/113600000000099800")
        #expect(share.shared == SharedPost(id: "113600000000099800", url: "https://helse.example.net/@helse/113600000000099800",
                                           author: Author(id: "110000000000000555", handle: "helse@helse.example.net",
                                                          name: "Helseetaten i Eksempel", agency: false)))
        #expect(share.quoted == nil && share.poll == nil)
    }

    @Test func quoteKeepsTheQuotedPostsIdentityAndState() throws {
        let items = try page()
        let quote = try #require(items.item(Self.quote))
        #expect(quote.kind == .post)
        #expect(quote.text == "Servicekontoret i Storgata holder åpent, men bruk inngangen i Kirkegata.")
        #expect(quote.url == "https://social.example.org/@etaten/\(Self.quote)")
        #expect(quote.shared == nil)
        #expect(quote.quoted == SharedPost(id: "113600000000099700", url: "https://kommune.example.net/@kommunen/113600000000099700",
                                           author: Author(id: "110000000000000333", handle: "kommunen@kommune.example.net",
                                                          name: "Eksempel kommune", agency: false),
                                           state: "accepted"))
        // A quoted post since deleted: only the state is left to keep.
        #expect(items.item(Self.quoteGone)?.quoted == SharedPost(id: nil, state: "deleted"))
    }
}
