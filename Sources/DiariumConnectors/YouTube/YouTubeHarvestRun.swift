import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one YouTube harvest; fetching and error handling are in `YouTubeFetch.swift`.
struct YouTubeHarvestRun {
    let options: YouTubeConnector.Options
    let account: AccountConfig
    let base: String
    let channelID: String
    let headers: [HTTPHeader]
    let hasCredentials: Bool
    var checkpoint: Checkpoint
    let known: KnownItems
    let knownIDs: Set<String>
    var uploads = ""

    /// What this run observed, quarantined and found deleted, and its problems; `seen`
    /// holds the ids seen in some response (they exist, no lookup needed), and `stopped`
    /// is set when the quota is exhausted or the API throttles.
    var ledger: HarvestLedger
    /// The error body of the last response, when it had one.
    var lastError: YouTubeError?
    private var newVideos: [String] = []

    init(client: any HTTPClient, options: YouTubeConnector.Options, logger: Logger, account: AccountConfig, base: String,
         channelID: String, headers: [HTTPHeader], hasCredentials: Bool, checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger)
        self.options = options
        self.account = account
        self.base = base
        self.channelID = channelID
        self.headers = headers
        self.hasCredentials = hasCredentials
        self.checkpoint = checkpoint
        self.known = known
        self.knownIDs = known.recentIDs
    }

    // MARK: Channel

    /// `channels?part=contentDetails,snippet&id=…` → the uploads playlist id, or nil
    /// when the answer was quarantined. A channel list without the channel is thrown:
    /// the account cannot be harvested at all.
    mutating func resolveUploads() async throws -> String? {
        let url = "\(base)/channels?part=contentDetails,snippet&id=\(URLText.queryEscape(channelID))"
        guard let (response, list) = try await fetch(url, as: YouTubeChannelList.self, expected: "a YouTube channel list") else { return nil }
        guard let channel = list.items?.first(where: { $0.id == channelID }) else {
            throw ConnectorError.accountNotFound(account: account.key, handle: channelID, url: url)
        }
        guard let uploads = channel.contentDetails?.relatedPlaylists?.uploads, !uploads.isEmpty else {
            ledger.quarantine(response, "\(url) returned a YouTube channel without an uploads playlist.")
            return nil
        }
        return uploads
    }

    // MARK: Uploads

    /// First poll: every page of the uploads playlist. Later polls: from the top until
    /// a known video. `newestVideo` moves only when every page asked for was read.
    mutating func harvestUploads() async throws {
        let first = "\(base)/playlistItems?part=snippet,contentDetails&playlistId=\(URLText.queryEscape(uploads))&maxResults=\(options.pageSize)"
        let incremental = checkpoint["newestVideo"] != nil
        var url: String? = first
        var pages = 0
        var complete = false
        var newest: (date: Date, id: String)?
        while let current = url {
            guard pages < options.pageLimit else {
                ledger.problems.append("\(account.key): stopped reading the uploads playlist after \(options.pageLimit) pages; the next poll starts again from the top.")
                break
            }
            pages += 1
            guard let (response, page) = try await fetch(current, as: YouTubeList<YouTubePlaylistItem>.self, expected: "a YouTube playlist page") else { break }
            var items: [Item] = []
            var reachedKnown = false
            for entry in page.items {
                guard let item = YouTubeNormaliser.item(from: entry, accountKey: account.key, channelID: channelID) else { continue }
                ledger.seen.insert(item.id)
                if let created = item.createdAt, newest.map({ created > $0.date }) ?? true { newest = (created, item.id) }
                if item.id == checkpoint["newestVideo"] || knownIDs.contains(item.id) {
                    reachedKnown = true
                    continue
                }
                items.append(item)
                newVideos.append(item.id)
            }
            ledger.observe(items, from: response)
            if let token = page.nextPageToken, !page.items.isEmpty, !(incremental && reachedKnown) {
                url = first + "&pageToken=\(URLText.queryEscape(token))"
            } else {
                complete = true
                url = nil
            }
        }
        if complete, let newest { checkpoint["newestVideo"] = newest.id }
    }

    // MARK: Comments

    /// Comment threads of new videos (oldest first) and of recent thread roots. A known
    /// comment is emitted again only when its `updatedAt` is newer than the registry's
    /// latest version; replies beyond the few a thread carries come from `comments?parentId=`.
    mutating func harvestComments() async throws {
        var done: Set<String> = []
        for videoID in newVideos.reversed() + known.recentThreadRoots where !done.contains(videoID) {
            done.insert(videoID)
            try await fetchThreads(of: videoID)
        }
    }

    private mutating func fetchThreads(of videoID: String) async throws {
        let first = "\(base)/commentThreads?part=snippet,replies&videoId=\(URLText.queryEscape(videoID))&maxResults=100&textFormat=plainText"
        var url: String? = first
        var pages = 0
        while let current = url, pages < options.pageLimit {
            pages += 1
            // Comments turned off is an answer (no comments), and a vanished video is left
            // to the direct lookups below: neither is quarantined.
            guard let (response, page) = try await fetch(current, as: YouTubeList<YouTubeCommentThread>.self, expected: "a YouTube comment thread page",
                                                         tolerate: { $0.reasons.contains("commentsDisabled") || $0.reasons.contains("videoNotFound") }) else { return }
            var items: [Item] = []
            var moreReplies: [String] = []
            for thread in page.items {
                let all = YouTubeNormaliser.items(from: thread, videoID: videoID, accountKey: account.key, channelID: channelID)
                items += all
                if (thread.snippet.totalReplyCount ?? 0) > (thread.replies?.comments.count ?? 0) { moreReplies.append(thread.id) }
            }
            keep(items, from: response)
            for parent in moreReplies { try await fetchReplies(of: parent, videoID: videoID) }
            url = page.nextPageToken.map { first + "&pageToken=\(URLText.queryEscape($0))" }
            if page.items.isEmpty { url = nil }
        }
    }

    private mutating func fetchReplies(of parent: String, videoID: String) async throws {
        let first = "\(base)/comments?part=snippet&parentId=\(URLText.queryEscape(parent))&maxResults=100&textFormat=plainText"
        var url: String? = first
        var pages = 0
        while let current = url, pages < options.pageLimit {
            pages += 1
            guard let (response, page) = try await fetch(current, as: YouTubeList<YouTubeComment>.self, expected: "a YouTube comment page") else { return }
            keep(page.items.map { YouTubeNormaliser.item(from: $0, videoID: videoID, accountKey: account.key, channelID: channelID) }, from: response)
            url = page.nextPageToken.map { first + "&pageToken=\(URLText.queryEscape($0))" }
            if page.items.isEmpty { url = nil }
        }
    }

    /// Emits the new comments and those edited since the registry's latest version.
    private mutating func keep(_ items: [Item], from response: HTTPResponse) {
        var fresh: [Item] = []
        for item in items where !ledger.seen.contains(item.id) {
            ledger.seen.insert(item.id)
            if knownIDs.contains(item.id) {
                guard let edited = item.editedAt else { continue }
                if let last = known.lastEdited[item.id], edited.timeIntervalSince(last) <= 0.5 { continue }
            }
            fresh.append(item)
        }
        ledger.observe(fresh, from: response)
    }

    // MARK: Deletions

    /// Known videos (`videos?part=id`) and comments (`comments?part=id`) this harvest did
    /// not see, 50 ids per request. An id missing from a batch is asked for alone, and
    /// only that single-id answer without the item is a deletion (and its evidence).
    mutating func recheckKnownItems() async throws {
        var videos: [String] = [], comments: [String] = []
        var queued: Set<String> = []
        for id in known.recentThreadRoots + known.recentItemIDs where !ledger.seen.contains(id) && !queued.contains(id) {
            queued.insert(id)
            // Video ids are 11 characters; comment ids are longer (`Ug…`, replies `Ug….…`).
            if id.utf8.count == 11 { videos.append(id) } else { comments.append(id) }
        }
        try await recheck(videos, resource: "videos")
        try await recheck(comments, resource: "comments")
    }

    private mutating func recheck(_ ids: [String], resource: String) async throws {
        for start in stride(from: 0, to: ids.count, by: 50) {
            let batch = Array(ids[start..<min(start + 50, ids.count)])
            var missing = batch
            if batch.count > 1 {
                let url = "\(base)/\(resource)?part=id&id=\(batch.map(URLText.queryEscape).joined(separator: ","))"
                guard let (_, list) = try await fetch(url, as: YouTubeList<YouTubeResourceID>.self, expected: "a YouTube id list") else { continue }
                let present = Set(list.items.map(\.id))
                missing = batch.filter { !present.contains($0) }
            }
            for id in missing {
                let url = "\(base)/\(resource)?part=id&id=\(URLText.queryEscape(id))"
                guard let (response, list) = try await fetch(url, as: YouTubeList<YouTubeResourceID>.self, expected: "a YouTube id list") else { continue }
                guard !list.items.contains(where: { $0.id == id }) else { continue }
                ledger.recordDeletion(of: id, how: "GET \(url) returned no item (direct lookup)", evidence: response)
            }
        }
    }

    func result() -> Harvest {
        ledger.harvest(checkpoint: checkpoint)
    }
}
