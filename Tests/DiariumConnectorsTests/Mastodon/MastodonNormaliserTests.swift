import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

@Suite struct MastodonNormaliserTests {
    func page(_ name: String) throws -> [Item] {
        try MastodonNormaliser.items(fromStatusesPage: Fixture.data("mastodon/\(name).json"), accountKey: "etaten", agencyAccountID: agencyID)
    }

    @Test func lookupGivesTheAccountID() throws {
        let account = try MastodonNormaliser.decodeAccount(Fixture.data("mastodon/lookup.json"))
        #expect(account.id == agencyID)
        #expect(account.acct == "etaten")
        #expect(account.display_name == "Etaten")
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeAccount(Fixture.data("mastodon/lookup-404.json")) }
    }

    @Test func pageOneKinds() throws {
        let items = try page("statuses-page1")
        #expect(items.map(\.id) == ["113500000000000700", "113500000000000600", "113500000000000500", "113500000000000400"])
        #expect(items.map(\.kind) == [.reply, .message, .share, .post])
        #expect(items.allSatisfy { $0.platform == .mastodon && $0.account == "etaten" && $0.author.agency })
        #expect(items.allSatisfy { $0.author.id == agencyID && $0.author.handle == "etaten" && $0.author.name == "Etaten" })
    }

    @Test func replyToSelf() throws {
        let reply = try #require(try page("statuses-page1").item("113500000000000700"))
        #expect(reply.inReplyTo == "113500000000000100")
        // The parent is not on this page: the best root known from the page is the parent.
        #expect(reply.threadRoot == "113500000000000100")
        #expect(reply.text == "Oppdatering: søknadsfristen for bostøtte er forlenget til 1. desember.")
        #expect(iso(reply.createdAt) == "2026-11-19T08:00:00Z")
        #expect(reply.editedAt == nil)
    }

    @Test func directMessage() throws {
        let dm = try #require(try page("statuses-page1").item("113500000000000600"))
        #expect(dm.kind == .message)
        #expect(dm.visibility == .direct)
        #expect(dm.isPrivateMessage)
        #expect(dm.text == "@kari Vi har mottatt henvendelsen din og svarer innen fem virkedager.")
        #expect(dm.threadRoot == "113500000000000600")
    }

    @Test func boostCarriesTheBoostedTextButTheAgencyAsAuthor() throws {
        let share = try #require(try page("statuses-page1").item("113500000000000500"))
        #expect(share.kind == .share)
        #expect(share.author.agency)
        #expect(share.author.handle == "etaten")
        #expect(share.text == "Kommunen har nye åpningstider på biblioteket fra 1. desember.")
        #expect(share.url == "https://kommune.example.net/@kommunen/113500000000099900")
        #expect(share.threadRoot == "113500000000000500")
        #expect(share.inReplyTo == nil)
    }

    @Test func contentWarningUnlistedAndEntities() throws {
        let cw = try #require(try page("statuses-page1").item("113500000000000400"))
        #expect(cw.kind == .post)
        #expect(cw.visibility == .unlisted)
        #expect(cw.language == "nb")
        #expect(cw.text == "CW: Lang saksbehandlingstid\n\nVi minner om at søknader om sykepenger behandles i rekkefølge.\nForventet saksbehandlingstid er 4 uker.")
    }

    @Test func pageTwoMediaEditAndLinks() throws {
        let items = try page("statuses-page2")
        #expect(items.map(\.id) == ["113500000000000300", "113500000000000200", "113500000000000100"])
        let media = try #require(items.item("113500000000000300"))
        #expect(media.language == "en")
        #expect(media.text == "New opening hours for our service centre from December & onwards.")
        #expect(media.attachments == [Attachment(
            url: "https://files.social.example.org/media_attachments/files/113/500/000/000/030/001/original/030001.png",
            mediaType: "image", description: "Table of the new opening hours, Monday to Friday 08–15")])
        let edited = try #require(items.item("113500000000000200"))
        #expect(iso(edited.createdAt) == "2026-11-16T12:00:00Z")
        #expect(iso(edited.editedAt) == "2026-11-16T12:30:00Z")
        let root = try #require(items.item("113500000000000100"))
        #expect(root.kind == .post)
        #expect(root.threadRoot == "113500000000000100")
        // Mastodon's invisible "https://" span is part of the label, so the link is whole.
        #expect(root.text == "Nå kan du søke om bostøtte digitalt. Les mer: https://etaten.example.org/bostotte #bostøtte")
        #expect(root.url == "https://social.example.org/@etaten/113500000000000100")
    }

    @Test func emptyPage() throws {
        #expect(try page("statuses-empty").isEmpty)
    }

    @Test func contextWithNestedRemoteReplies() throws {
        let context = try MastodonNormaliser.decodeContext(Fixture.data("mastodon/context-thread.json"))
        #expect(context.ancestors.isEmpty)
        let items = context.descendants.map {
            MastodonNormaliser.item(from: $0, accountKey: "etaten", agencyAccountID: agencyID, threadRoot: "113500000000000100")
        }
        #expect(items.map(\.id) == ["113500000000001001", "113500000000001002", "113500000000001003", "113500000000001004", "113500000000001005", "113500000000000700"])
        #expect(items.allSatisfy { $0.threadRoot == "113500000000000100" && $0.kind == .reply })
        #expect(items.map(\.author.agency) == [false, true, false, false, false, true])
        #expect(items.map(\.inReplyTo) == ["113500000000000100", "113500000000001001", "113500000000001002", "113500000000000100", "113500000000000100", "113500000000000100"])
        #expect(items[0].author == Author(id: "110000000000000777", handle: "kari@other.example.net", name: "Kari Nordvik", agency: false))
        #expect(items[0].text == "@etaten Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?")
        #expect(items[0].url == "https://other.example.net/@kari/113500000000001001")
        #expect(items[1].text == "@kari Du kan søke på papir. Skjemaet finner du her: https://etaten.example.org/skjema/bostotte")
        #expect(items[2].text == "@etaten Jeg vil klage på vedtaket mitt om bostøtte. Hvem sender jeg klagen til?")
        #expect(iso(items[2].editedAt) == "2026-11-16T11:10:00Z")
        #expect(items[3].text.contains("min sykdom"))
        #expect(NationalIdentityNumber.find(in: items[3].text).map(\.digits) == ["15088512313"])
        #expect(items[4].language == "en")
        let empty = try MastodonNormaliser.decodeContext(Fixture.data("mastodon/context-empty.json"))
        #expect(empty.ancestors.isEmpty && empty.descendants.isEmpty)
    }

    @Test func historyVersionsOldestFirst() throws {
        let statuses = try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/statuses-page2.json"))
        let edited = try #require(statuses.first { $0.id == "113500000000000200" })
        let two = MastodonNormaliser.versions(
            of: edited, history: try MastodonNormaliser.decodeHistory(Fixture.data("mastodon/history-2.json")),
            accountKey: "etaten", agencyAccountID: agencyID, threadRoot: nil)
        #expect(two.count == 2)
        #expect(two.map { iso($0.editedAt) } == [nil, "2026-11-16T12:30:00Z"])
        #expect(two.allSatisfy { $0.id == "113500000000000200" && iso($0.createdAt) == "2026-11-16T12:00:00Z" && $0.threadRoot == "113500000000000200" })
        #expect(two[0].text == "Kontoret i Storgata holder stengt fredag 20. november.")
        #expect(two[1].text == "Kontoret i Storgata holder stengt fredag 20. november. Vi åpner igjen mandag kl. 09.00.")

        let context = try MastodonNormaliser.decodeContext(Fixture.data("mastodon/context-thread.json"))
        let complaint = try #require(context.descendants.first { $0.id == "113500000000001003" })
        let three = MastodonNormaliser.versions(
            of: complaint, history: try MastodonNormaliser.decodeHistory(Fixture.data("mastodon/history-3.json")),
            accountKey: "etaten", agencyAccountID: agencyID, threadRoot: "113500000000000100")
        #expect(three.map { iso($0.editedAt) } == [nil, "2026-11-16T10:55:00Z", "2026-11-16T11:10:00Z"])
        #expect(three.map(\.text) == [
            "@etaten Jeg vil klage.",
            "@etaten Jeg vil klage på vedtaket mitt.",
            "@etaten Jeg vil klage på vedtaket mitt om bostøtte. Hvem sender jeg klagen til?",
        ])
        #expect(three.allSatisfy { !$0.author.agency && $0.author.handle == "ola@mastodon.example.net" && $0.kind == .reply && $0.threadRoot == "113500000000000100" })

        let media = try #require(statuses.first { $0.id == "113500000000000300" })
        let one = MastodonNormaliser.versions(
            of: media, history: try MastodonNormaliser.decodeHistory(Fixture.data("mastodon/history-1.json")),
            accountKey: "etaten", agencyAccountID: agencyID, threadRoot: nil)
        #expect(one.count == 1)
        #expect(one[0].editedAt == nil)
        #expect(one[0].attachments.first?.description == "Table of the new opening hours, Monday to Friday 08–15")
    }

    @Test func badBodiesFailToDecode() throws {
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/malformed.json")) }
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/statuses-wrong-type.json")) }
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/error-page.html")) }
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/error-401.json")) }
        let new = try MastodonNormaliser.decodeStatuses(Fixture.data("mastodon/statuses-new.json"))
        #expect(new.map(\.id) == ["113500000000000800"])
    }
}
