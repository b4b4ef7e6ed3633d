import DiariumReplay
import Foundation

/// Sample X API v2 traffic (feed-apis.md §5), served under `/x/2/…` so it shares the
/// demo server with other platforms. The account has no credentials file, so no
/// token is sent and these routes do not ask for one. Everything is invented.
/// Stage 0: two posts and a thread with a question, an answer and a complaint.
/// Stage 1: a new post, the second post edited (a new id in its edit history), the
/// complaint deleted (the lookup reports it not found), and a direct message.
extension DemoScenario {
    public static func xAccounts(baseURL: String) -> [Account] {
        [Account(key: "etaten-x", platform: "x", baseURL: baseURL + "/x", handle: "etaten")]
    }

    public static func xRoutes() -> [ReplayRoute] {
        let d = XDemo.self
        func json(_ path: String, _ query: [String: String] = [:], _ body: String, stage: Int = 0) -> ReplayRoute {
            ReplayRoute(path: "/x/2/" + path, query: query,
                        headers: [ReplayHeader("content-type", "application/json; charset=utf-8"),
                                  ReplayHeader("x-rate-limit-limit", "1500"), ReplayHeader("x-rate-limit-remaining", "1490")],
                        body: Data(body.utf8), stage: stage)
        }
        let timeline = "users/\(d.etaten.id)/tweets"
        let thread = [d.perComplaint, d.agencyAnswer, d.kariQuestion]
        return [
            json("users/by/username/etaten", [:], "{\"data\": \(d.user(d.etaten))}"),
            json(timeline, [:], d.page([d.post2, d.post1])),
            json(timeline, ["since_id": d.id2], d.page([])),
            json(timeline, ["since_id": d.id2], d.page([d.post3, d.post2Edited]), stage: 1),
            json(timeline, ["since_id": d.id3], d.page([]), stage: 1),
            json("tweets/search/recent", [:], d.page([])),
            json("tweets/search/recent", ["query": "conversation_id:\(d.id1)"], d.page(thread)),
            json("tweets/search/recent", ["query": "conversation_id:\(d.id1)"], d.page([d.agencyAnswer, d.kariQuestion]), stage: 1),
            json("tweets", [:], d.page([d.post2, d.post1] + thread)),
            json("tweets", [:], d.page([d.post2Edited, d.post1, d.agencyAnswer, d.kariQuestion], errors: [d.perComplaintID]), stage: 1),
            json("dm_events", [:], "{\"meta\": {\"result_count\": 0}}"),
            json("dm_events", [:], """
                {"data": [{"id": "2123752000000000001", "event_type": "MessageCreate", "text": "Hei, jeg vil klage på vedtaket om bostøtte. Kan dere ringe meg?", \
                "sender_id": "\(d.ola.id)", "dm_conversation_id": "\(d.etaten.id)-\(d.ola.id)", "created_at": "2026-11-20T12:15:00.000Z"}], \
                "includes": {"users": [\(d.user(d.ola))]}, "meta": {"result_count": 1}}
                """, stage: 1),
        ]
    }
}

/// The demo's X people and posts, kept in their own namespace so the names cannot
/// clash with other platforms' demo data. Ids are snowflakes of the sample day.
private enum XDemo {
    struct Person {
        var id: String
        var username: String
        var name: String
    }

    static let etaten = Person(id: "1600000000000009001", username: "etaten", name: "Etaten")
    static let kari = Person(id: "1600000000000009002", username: "kari_n", name: "Kari Nordmann")
    static let ola = Person(id: "1600000000000009003", username: "ola_eks", name: "Ola Eksempel")
    static let per = Person(id: "1600000000000009004", username: "per_p", name: "Per Prøvemann")

    static let id1 = "2123687789982650001", id2 = "2123695339729850002", id2b = "2123700373395250003", id3 = "2123733088465850004"
    static let perComplaintID = "2123710439224250007"

    static func user(_ p: Person) -> String {
        "{\"id\": \"\(p.id)\", \"name\": \"\(p.name)\", \"username\": \"\(p.username)\"}"
    }

    static func tweet(_ id: String, by p: Person, at: String, text: String, history: [String]? = nil,
                      conversation: String? = nil, replyTo: (id: String, user: Person)? = nil) -> String {
        let reply = replyTo.map {
            ", \"in_reply_to_user_id\": \"\($0.user.id)\", \"referenced_tweets\": [{\"type\": \"replied_to\", \"id\": \"\($0.id)\"}]"
        } ?? ""
        let ids = (history ?? [id]).map { "\"\($0)\"" }.joined(separator: ", ")
        return """
        {"id": "\(id)", "edit_history_tweet_ids": [\(ids)], "text": "\(text)", "created_at": "\(at)", "author_id": "\(p.id)", \
        "conversation_id": "\(conversation ?? id)", "lang": "no"\(reply)}
        """
    }

    /// A page with every demo user in `includes`, and lookup errors for `errors` ids.
    static func page(_ tweets: [String], errors: [String] = []) -> String {
        let users = [etaten, kari, ola, per].map(user).joined(separator: ", ")
        let problems = errors.map {
            "{\"value\": \"\($0)\", \"detail\": \"Could not find tweet with ids: [\($0)].\", \"title\": \"Not Found Error\", \"resource_type\": \"tweet\", \"parameter\": \"ids\", \"resource_id\": \"\($0)\", \"type\": \"https://api.twitter.com/2/problems/resource-not-found\"}"
        }.joined(separator: ", ")
        let data = tweets.isEmpty ? "" : "\"data\": [\(tweets.joined(separator: ", "))], "
        let errorPart = errors.isEmpty ? "" : "\"errors\": [\(problems)], "
        return "{\(data)\(errorPart)\"includes\": {\"users\": [\(users)]}, \"meta\": {\"result_count\": \(tweets.count)}}"
    }

    static let post1 = tweet(id1, by: etaten, at: "2026-11-20T08:00:00.000Z",
                             text: "Fra mandag kan du søke om bostøtte digitalt. Les mer på etaten.example.org/bostotte")
    static let post2 = tweet(id2, by: etaten, at: "2026-11-20T08:30:00.000Z", text: "Kontoret i Storgata er stengt fredag.")
    static let post2Edited = tweet(id2b, by: etaten, at: "2026-11-20T08:50:00.000Z",
                                   text: "Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.",
                                   history: [id2, id2b], conversation: id2)
    static let post3 = tweet(id3, by: etaten, at: "2026-11-20T11:00:00.000Z", text: "Husk fristen for å søke om tilskudd: 1. desember.")
    static let kariQuestion = tweet("2123690809881550005", by: kari, at: "2026-11-20T08:12:00.000Z",
                                    text: "@etaten Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?", conversation: id1, replyTo: (id1, etaten))
    static let agencyAnswer = tweet("2123697856312250006", by: etaten, at: "2026-11-20T08:40:00.000Z",
                                    text: "@kari_n Du kan søke på papir. Ring oss gjerne.", conversation: id1,
                                    replyTo: ("2123690809881550005", kari))
    static let perComplaint = tweet(perComplaintID, by: per, at: "2026-11-20T09:30:00.000Z",
                                    text: "@etaten Jeg vil klage på vedtaket om bostøtte.", conversation: id1, replyTo: (id1, etaten))
}
