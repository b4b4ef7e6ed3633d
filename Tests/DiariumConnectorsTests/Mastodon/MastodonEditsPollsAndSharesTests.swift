import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Polls, boosts and quotes (issue 13), from the hand-written fixtures
/// `statuses-edited-and-shared.json` and `history-poll.json`.
@Suite struct MastodonEditsPollsAndSharesTests {
    static let edited = "113600000000000100", polled = "113600000000000200", boost = "113600000000000300"
    static let quote = "113600000000000400", quoteGone = "113600000000000500"
    static let altDraft = "Utkast til søknadsskjema, side 1"
    static let altFinal = "Søknadsskjema for tilskudd, side 1 av 2, med feltene navn, organisasjonsnummer og beløp"
    static let form = "https://files.social.example.org/media_attachments/files/113/600/000/000/070/001/original/113600000000070001.png"

    func page() throws -> [Item] {
        try MastodonNormaliser.items(fromStatusesPage: Fixture.data("mastodon/statuses-edited-and-shared.json"), accountKey: "etaten", agencyAccountID: agencyID)
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
