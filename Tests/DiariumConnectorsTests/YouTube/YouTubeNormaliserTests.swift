import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

/// Uploads-playlist entries and comments as items, field by field.
@Suite struct YouTubeNormaliserTests {
    static let channel = "UCetatenExampleChannel01"
    static let k = "UgzEtatenKommentar0001AaABAg"

    @Test func videoIsAPostWithItsWatchURL() throws {
        let page = try JSONDecoder().decode(YouTubeList<YouTubePlaylistItem>.self, from: try Fixture.data("youtube/playlist-page1.json"))
        let item = try #require(YouTubeNormaliser.item(from: page.items[0], accountKey: "etaten-yt", channelID: Self.channel))
        #expect(item.platform == .youtube)
        #expect(item.account == "etaten-yt")
        #expect(item.id == "EtVid000003")
        #expect(item.url == "https://www.youtube.com/watch?v=EtVid000003")
        #expect(item.kind == .post)
        #expect(item.author == Author(id: Self.channel, name: "Etaten", agency: true))
        #expect(item.threadRoot == "EtVid000003")
        #expect(iso(item.createdAt) == "2026-11-19T09:00:00Z")
        #expect(item.editedAt == nil)
        #expect(item.text == "Slik søker du om bostøtte digitalt\n\nVi viser steg for steg hvordan du fyller ut den nye søknaden.\nLes mer: https://etaten.example.org/bostotte")
        #expect(item.attachments == [Attachment(url: "https://i.ytimg.com/vi/EtVid000003/hqdefault.jpg", mediaType: "image")])
    }

    @Test func threadGivesTheTopCommentThenItsReplies() throws {
        let page = try JSONDecoder().decode(YouTubeList<YouTubeCommentThread>.self, from: try Fixture.data("youtube/threads.json"))
        let items = page.items.flatMap { YouTubeNormaliser.items(from: $0, videoID: "EtVid000003", accountKey: "etaten-yt", channelID: Self.channel) }
        #expect(items.map(\.id) == [Self.k, Self.k + ".9zEtSvar0001", Self.k + ".9zEtSvar0002", "UgzEtatenKommentar0002AaABAg"])
        #expect(items.map(\.inReplyTo) == ["EtVid000003", Self.k, Self.k, "EtVid000003"])
        #expect(items.allSatisfy { $0.threadRoot == "EtVid000003" && $0.kind == .comment })
        #expect(items.map(\.author.agency) == [false, true, false, false])
        #expect(items[0].author == Author(id: "UCkariNordmannExample001", handle: "@karinordmann", name: "@karinordmann", agency: false))
        #expect(items[0].text == "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?")
        #expect(items[0].url == "https://www.youtube.com/watch?v=EtVid000003&lc=\(Self.k)")
        #expect(iso(items[0].createdAt) == "2026-11-19T09:20:45Z")
        #expect(items.allSatisfy { $0.editedAt == nil })
        #expect(items[3].text == "Jeg vil klage på vedtaket om bostøtte jeg fikk i oktober.")
    }

    @Test func updatedAtAfterPublishedAtIsTheEdit() throws {
        let page = try JSONDecoder().decode(YouTubeList<YouTubeCommentThread>.self, from: try Fixture.data("youtube/threads-edited.json"))
        let top = YouTubeNormaliser.items(from: page.items[0], videoID: "EtVid000003", accountKey: "etaten-yt", channelID: Self.channel)[0]
        #expect(iso(top.editedAt) == "2026-11-20T09:15:00Z")
        #expect(top.text == "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID? Jeg bor i Storgata.")
    }

    @Test func plainDisplayTextIsKeptAsWrittenWhenTheOriginalIsMissing() throws {
        // `textOriginal` is only sure to come to the comment's author; the harvest asks
        // for `textFormat=plainText`, so `textDisplay` is plain text: nothing between
        // `<` and `>` is markup to drop, and `&` is not an entity.
        let page = try JSONDecoder().decode(YouTubeList<YouTubeCommentThread>.self, from: try Fixture.data("youtube/threads-plain.json"))
        let items = YouTubeNormaliser.items(from: page.items[0], videoID: "EtVid000003", accountKey: "etaten-yt", channelID: Self.channel)
        #expect(items[0].text == "Inntekt <250 000 kr & to barn: får jeg bostøtte? Skiltet ved døra sier <stengt>.")
        // An empty `textOriginal` is no text: the display text stands in.
        #expect(items[1].text == "@perprovemann Ja, med to barn er grensen høyere. Se https://etaten.example.org/bostotte")
    }

    @Test func commentKeepsItsImageAndTheHandleFromTheChannelURL() throws {
        let page = try JSONDecoder().decode(YouTubeList<YouTubeCommentThread>.self, from: try Fixture.data("youtube/threads-plain.json"))
        let items = YouTubeNormaliser.items(from: page.items[0], videoID: "EtVid000003", accountKey: "etaten-yt", channelID: Self.channel)
        #expect(items[0].author == Author(id: "UCperProvemannExample003", handle: "@perprovemann", name: "Per Prøvemann", agency: false))
        #expect(items[0].attachments == [Attachment(url: "https://yt3.ggpht.com/comment-image/skilt-example=s1024", mediaType: "image")])
        // A channel address without a handle gives none.
        #expect(items[1].author == Author(id: Self.channel, handle: nil, name: "Etaten", agency: true))
        #expect(items[1].inReplyTo == "UgzEtatenKommentar0003AaABAg")
        #expect(items[1].attachments.isEmpty)
    }

    @Test func quotaErrorsAreRecognised() throws {
        #expect(YouTubeError.parse(try Fixture.data("youtube/error-quota.json"))?.isQuota == true)
        #expect(YouTubeError.parse(try Fixture.data("youtube/comments-disabled.json"))?.reasons == ["commentsDisabled"])
        #expect(YouTubeError.parse(try Fixture.data("youtube/error-forbidden.json"))?.isQuota == false)
    }
}
