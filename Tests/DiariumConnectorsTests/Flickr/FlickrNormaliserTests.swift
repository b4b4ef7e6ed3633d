import DiariumConnectors
import DiariumCore
import DiariumTestSupport
import Foundation
import Testing

/// Flickr photos and comments as items, field by field.
@Suite struct FlickrNormaliserTests {
    static let nsid = "190000001@N04"

    struct Photos: Decodable {
        struct Inner: Decodable { var photo: [FlickrPhoto] }
        var photos: Inner
    }

    struct Comments: Decodable {
        struct Inner: Decodable { var comment: [FlickrComment] }
        var comments: Inner
    }

    @Test func photoIsAPostWithTheOriginalAsAttachment() throws {
        let photos = try JSONDecoder().decode(Photos.self, from: try Fixture.data("flickr/photos-page1.json")).photos.photo
        let item = FlickrNormaliser.item(from: photos[0], accountKey: "etaten-flickr", nsid: Self.nsid)
        #expect(item.platform == .flickr)
        #expect(item.id == "53300000003")
        #expect(item.url == "https://www.flickr.com/photos/190000001@N04/53300000003/")
        #expect(item.kind == .post)
        #expect(item.author == Author(id: Self.nsid, name: "Etaten", agency: true))
        #expect(item.threadRoot == "53300000003")
        #expect(item.inReplyTo == nil)
        #expect(iso(item.createdAt) == "2026-11-19T09:00:00Z")
        #expect(item.editedAt == nil)
        let description = "Skjermbilde av det nye digitale søknadsskjemaet. Les mer på https://etaten.example.org/bostotte"
        #expect(item.text == "Ny søknad om bostøtte\n\n\(description)")
        #expect(item.attachments == [Attachment(url: "https://live.staticflickr.com/65535/53300000003_f0e1d2c3b4_o.png", mediaType: "photo", description: description)])
        // lastupdate after the upload is the edit time.
        #expect(iso(FlickrNormaliser.item(from: photos[1], accountKey: "k", nsid: Self.nsid).editedAt) == "2026-11-18T12:40:00Z")
    }

    @Test func getInfoGivesTheSameItemShape() throws {
        struct Info: Decodable { var photo: FlickrPhotoInfo }
        let info = try JSONDecoder().decode(Info.self, from: try Fixture.data("flickr/info-53300000002.json")).photo
        let item = FlickrNormaliser.item(from: info, accountKey: "etaten-flickr", nsid: Self.nsid)
        let photos = try JSONDecoder().decode(Photos.self, from: try Fixture.data("flickr/photos-page1.json")).photos.photo
        let listed = FlickrNormaliser.item(from: photos[1], accountKey: "etaten-flickr", nsid: Self.nsid)
        #expect(item.attachments.map(\.url) == listed.attachments.map(\.url))
        #expect(item.url == listed.url)
        #expect(item.author == listed.author)
        #expect(item.createdAt == listed.createdAt)
        #expect(item.text == "Winter maintenance at the Storgata office\n\nStaff clearing snow and gritting the steps before opening hours.")
        #expect(iso(item.editedAt) == "2026-11-20T10:00:00Z")
    }

    @Test func tagsAreKeptAndTheListAndGetInfoAgree() throws {
        struct Info: Decodable { var photo: FlickrPhotoInfo }
        let listed = try JSONDecoder().decode(Photos.self, from: try Fixture.data("flickr/photos-tags.json")).photos.photo
            .map { FlickrNormaliser.item(from: $0, accountKey: "etaten-flickr", nsid: Self.nsid) }[0]
        let info = try JSONDecoder().decode(Info.self, from: try Fixture.data("flickr/info-53300000011.json")).photo
        let looked = FlickrNormaliser.item(from: info, accountKey: "etaten-flickr", nsid: Self.nsid)
        #expect(listed.text == "Åpen dag & omvisning\n\nPublikum på omvisning i servicetorget (https://etaten.example.org/servicetorget)."
                + "\n\nTags: åpendag, servicetorget, storgata2026")
        // The same photo read either way is the same item: same text (the clean tags),
        // same author name (the username, as `ownername` has it), same file.
        #expect(looked.text == listed.text)
        #expect(looked.author == listed.author)
        #expect(listed.author == Author(id: Self.nsid, name: "Etaten", agency: true))
        #expect(looked.attachments == listed.attachments)
        #expect(looked.editedAt == listed.editedAt)
        #expect(iso(listed.editedAt) == "2026-11-21T09:00:00Z")
    }

    @Test func commentsAnswerThePhoto() throws {
        let comments = try JSONDecoder().decode(Comments.self, from: try Fixture.data("flickr/comments.json")).comments.comment
        let items = comments.map { FlickrNormaliser.item(from: $0, photoID: "53300000003", accountKey: "etaten-flickr", nsid: Self.nsid) }
        #expect(items.map(\.kind) == [.comment, .comment, .comment])
        #expect(items.allSatisfy { $0.inReplyTo == "53300000003" && $0.threadRoot == "53300000003" })
        #expect(items.map(\.author.agency) == [false, true, false])
        #expect(items[0].author == Author(id: "190000101@N02", handle: "karinordmann", name: "Kari Nordmann", agency: false))
        #expect(items[0].text == "Hvordan søker jeg om bostøtte uten BankID?")
        #expect(items[0].url == "https://www.flickr.com/photos/etaten/53300000003/#comment72157700000000001")
        #expect(iso(items[0].createdAt) == "2026-11-19T09:20:45Z")
        #expect(items[1].author.name == "Etaten")
        #expect(items[1].text.contains("etaten.example.org/skjema"))
        #expect(!items[1].text.contains("<a"))
        #expect(items[2].text == "Jeg vil klage på vedtaket om bostøtte jeg fikk i oktober.")
    }
}
