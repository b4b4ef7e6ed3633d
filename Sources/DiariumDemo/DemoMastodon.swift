import DiariumReplay
import Foundation

/// Sample Mastodon traffic in the shapes Mastodon's REST API sends.
extension DemoScenario {
    struct Person {
        var id: String
        var username: String
        var acct: String
        var name: String
    }

    static let agency = Person(id: mastodonAccountID, username: "etaten", acct: "etaten", name: "Etaten")
    static let kari = Person(id: "110000000000000101", username: "kari", acct: "kari@social.example.net", name: "Kari Nordmann")
    static let ola = Person(id: "110000000000000102", username: "ola", acct: "ola@social.example.net", name: "Ola Eksempel")
    static let per = Person(id: "110000000000000103", username: "per", acct: "per@town.example.com", name: "Per Prøvemann")
    static let lise = Person(id: "110000000000000104", username: "lise", acct: "lise@town.example.com", name: "Lise Testesen")
    static let spammer = Person(id: "110000000000000105", username: "winbig", acct: "winbig@spam.example.com", name: "Win Big")

    static func account(_ p: Person) -> String {
        """
        {"id": "\(p.id)", "username": "\(p.username)", "acct": "\(p.acct)", "display_name": "\(p.name)", "locked": false, "bot": false, \
        "url": "https://\(p.acct.contains("@") ? String(p.acct.split(separator: "@")[1]) : "social.example.org")/@\(p.username)", \
        "avatar": "https://files.example.org/avatars/\(p.id).png", "followers_count": 12, "following_count": 3, "statuses_count": 40}
        """
    }

    static func status(id: String, by p: Person, at: String, html: String, replyTo: String? = nil, replyToAccount: String? = nil,
                       editedAt: String? = nil, visibility: String = "public", media: String = "[]", repliesCount: Int = 0) -> String {
        let host = p.acct.contains("@") ? String(p.acct.split(separator: "@")[1]) : "social.example.org"
        return """
        {"id": "\(id)", "created_at": "\(at)", "edited_at": \(editedAt.map { "\"\($0)\"" } ?? "null"), \
        "in_reply_to_id": \(replyTo.map { "\"\($0)\"" } ?? "null"), "in_reply_to_account_id": \(replyToAccount.map { "\"\($0)\"" } ?? "null"), \
        "sensitive": false, "spoiler_text": "", "visibility": "\(visibility)", "language": "nb", \
        "uri": "https://\(host)/users/\(p.username)/statuses/\(id)", "url": "https://\(host)/@\(p.username)/\(id)", \
        "replies_count": \(repliesCount), "reblogs_count": 0, "favourites_count": 0, "content": "\(html)", "reblog": null, \
        "account": \(account(p)), "media_attachments": \(media), "mentions": [], "tags": [], "emojis": [], "card": null, "poll": null}
        """
    }

    static let post1 = "113500000000000001"
    static let post2 = "113500000000000002"
    static let post3 = "113500000000000003"

    static var post1JSON: String {
        status(id: post1, by: agency, at: "2026-11-20T08:00:00.000Z",
               html: "<p>Fra mandag kan du søke om bostøtte digitalt. Les mer: <a href=\\\"https://etaten.example.org/bostotte\\\" rel=\\\"nofollow noopener\\\"><span class=\\\"invisible\\\">https://</span><span>etaten.example.org/bostotte</span></a></p>",
               media: """
               [{"id": "113500000000000901", "type": "image", "url": "{{base}}/media/bostotte.png", "preview_url": "{{base}}/media/bostotte.png", "description": "Skjermbilde av søknadsskjemaet for bostøtte", "blurhash": null}]
               """, repliesCount: 5)
    }

    static var post2Original: String {
        status(id: post2, by: agency, at: "2026-11-20T10:00:00.000Z", html: "<p>Kontoret i Storgata er stengt fredag.</p>")
    }

    static var post2Edited: String {
        status(id: post2, by: agency, at: "2026-11-20T10:00:00.000Z",
               html: "<p>Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.</p>", editedAt: "2026-11-20T10:20:00.000Z")
    }

    static var post3JSON: String {
        status(id: post3, by: agency, at: "2026-11-20T13:00:00.000Z", html: "<p>Husk fristen for å søke om tilskudd: 1. desember &amp; ikke senere!</p>", repliesCount: 1)
    }

