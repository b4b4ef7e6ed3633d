import DiariumReplay
import Foundation

/// Sample Facebook Page traffic in the Graph API's shapes, under `/fb`. Stage 0: two
/// posts with a question, the Page's answer, a complaint and a comment that is later
/// removed. Stage 1: a new post with a question, the second post edited, the removed
/// comment's lookup answering error 100/33, and a private message to the Page.
extension DemoScenario {
    public static func facebookAccounts(baseURL: String) -> [Account] {
        [Account(key: "etaten-facebook", platform: "facebook", baseURL: baseURL + "/fb", handle: FacebookDemo.page,
                 url: "https://www.facebook.com/\(FacebookDemo.page)")]
    }

    public static func facebookRoutes() -> [ReplayRoute] {
        FacebookDemo.routes()
    }
}

/// The sample's ids and bodies, kept out of `DemoScenario`'s namespace.
private enum FacebookDemo {
    static let page = "104857290000001"
    static let p1 = "\(page)_2000000000000101", p2 = "\(page)_2000000000000102", p3 = "\(page)_2000000000000103"
    static let c1 = "2000000000000101_3000000000000101", c2 = "2000000000000101_3000000000000102"
    static let c3 = "2000000000000101_3000000000000103", c4 = "2000000000000102_3000000000000104"
    static let c5 = "2000000000000103_3000000000000105"
    static let m1 = "m_5000000000000101_a"

    static func from(_ id: String, _ name: String) -> String { #"{"id": "\#(id)", "name": "\#(name)"}"# }
    static let etaten = from(page, "Etaten")
    static let kari = from("6100000000000101", "Kari Nordmann")
    static let ola = from("6100000000000102", "Ola Eksempel")
    static let per = from("6100000000000103", "Per Prøvemann")
    static let lise = from("6100000000000104", "Liv Utprøver")
    static let nora = from("6100000000000105", "Nora Fjellstad")

    static func post(_ id: String, at: String, updated: String? = nil, _ message: String, attachment: String = "") -> String {
        let number = id.split(separator: "_").last.map(String.init) ?? id
        return #"{"id": "\#(id)", "message": "\#(message)", "created_time": "\#(at)", "updated_time": "\#(updated ?? at)", "from": \#(etaten), "# +
            #""permalink_url": "https://www.facebook.com/\#(page)/posts/\#(number)", "status_type": "mobile_status_update"\#(attachment)}"#
    }

    static func comment(_ id: String, by author: String, at: String, _ message: String, parent: String? = nil) -> String {
        let parentField = parent.map { #", "parent": {"id": "\#($0)"}"# } ?? ""
        return #"{"id": "\#(id)", "message": "\#(message)", "created_time": "\#(at)", "from": \#(author)\#(parentField), "comment_count": 0}"#
    }

    static func list(_ elements: [String]) -> String {
        #"{"data": [\#(elements.joined(separator: ", "))], "paging": {"cursors": {"before": "YmVmb3Jl", "after": "YWZ0ZXI"}}}"#
    }

    static let photo = #", "attachments": {"data": [{"media_type": "photo", "url": "https://www.facebook.com/photo.php?fbid=2000000000000901", "description": "Skjermbilde av søknadsskjemaet for bostøtte", "media": {"image": {"height": 675, "width": 1200, "src": "{{base}}/media/bostotte.png"}}}]}"#
    static let post1 = post(p1, at: "2026-11-20T08:00:00+0000", "Fra mandag kan du søke om bostøtte digitalt. Les mer: https://etaten.example.org/bostotte", attachment: photo)
    static let post2 = post(p2, at: "2026-11-20T10:00:00+0000", "Kontoret i Storgata er stengt fredag.")
    static let post2Edited = post(p2, at: "2026-11-20T10:00:00+0000", updated: "2026-11-20T12:20:00+0000",
                                  "Kontoret i Storgata er stengt fredag 27. november på grunn av vannlekkasje.")
    static let post3 = post(p3, at: "2026-11-20T13:00:00+0000", "Remember: the deadline to appeal a housing benefit decision is three weeks.")

    static let deletedLookup = #"{"error": {"message": "Unsupported get request. Object with ID '\#(c4)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", "type": "GraphMethodException", "code": 100, "error_subcode": 33, "fbtrace_id": "EtatenDemo33"}}"#
    static let batchRefused = #"{"error": {"message": "(#100) Some of the aliases you requested do not exist", "type": "OAuthException", "code": 100, "fbtrace_id": "EtatenDemoIds"}}"#

    static func routes() -> [ReplayRoute] {
        let feed = "/fb/\(page)/feed"
        // Stage 1 polls with since= the newest post of stage 0 (post 2, 10:00 UTC).
        let since = "1795168800"
        var routes: [ReplayRoute] = [
            .json(feed, list([post2, post1])),
            .json(feed, query: ["since": since], list([post2])),
            .json(feed, query: ["since": since], list([post3, post2Edited]), stage: 1),
            .json("/fb/\(p1)/comments", list([
                comment(c1, by: kari, at: "2026-11-20T08:20:00+0000", "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?"),
                comment(c2, by: etaten, at: "2026-11-20T08:45:00+0000", "Hei Kari! Du kan søke på papir, skjemaet ligger på https://etaten.example.org/skjema", parent: c1),
                comment(c3, by: ola, at: "2026-11-20T09:10:00+0000", "Jeg vil klage på vedtaket om bostøtte jeg fikk i oktober."),
            ])),
            .json("/fb/\(p2)/comments", list([comment(c4, by: per, at: "2026-11-20T10:30:00+0000", "Tjen penger raskt med crypto! https://win.example.com")])),
            .json("/fb/\(p2)/comments", list([]), stage: 1),
            .json("/fb/\(p3)/comments", list([comment(c5, by: lise, at: "2026-11-20T13:20:00+0000", "Can I appeal by email, or must it be a letter?")]), stage: 1),
            .json("/fb/\(page)/conversations", list([])),
            .json("/fb/\(page)/conversations", list([
                #"{"id": "t_5000000000000101", "messages": {"data": [{"id": "\#(m1)", "message": "Hei, jeg har fått avslag på bostøtte og vil klage. Kan dere ringe meg?", "created_time": "2026-11-20T11:30:00+0000", "from": \#(nora)}]}}"#,
            ]), stage: 1),
            // Existence checks: the batch is refused, so each id is asked for alone.
            .json("/fb/", query: ["fields": "id"], status: 400, batchRefused),
        ]
        for id in [p1, p2, p3, c1, c2, c3, c4, c5, m1] {
            routes.append(.json("/fb/\(id)", query: ["fields": "id"], #"{"id": "\#(id)"}"#))
        }
        routes.append(.json("/fb/\(c4)", query: ["fields": "id"], status: 400, deletedLookup, stage: 1))
        return routes
    }
}
