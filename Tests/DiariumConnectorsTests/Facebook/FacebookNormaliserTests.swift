import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

/// Graph posts, comments and messages as items, field by field.
@Suite struct FacebookNormaliserTests {
    static let page = "104857290000001"

    @Test func photoPostWithAltText() throws {
        let feed = try JSONDecoder().decode(FacebookPage<FacebookPost>.self, from: try Fixture.data("facebook/feed-page1.json"))
        let item = FacebookNormaliser.item(from: feed.data[0], accountKey: "etaten-fb", pageID: Self.page)
        #expect(item.platform == .facebook)
        #expect(item.account == "etaten-fb")
        #expect(item.id == "104857290000001_2000000000000003")
        #expect(item.url == "https://www.facebook.com/104857290000001/posts/2000000000000003")
        #expect(item.kind == .post)
        #expect(item.author == Author(id: Self.page, name: "Etaten", agency: true))
        #expect(item.inReplyTo == nil)
        #expect(item.threadRoot == item.id)
        #expect(iso(item.createdAt) == "2026-11-19T09:00:00Z")
        #expect(item.editedAt == nil)
        #expect(item.visibility == .public)
        #expect(item.text == "Fra mandag kan du søke om bostøtte digitalt. Les mer: https://etaten.example.org/bostotte")
        #expect(item.attachments == [Attachment(url: "https://scontent.example.net/v/t39.30808-6/bostotte_n.jpg", mediaType: "photo",
                                                description: "Skjermbilde av det nye søknadsskjemaet for bostøtte")])
    }

    @Test func sharedStoryIsAShareAndUpdatedTimeIsTheEdit() throws {
        let feed = try JSONDecoder().decode(FacebookPage<FacebookPost>.self, from: try Fixture.data("facebook/feed-page1.json"))
        let item = FacebookNormaliser.item(from: feed.data[1], accountKey: "etaten-fb", pageID: Self.page)
        #expect(item.kind == .share)
        #expect(iso(item.editedAt) == "2026-11-18T12:40:00Z")
        #expect(item.attachments == [Attachment(url: "https://kommune.example.com/vinter", mediaType: "link", description: "Slik forbereder du boligen på vinteren")])
    }

    // MARK: Shares and attachments (feed-shares.json, comments-attachments.json)

    func shares() throws -> [Item] {
        try JSONDecoder().decode(FacebookPage<FacebookPost>.self, from: try Fixture.data("facebook/feed-shares.json")).data.map {
            FacebookNormaliser.item(from: $0, accountKey: "etaten-fb", pageID: Self.page)
        }
    }

    @Test func sharedPostIsNamedWithItsTextAndAddress() throws {
        let share = try #require(try shares().item("104857290000001_2000000000000013"))
        #expect(share.kind == .share)
        #expect(share.author.agency)
        #expect(share.text == "Vi deler gjerne denne beskjeden fra kommunen.\n\n"
                + "Sharing Eksempel kommune: Vannet i Storgata blir stengt tirsdag kl. 08–14 på grunn av arbeid på ledningsnettet."
                + " — https://www.facebook.com/eksempelkommune/posts/3300000000000001")
        #expect(share.shared?.url == "https://www.facebook.com/eksempelkommune/posts/3300000000000001")
        #expect(share.shared?.author?.name == "Eksempel kommune")
        #expect(share.shared?.author?.agency == false)
        #expect(share.shared?.id == "222000000000001_3300000000000001")
        #expect(share.shared?.author?.id == "222000000000001")
        #expect(share.attachments == [Attachment(url: "https://scontent.example.net/v/t39.30808-6/vannstans_n.jpg", mediaType: "photo",
                                                 description: "Vannet i Storgata blir stengt tirsdag kl. 08–14 på grunn av arbeid på ledningsnettet.")])
    }

    @Test func sharedLinkKeepsItsOwnAddressTitleAndSummary() throws {
        let share = try #require(try shares().item("104857290000001_2000000000000012"))
        #expect(share.kind == .share)
        // No message: the line Facebook shows above the post is the text.
        #expect(share.text == "Etaten shared a link.")
        #expect(share.attachments == [Attachment(url: "https://kommune.example.com/brann", mediaType: "link",
                                                 description: "Sjekk røykvarsleren før jul — Brannvesenet minner om at røykvarsleren bør testes hver måned.")])
    }

    @Test func albumGivesEveryPhotoWithItsCaption() throws {
        let post = try #require(try shares().item("104857290000001_2000000000000011"))
        #expect(post.kind == .post)
        #expect(post.text == "Bilder fra åpen dag på servicetorget.")
        #expect(post.attachments == [
            Attachment(url: "https://scontent.example.net/v/t39.30808-6/apen_dag_1_n.jpg", mediaType: "photo", description: "Publikum i foajeen"),
            Attachment(url: "https://scontent.example.net/v/t39.30808-6/apen_dag_2_n.jpg", mediaType: "photo", description: "Veiledning ved servicetorget"),
        ])
    }

    @Test func videoIsItsFile() throws {
        let post = try #require(try shares().item("104857290000001_2000000000000010"))
        #expect(post.attachments == [Attachment(url: "https://video.example.net/v/t42.1790-2/infomote.mp4", mediaType: "video",
                                                description: "Informasjonsmøte om bostøtte, 19. november")])
    }

    @Test func commentAttachmentsAndPermalinks() throws {
        let page = try JSONDecoder().decode(FacebookPage<FacebookComment>.self, from: try Fixture.data("facebook/comments-attachments.json"))
        let post = "104857290000001_2000000000000011"
        let items = page.data.map { FacebookNormaliser.item(from: $0, postID: post, accountKey: "etaten-fb", pageID: Self.page) }
        #expect(items[0].text == "")
        #expect(items[0].url == "https://www.facebook.com/104857290000001/posts/2000000000000011?comment_id=3000000000000021")
        #expect(items[0].attachments == [Attachment(url: "https://scontent.example.net/v/t39.30808-6/skilt_n.jpg", mediaType: "photo")])
        #expect(items[1].text == "Skiltet er byttet, se her:")
        #expect(items[1].inReplyTo == "2000000000000011_3000000000000021")
        #expect(items[1].attachments == [Attachment(url: "https://etaten.example.org/servicetorget", mediaType: "link",
                                                    description: "Servicetorget — Åpningstider og adresse.")])
    }

    @Test func commentsKeepTheirParent() throws {
        let page = try JSONDecoder().decode(FacebookPage<FacebookComment>.self, from: try Fixture.data("facebook/comments-thread.json"))
        let post = "104857290000001_2000000000000003"
        let items = page.data.map { FacebookNormaliser.item(from: $0, postID: post, accountKey: "etaten-fb", pageID: Self.page) }
        #expect(items.map(\.kind) == [.comment, .comment, .comment, .comment])
        #expect(items.map(\.inReplyTo) == [post, "2000000000000003_3000000000000001", "2000000000000003_3000000000000001", post])
        #expect(items.allSatisfy { $0.threadRoot == post })
        #expect(items.map(\.author.agency) == [false, true, false, false])
        #expect(items[0].author == Author(id: "6100000000000001", name: "Kari Nordmann", agency: false))
        #expect(items[0].text == "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?")
        #expect(iso(items[0].createdAt) == "2026-11-19T09:20:45Z")
        #expect(items[3].text == "Jeg vil klage på vedtaket om bostøtte jeg fikk i oktober.")
    }

    @Test func pageMessageIsADirectMessage() throws {
        let page = try JSONDecoder().decode(FacebookPage<FacebookConversation>.self, from: try Fixture.data("facebook/conversations.json"))
        let conversation = page.data[0]
        let message = try #require(conversation.messages?.data[1])
        let item = FacebookNormaliser.item(from: message, conversationID: conversation.id, accountKey: "etaten-fb", pageID: Self.page)
        #expect(item.id == "m_5000000000000001_a")
        #expect(item.kind == .message)
        #expect(item.visibility == .direct)
        #expect(item.threadRoot == "t_5000000000000001")
        #expect(item.author == Author(id: "6100000000000003", name: "Nora Fjellstad", agency: false))
        #expect(iso(item.createdAt) == "2026-11-19T20:10:00Z")
        #expect(item.isPrivateMessage)
    }

    @Test func graphErrorsAreClassified() throws {
        let deleted = try #require(FacebookGraphError.parse(try Fixture.data("facebook/lookup-deleted.json")))
        #expect(deleted.isMissingObject && !deleted.isThrottling)
        for name in ["throttle-4", "throttle-17", "throttle-32"] {
            #expect(FacebookGraphError.parse(try Fixture.data("facebook/\(name).json"))?.isThrottling == true)
        }
        #expect(FacebookGraphError.parse(try Fixture.data("facebook/conversations-permission.json"))?.isPermission == true)
        #expect(FacebookGraphError.parse(try Fixture.data("facebook/feed-page1.json")) == nil)
    }
}