    static var replies: [String] {
        [
            status(id: "113500000000000011", by: kari, at: "2026-11-20T08:12:00.000Z",
                   html: "<p><span class=\\\"h-card\\\"><a href=\\\"https://social.example.org/@etaten\\\" class=\\\"u-url mention\\\">@<span>etaten</span></a></span> Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?</p>",
                   replyTo: post1, replyToAccount: agency.id),
            status(id: "113500000000000012", by: agency, at: "2026-11-20T08:40:00.000Z",
                   html: "<p>Hei Kari! Du kan søke på papir. Skjemaet finner du på etaten.example.org/skjema, eller ring oss.</p>",
                   replyTo: "113500000000000011", replyToAccount: kari.id),
            status(id: "113500000000000013", by: ola, at: "2026-11-20T09:01:00.000Z",
                   html: "<p>Flott, endelig!</p>", replyTo: post1, replyToAccount: agency.id),
            status(id: "113500000000000014", by: per, at: "2026-11-20T09:30:00.000Z",
                   html: "<p>Jeg vil klage på vedtaket om bostøtte. Fødselsnummeret mitt er 15038710041.</p>",
                   replyTo: post1, replyToAccount: agency.id),
            status(id: "113500000000000015", by: lise, at: "2026-11-20T09:45:00.000Z",
                   html: "<p>Jeg har en kronisk sykdom og får ikke møtt opp. Hva gjør jeg da?</p>",
                   replyTo: "113500000000000011", replyToAccount: kari.id),
            status(id: "113500000000000016", by: spammer, at: "2026-11-20T09:50:00.000Z",
                   html: "<p>Tjen penger raskt med bitcoin! <a href=\\\"https://win.example.com/1\\\">win.example.com/1</a> <a href=\\\"https://win.example.com/2\\\">win.example.com/2</a> <a href=\\\"https://win.example.com/3\\\">win.example.com/3</a></p>",
                   replyTo: post1, replyToAccount: agency.id),
        ]
    }

    /// The replies at stage 1: the spam reply has been deleted on the platform.
    static var repliesAfterDeletion: [String] { replies.filter { !$0.contains("\"113500000000000016\"") } }

    /// A reply that appears only at stage 1, after the first poll.
    static var lateReply: String {
        status(id: "113500000000000017", by: ola, at: "2026-11-20T14:05:00.000Z",
               html: "<p>Når er fristen for å søke tilskudd for lag og foreninger?</p>", replyTo: post3, replyToAccount: agency.id)
    }

    static func history(_ entries: [(String, String)]) -> String {
        "[" + entries.map { at, html in
            "{\"content\": \"\(html)\", \"spoiler_text\": \"\", \"sensitive\": false, \"created_at\": \"\(at)\", \"account\": \(account(agency)), \"media_attachments\": [], \"emojis\": []}"
        }.joined(separator: ", ") + "]"
    }

    static func mastodonRoutes() -> [ReplayRoute] {
        let base = "/api/v1/accounts/\(mastodonAccountID)/statuses"
        let json = [ReplayHeader("Content-Type", "application/json; charset=utf-8"),
                    ReplayHeader("X-RateLimit-Limit", "300"), ReplayHeader("X-RateLimit-Remaining", "290")]
        return [
            ReplayRoute(path: "/api/v1/accounts/lookup", query: ["acct": "etaten"], headers: json, body: Data(account(agency).utf8)),
            // Stage 0: two posts, newest first; the full list fits one page.
            ReplayRoute(path: base, headers: json, body: Data("[\(post2Original), \(post1JSON)]".utf8)),
            ReplayRoute(path: base, query: ["min_id": post2], headers: json, body: Data("[]".utf8)),
            // Stage 1: a new post, and post 2 edited.
            ReplayRoute(path: base, headers: json, body: Data("[\(post3JSON), \(post2Edited), \(post1JSON)]".utf8), stage: 1),
            ReplayRoute(path: base, query: ["min_id": post2], headers: json, body: Data("[\(post3JSON)]".utf8), stage: 1),
            ReplayRoute(path: base, query: ["min_id": post3], headers: json, body: Data("[]".utf8), stage: 1),
            // Re-checking known items (GET /api/v1/statuses?id[]=…) finds the edit of post 2;
            // at stage 1 the spam reply is gone, and its direct lookup answers 404.
            ReplayRoute(path: "/api/v1/statuses", headers: json,
                        body: Data("[\(([post2Original, post1JSON] + replies).joined(separator: ", "))]".utf8)),
            ReplayRoute(path: "/api/v1/statuses", headers: json,
                        body: Data("[\(([post3JSON, post2Edited, post1JSON] + repliesAfterDeletion + [lateReply]).joined(separator: ", "))]".utf8), stage: 1),
            ReplayRoute(path: "/api/v1/statuses/\(post1)/context", headers: json,
                        body: Data("{\"ancestors\": [], \"descendants\": [\(repliesAfterDeletion.joined(separator: ", "))]}".utf8), stage: 1),
            ReplayRoute(path: "/api/v1/statuses/\(post1)/context", headers: json,
                        body: Data("{\"ancestors\": [], \"descendants\": [\(replies.joined(separator: ", "))]}".utf8)),
            ReplayRoute(path: "/api/v1/statuses/\(post2)/context", headers: json, body: Data("{\"ancestors\": [], \"descendants\": []}".utf8)),
            ReplayRoute(path: "/api/v1/statuses/\(post3)/context", headers: json, body: Data("{\"ancestors\": [], \"descendants\": []}".utf8)),
            ReplayRoute(path: "/api/v1/statuses/\(post3)/context", headers: json,
                        body: Data("{\"ancestors\": [], \"descendants\": [\(lateReply)]}".utf8), stage: 1),
            ReplayRoute(path: "/api/v1/statuses/\(post2)/history", headers: json, body: Data(history([
                ("2026-11-20T10:00:00.000Z", "<p>Kontoret i Storgata er stengt fredag.</p>"),
                ("2026-11-20T10:20:00.000Z", "<p>Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.</p>"),
            ]).utf8)),
        ]
    }
}
