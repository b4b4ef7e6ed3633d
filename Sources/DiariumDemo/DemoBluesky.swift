import DiariumReplay
import Foundation

/// Sample Bluesky traffic in the AppView's shapes (feed-apis.md §2), served under
/// `/bsky/xrpc/…` so it shares the demo server with other platforms. Everything is
/// invented. Stage 0: two posts and a thread with a question, an answer and a
/// complaint. Stage 1: a new post with a reply, and the second post edited (same uri,
/// new cid), which the re-check with `getPosts` finds.
extension DemoScenario {
    public static func blueskyAccounts(baseURL: String) -> [Account] {
        [Account(key: "etaten-bluesky", platform: "bluesky", baseURL: baseURL + "/bsky", handle: "etaten.example.org")]
    }

    public static func blueskyRoutes() -> [ReplayRoute] {
        let d = BskyDemo.self
        let xrpc = "/bsky/xrpc/"
        func json(_ path: String, _ query: [String: String] = [:], _ body: String, stage: Int = 0) -> ReplayRoute {
            ReplayRoute(path: xrpc + path, query: query,
                        headers: [ReplayHeader("Content-Type", "application/json; charset=utf-8"),
                                  ReplayHeader("RateLimit-Limit", "3000"), ReplayHeader("RateLimit-Remaining", "2990"),
                                  ReplayHeader("RateLimit-Policy", "3000;w=300")],
                        body: Data(body.utf8), stage: stage)
        }
        func thread(_ uri: String, _ body: String, stage: Int = 0) -> ReplayRoute {
            json("app.bsky.feed.getPostThread", ["uri": uri], "{\"thread\": \(body)}", stage: stage)
        }
        return [
            json("com.atproto.identity.resolveHandle", ["handle": "etaten.example.org"], "{\"did\": \"\(d.etaten.did)\"}"),
            json("app.bsky.actor.getProfile", ["actor": d.etaten.did],
                 "{\"did\": \"\(d.etaten.did)\", \"handle\": \"\(d.etaten.handle)\", \"displayName\": \"\(d.etaten.name)\", \"postsCount\": 3}"),
            json("app.bsky.feed.getAuthorFeed", [:], "{\"feed\": [{\"post\": \(d.post2)}, {\"post\": \(d.post1)}]}"),
            json("app.bsky.feed.getAuthorFeed", [:], "{\"feed\": [{\"post\": \(d.post3)}, {\"post\": \(d.post2Edited)}, {\"post\": \(d.post1)}]}", stage: 1),
            thread(d.uri1, d.node(d.post1, [
                d.node(d.kariQuestion, [d.node(d.agencyAnswer)]),
                d.node(d.perComplaint),
                "{\"$type\": \"app.bsky.feed.defs#notFoundPost\", \"uri\": \"\(d.uri(d.ola, "3mcdemo9slett"))\", \"notFound\": true}",
            ])),
            thread(d.uri2, d.node(d.post2)),
            thread(d.uri2, d.node(d.post2Edited), stage: 1),
            thread(d.uri3, d.node(d.post3, [d.node(d.olaReply)]), stage: 1),
            json("app.bsky.feed.getPosts", [:], "{\"posts\": [\(d.post2), \(d.post1)]}"),
            json("app.bsky.feed.getPosts", [:], "{\"posts\": [\(d.post2Edited), \(d.post1), \(d.kariQuestion), \(d.agencyAnswer), \(d.perComplaint)]}", stage: 1),
        ]
    }
}

/// The demo's Bluesky people and posts, kept in their own namespace so the names
/// cannot clash with other platforms' demo data.
private enum BskyDemo {
    struct Person {
        var did: String
        var handle: String
        var name: String
    }

    static let etaten = Person(did: "did:plc:etatendemo7q2xk5mzw4hb3n", handle: "etaten.example.org", name: "Etaten")
    static let kari = Person(did: "did:plc:karidemo3vq7wz5xk2mh4nbt", handle: "kari.example.net", name: "Kari Nordmann")
    static let ola = Person(did: "did:plc:olademo5zx2qk7wm3vh4ntbr", handle: "ola.example.com", name: "Ola Eksempel")
    static let per = Person(did: "did:plc:perdemo2kw5xq7zm3vh4btnr", handle: "per.example.net", name: "Per Prøvemann")

