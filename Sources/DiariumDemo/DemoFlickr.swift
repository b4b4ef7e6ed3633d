import DiariumReplay
import Foundation

/// Sample Flickr traffic in the REST API's JSON shapes, under `/flickr/services/rest`.
/// Stage 0: two photos, a question under the first and the agency's answer. Stage 1: a
/// new photo with a complaint under it, and the second photo's description edited.
extension DemoScenario {
    public static func flickrAccounts(baseURL: String) -> [Account] {
        [Account(key: "etaten-flickr", platform: "flickr", baseURL: baseURL + "/flickr/services/rest", handle: FlickrDemo.nsid,
                 url: "https://www.flickr.com/photos/etaten/")]
    }

    public static func flickrRoutes() -> [ReplayRoute] {
        FlickrDemo.routes()
    }
}

/// The sample's ids and bodies, kept out of `DemoScenario`'s namespace.
private enum FlickrDemo {
    static let nsid = "190000001@N04"
    static let path = "/flickr/services/rest"
    static let f1 = "53300000101", f2 = "53300000102", f3 = "53300000103"

    static func photo(_ id: String, secret: String, uploaded: String, updated: String? = nil, title: String, description: String, format: String = "jpg") -> String {
        #"{"id": "\#(id)", "owner": "\#(nsid)", "secret": "\#(secret)", "server": "65535", "farm": 66, "title": "\#(title)", "ispublic": 1, "isfriend": 0, "isfamily": 0, "# +
            #""description": {"_content": "\#(description)"}, "dateupload": "\#(uploaded)", "lastupdate": "\#(updated ?? uploaded)", "ownername": "Etaten", "# +
            #""url_o": "{{base}}/media/hus.png", "height_o": 1080, "width_o": 1920, "media": "photo", "media_status": "ready"}"#
    }

    static func page(_ photos: [String]) -> String {
        #"{"photos": {"page": 1, "pages": 1, "perpage": 100, "total": \#(photos.count), "photo": [\#(photos.joined(separator: ", "))]}, "stat": "ok"}"#
    }

    static func comment(_ id: String, author: String, name: String, at: String, _ text: String) -> String {
        #"{"id": "\#(id)", "author": "\#(author)", "author_is_deleted": 0, "authorname": "\#(name)", "datecreate": "\#(at)", "# +
            #""permalink": "https://www.flickr.com/photos/etaten/\#(id.split(separator: "-")[1])/#comment\#(id.split(separator: "-")[2])", "realname": "\#(name)", "_content": "\#(text)"}"#
    }

    static func comments(_ photo: String, _ list: [String]) -> String {
        list.isEmpty ? #"{"comments": {"photo_id": "\#(photo)"}, "stat": "ok"}"#
            : #"{"comments": {"photo_id": "\#(photo)", "comment": [\#(list.joined(separator: ", "))]}, "stat": "ok"}"#
    }

    static let photo1 = photo(f1, secret: "a1b2c3d4e5", uploaded: "1795161600", title: "Ny søknad om bostøtte",
                              description: "Skjermbilde av det nye digitale søknadsskjemaet.")
    static let photo2 = photo(f2, secret: "b2c3d4e5f6", uploaded: "1795168800", title: "Kontoret i Storgata",
                              description: "Inngangen til kontoret i Storgata.")
    static let photo2Edited = photo(f2, secret: "b2c3d4e5f6", uploaded: "1795168800", updated: "1795176000", title: "Kontoret i Storgata",
                                    description: "Inngangen til kontoret i Storgata, som er stengt fredag 27. november.")
    static let photo3 = photo(f3, secret: "c3d4e5f6a7", uploaded: "1795179600", title: "Klagefrist",
                              description: "Remember: the deadline to appeal a housing benefit decision is three weeks.")

    static func route(_ method: String, _ query: [String: String], _ body: String, stage: Int = 0) -> ReplayRoute {
        .json(path, query: query.merging(["method": method]) { a, _ in a }, body, stage: stage)
    }

    static func routes() -> [ReplayRoute] {
        let list = "flickr.people.getPublicPhotos", getList = "flickr.photos.comments.getList"
        var routes = [
            route(list, ["page": "1"], page([photo2, photo1])),
            route(list, ["page": "1"], page([photo3, photo2Edited, photo1]), stage: 1),
            route(getList, ["photo_id": f1], comments(f1, [
                comment("190000101-\(f1)-72157700000000101", author: "190000101@N02", name: "Kari Nordmann", at: "1795162800",
                        "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?"),
                comment("190000001-\(f1)-72157700000000102", author: nsid, name: "Etaten", at: "1795164600",
                        "@Kari Nordmann: Du kan søke på papir, se https://etaten.example.org/skjema"),
            ])),
            route(getList, ["photo_id": f2], comments(f2, [])),
            route(getList, ["photo_id": f3], comments(f3, [
                comment("190000102-\(f3)-72157700000000103", author: "190000102@N03", name: "Ola Eksempel", at: "1795181400",
                        "Jeg vil klage på at kontoret er stengt uten varsel."),
            ]), stage: 1),
        ]
        // Known photos missing from a page are looked up; none is, but answer anyway.
        for id in [f1, f2, f3] {
            routes.append(route("flickr.photos.getInfo", ["photo_id": id], info(id)))
        }
        return routes
    }

    /// A getInfo answer for a sample photo (title and description as in the list).
    static func info(_ id: String) -> String {
        let title = id == f1 ? "Ny søknad om bostøtte" : id == f2 ? "Kontoret i Storgata" : "Klagefrist"
        let posted = id == f1 ? "1795161600" : id == f2 ? "1795168800" : "1795179600"
        return #"{"photo": {"id": "\#(id)", "server": "65535", "dateuploaded": "\#(posted)", "owner": {"nsid": "\#(nsid)", "username": "Etaten", "realname": "Etaten"}, "# +
            #""title": {"_content": "\#(title)"}, "dates": {"posted": "\#(posted)", "lastupdate": "\#(posted)"}, "media": "photo"}, "stat": "ok"}"#
    }
}
