import DiariumReplay
import Foundation

/// Sample YouTube Data API v3 traffic under `/yt/youtube/v3`. Stage 0: two videos, a
/// question under the first with the agency's reply. Stage 1: a new video with a
/// complaint under it, and the question edited by its author (`updatedAt`).
extension DemoScenario {
    public static func youtubeAccounts(baseURL: String) -> [Account] {
        [Account(key: "etaten-youtube", platform: "youtube", baseURL: baseURL + "/yt/youtube/v3", handle: YouTubeDemo.channel,
                 url: "https://www.youtube.com/@etaten")]
    }

    public static func youtubeRoutes() -> [ReplayRoute] {
        YouTubeDemo.routes()
    }
}

/// The sample's ids and bodies, kept out of `DemoScenario`'s namespace.
private enum YouTubeDemo {
    static let channel = "UCetatenExampleChannel01", uploads = "UUetatenExampleChannel01"
    static let root = "/yt/youtube/v3"
    static let y1 = "EtDemoVid01", y2 = "EtDemoVid02", y3 = "EtDemoVid03"
    static let q = "UgzEtatenDemoKommentar01AaABAg", a = q + ".9zEtDemoSvar01", k = "UgzEtatenDemoKommentar02AaABAg"
    static let kari = "UCkariNordmannExample001", ola = "UColaEksempelExample0002"

    static func video(_ id: String, at: String, title: String, description: String) -> String {
        #"{"kind": "youtube#playlistItem", "etag": "demo-\#(id)", "id": "VVVldGF0ZW4u\#(id)", "snippet": {"publishedAt": "\#(at)", "channelId": "\#(channel)", "# +
            #""title": "\#(title)", "description": "\#(description)", "thumbnails": {"high": {"url": "{{base}}/media/bostotte.png", "width": 480, "height": 360}}, "# +
            #""channelTitle": "Etaten", "playlistId": "\#(uploads)", "resourceId": {"kind": "youtube#video", "videoId": "\#(id)"}, "# +
            #""videoOwnerChannelTitle": "Etaten", "videoOwnerChannelId": "\#(channel)"}, "contentDetails": {"videoId": "\#(id)", "videoPublishedAt": "\#(at)"}}"#
    }

    static func comment(_ id: String, video: String, by author: String, name: String, at: String, updated: String? = nil, parent: String? = nil, _ text: String) -> String {
        let parentField = parent.map { #""parentId": "\#($0)", "# } ?? ""
        return #"{"kind": "youtube#comment", "etag": "demo-\#(id)", "id": "\#(id)", "snippet": {"channelId": "\#(channel)", "videoId": "\#(video)", \#(parentField)"# +
            #""textDisplay": "\#(text)", "textOriginal": "\#(text)", "authorDisplayName": "\#(name)", "authorChannelId": {"value": "\#(author)"}, "# +
            #""canRate": true, "viewerRating": "none", "likeCount": 0, "publishedAt": "\#(at)", "updatedAt": "\#(updated ?? at)"}}"#
    }

    static func thread(_ top: String, id: String, video: String, replies: [String] = []) -> String {
        let repliesField = replies.isEmpty ? "" : #", "replies": {"comments": [\#(replies.joined(separator: ", "))]}"#
        return #"{"kind": "youtube#commentThread", "etag": "demo-t-\#(id)", "id": "\#(id)", "snippet": {"channelId": "\#(channel)", "videoId": "\#(video)", "# +
            #""topLevelComment": \#(top), "canReply": true, "totalReplyCount": \#(replies.count), "isPublic": true}\#(repliesField)}"#
    }

    static func list(_ kind: String, _ items: [String]) -> String {
        #"{"kind": "youtube#\#(kind)ListResponse", "etag": "demo-list", "pageInfo": {"totalResults": \#(items.count), "resultsPerPage": 50}, "items": [\#(items.joined(separator: ", "))]}"#
    }

    static let video1 = video(y1, at: "2026-11-20T08:00:00Z", title: "Slik søker du om bostøtte digitalt",
                              description: "Vi viser steg for steg hvordan du fyller ut den nye søknaden.")
    static let video2 = video(y2, at: "2026-11-20T10:00:00Z", title: "Winter at the Storgata office", description: "A short film about our winter routines.")
    static let video3 = video(y3, at: "2026-11-20T13:00:00Z", title: "Klagefrist for bostøtte",
                              description: "Remember: the deadline to appeal a housing benefit decision is three weeks.")
    static let question = "Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?"
    static let answer = comment(a, video: y1, by: channel, name: "@etaten", at: "2026-11-20T08:50:00Z", parent: q,
                                "@karinordmann Du kan søke på papir. Skjemaet ligger på https://etaten.example.org/skjema")

    static func routes() -> [ReplayRoute] {
        let top = comment(q, video: y1, by: kari, name: "@karinordmann", at: "2026-11-20T08:20:00Z", question)
        let topEdited = comment(q, video: y1, by: kari, name: "@karinordmann", at: "2026-11-20T08:20:00Z", updated: "2026-11-20T12:05:00Z",
                                question + " Jeg bor i Storgata.")
        let complaint = comment(k, video: y3, by: ola, name: "@olaeksempel", at: "2026-11-20T13:30:00Z", "Jeg vil klage på vedtaket om bostøtte jeg fikk i oktober.")
        let channelBody = #"{"kind": "youtube#channelListResponse", "etag": "demo-ch", "items": [{"kind": "youtube#channel", "id": "\#(channel)", "# +
            #""snippet": {"title": "Etaten", "customUrl": "@etaten"}, "contentDetails": {"relatedPlaylists": {"uploads": "\#(uploads)"}}}]}"#
        let ids: (String, [String]) -> String = { kind, list in
            YouTubeDemo.list(kind, list.map { #"{"kind": "youtube#\#(kind)", "id": "\#($0)"}"# })
        }
        return [
            .json(root + "/channels", query: ["id": channel], channelBody),
            .json(root + "/playlistItems", query: ["playlistId": uploads], list("playlistItem", [video2, video1])),
            .json(root + "/playlistItems", query: ["playlistId": uploads], list("playlistItem", [video3, video2, video1]), stage: 1),
            .json(root + "/commentThreads", query: ["videoId": y1], list("commentThread", [thread(top, id: q, video: y1, replies: [answer])])),
            .json(root + "/commentThreads", query: ["videoId": y1], list("commentThread", [thread(topEdited, id: q, video: y1, replies: [answer])]), stage: 1),
            .json(root + "/commentThreads", query: ["videoId": y2], list("commentThread", [])),
            .json(root + "/commentThreads", query: ["videoId": y3], list("commentThread", [thread(complaint, id: k, video: y3)]), stage: 1),
            // Existence checks of known items not seen in a poll: every sample item exists.
            .json(root + "/videos", query: ["part": "id"], ids("video", [y1, y2, y3])),
            .json(root + "/comments", query: ["part": "id"], ids("comment", [q, a, k])),
        ]
    }
}