    static func uri(_ p: Person, _ rkey: String) -> String { "at://\(p.did)/app.bsky.feed.post/\(rkey)" }
    static let uri1 = uri(etaten, "3mcdemo1bost"), uri2 = uri(etaten, "3mcdemo2kont"), uri3 = uri(etaten, "3mcdemo3tils")

    static func post(_ uri: String, by p: Person, cid: String, at: String, indexed: String? = nil, text: String,
                     replyTo: String? = nil, root: String = uri1, embed: String = "") -> String {
        let reply = replyTo.map {
            ", \"reply\": {\"root\": {\"uri\": \"\(root)\", \"cid\": \"bafyreidemoroot\"}, \"parent\": {\"uri\": \"\($0)\", \"cid\": \"bafyreidemoparent\"}}"
        } ?? ""
        return """
        {"uri": "\(uri)", "cid": "\(cid)", "author": {"did": "\(p.did)", "handle": "\(p.handle)", "displayName": "\(p.name)"}, \
        "record": {"$type": "app.bsky.feed.post", "createdAt": "\(at)", "langs": ["nb"], "text": "\(text)"\(reply)}\(embed), \
        "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, "indexedAt": "\(indexed ?? at)", "labels": []}
        """
    }

    static func node(_ post: String, _ replies: [String] = []) -> String {
        "{\"$type\": \"app.bsky.feed.defs#threadViewPost\", \"post\": \(post), \"replies\": [\(replies.joined(separator: ", "))]}"
    }

    static let post1 = post(uri1, by: etaten, cid: "bafyreidemo1", at: "2026-11-20T08:00:00.000Z",
                            text: "Fra mandag kan du søke om bostøtte digitalt. Les mer på etaten.example.org/bostotte",
                            embed: ", \"embed\": {\"$type\": \"app.bsky.embed.images#view\", \"images\": [{\"thumb\": \"{{base}}/media/bostotte.png\", \"fullsize\": \"{{base}}/media/hus.png\", \"alt\": \"Skjermbilde av søknadsskjemaet for bostøtte\"}]}")
    static let post2 = post(uri2, by: etaten, cid: "bafyreidemo2a", at: "2026-11-20T10:00:00.000Z",
                            text: "Kontoret i Storgata er stengt fredag.")
    static let post2Edited = post(uri2, by: etaten, cid: "bafyreidemo2b", at: "2026-11-20T10:00:00.000Z", indexed: "2026-11-20T10:20:00.000Z",
                                  text: "Kontoret i Storgata er stengt fredag 21. november på grunn av vannlekkasje.")
    static let post3 = post(uri3, by: etaten, cid: "bafyreidemo3", at: "2026-11-20T13:00:00.000Z",
                            text: "Husk fristen for å søke om tilskudd: 1. desember.")
    static let kariQuestion = post(uri(kari, "3mcdemo4sp"), by: kari, cid: "bafyreidemo4", at: "2026-11-20T08:12:00.000Z",
                                   text: "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?", replyTo: uri1)
    static let agencyAnswer = post(uri(etaten, "3mcdemo5sv"), by: etaten, cid: "bafyreidemo5", at: "2026-11-20T08:40:00.000Z",
                                   text: "Hei Kari! Du kan søke på papir. Ring oss gjerne.", replyTo: uri(kari, "3mcdemo4sp"))
    static let perComplaint = post(uri(per, "3mcdemo6kl"), by: per, cid: "bafyreidemo6", at: "2026-11-20T09:30:00.000Z",
                                   text: "Jeg vil klage på vedtaket om bostøtte.", replyTo: uri1)
    static let olaReply = post(uri(ola, "3mcdemo7sp"), by: ola, cid: "bafyreidemo7", at: "2026-11-20T14:05:00.000Z",
                               text: "Når er fristen for lag og foreninger?", replyTo: uri3, root: uri3)
}
