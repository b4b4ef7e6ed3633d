import DiariumCore
import DiariumHTTP
import Foundation
import Logging

/// The state of one Flickr harvest; fetching and error handling are in `FlickrFetch.swift`.
struct FlickrHarvestRun {
    let options: FlickrConnector.Options
    let account: AccountConfig
    let base: String
    let nsid: String
    let apiKey: String?
    var checkpoint: Checkpoint
    let known: KnownItems
    let knownIDs: Set<String>

    /// What this run observed, quarantined and found deleted, and its problems, every
    /// capture kept without the API key; `seen` holds the photos seen on this poll's pages
    /// (they exist; no getInfo needed), and `stopped` is set on a 429 that outlasted the
    /// client's retries.
    var ledger: HarvestLedger
    /// The `stat: fail` of the last response, when it was one.
    var lastFailure: (code: Int?, message: String?)?
    private var newPhotos: [String] = []

    init(client: any HTTPClient, options: FlickrConnector.Options, logger: Logger, account: AccountConfig, base: String,
         nsid: String, apiKey: String?, checkpoint: Checkpoint, known: KnownItems) {
        self.ledger = HarvestLedger(client: client, account: account.key, logger: logger, redactsCaptures: true)
        self.options = options
        self.account = account
        self.base = base
        self.nsid = nsid
        self.apiKey = apiKey
        self.checkpoint = checkpoint
        self.known = known
        self.knownIDs = known.recentIDs
    }

    // MARK: Photos

    /// First poll: every page. Later polls: from page 1 until a page holds a photo the
    /// registry knows. New photos are items; a known photo on those pages is emitted
    /// again only when its `lastupdate` is newer than the registry's latest version.
    /// `newestUpload` moves only when every page asked for was read.
    mutating func harvestPhotos() async throws {
        let since = checkpoint["newestUpload"].flatMap(Int.init)
        var page = 1
        var complete = false
        var newest = since ?? 0
        while page <= options.pageLimit {
            let url = methodURL("flickr.people.getPublicPhotos", [
                ("user_id", nsid), ("extras", FlickrConnector.photoExtras),
                ("per_page", String(options.pageSize)), ("page", String(page)),
            ])
            guard let (response, list) = try await fetch(url, as: FlickrPhotoList.self, expected: "a Flickr photo list") else { break }
            guard let photos = list.photos else {
                ledger.quarantine(response, "\(redactedURL(url)) returned a Flickr photo list without 'photos'.")
                break
            }
            var items: [Item] = []
            var reachedKnown = false
            for photo in photos.photo {
                ledger.seen.insert(photo.id)
                let uploaded = photo.dateupload.flatMap(Int.init) ?? 0
                newest = max(newest, uploaded)
                let item = FlickrNormaliser.item(from: photo, accountKey: account.key, nsid: nsid)
                if knownIDs.contains(photo.id) || (since.map { uploaded <= $0 } ?? false) {
                    reachedKnown = true
                    if isNewerEdit(item) { items.append(item) }
                    continue
                }
                items.append(item)
                newPhotos.append(photo.id)
            }
            ledger.observe(items, from: response)
            if photos.page.value >= photos.pages.value || photos.photo.isEmpty || (since != nil && reachedKnown) {
                complete = true
                break
            }
            page += 1
        }
        if !complete, page > options.pageLimit {
            ledger.problems.append("\(account.key): stopped reading Flickr photos after \(options.pageLimit) pages; the next poll starts again from the top.")
        }
        if complete, newest > (since ?? 0) { checkpoint["newestUpload"] = String(newest) }
    }

    private func isNewerEdit(_ item: Item) -> Bool {
        guard let edited = item.editedAt else { return false }
        guard let last = known.lastEdited[item.id] else { return true }
        return edited.timeIntervalSince(last) > 0.5
    }

    // MARK: Known photos

    /// `flickr.photos.getInfo` for every known photo this poll's pages did not show: a
    /// newer `lastupdate` re-emits the photo (an edit of title or description), and
    /// "Photo not found" (code 1) on this direct lookup is a deletion. Comment ids
    /// (`…-…-…`) have no lookup method on Flickr and are not re-checked.
    mutating func recheckKnownPhotos() async throws {
        var queued: Set<String> = []
        for id in known.recentThreadRoots + known.recentItemIDs where !id.contains("-") && !ledger.seen.contains(id) && !queued.contains(id) {
            queued.insert(id)
            let url = methodURL("flickr.photos.getInfo", [("photo_id", id)])
            guard let (response, info) = try await fetch(url, as: FlickrPhotoInfoResponse.self, expected: "Flickr photo info", tolerateCode: 1) else {
                if lastFailure?.code == 1, let response = ledger.lastResponse {
                    let detail = lastFailure?.message.map { ": “\($0.prefix(200))”" } ?? ""
                    ledger.recordDeletion(of: id, how: "GET \(redactedURL(url)) answered stat fail, code 1\(detail) (direct lookup)", evidence: response)
                }
                continue
            }
            guard let photo = info.photo else {
                ledger.quarantine(response, "\(redactedURL(url)) returned Flickr photo info without 'photo'.")
                continue
            }
            let item = FlickrNormaliser.item(from: photo, accountKey: account.key, nsid: nsid)
            if isNewerEdit(item) { ledger.observe([item], from: response) }
        }
    }

    // MARK: Comments

    /// Comments of new photos (oldest first) and of recent thread roots still there. A
    /// known photo's comments are all emitted again: Flickr reports no edit time for
    /// comments, so the registry's content comparison is what catches an edit.
    mutating func harvestComments() async throws {
        var done = ledger.deletedIDs
        for id in newPhotos.reversed() + known.recentThreadRoots where !done.contains(id) {
            done.insert(id)
            let url = methodURL("flickr.photos.comments.getList", [("photo_id", id)])
            guard let (response, list) = try await fetch(url, as: FlickrCommentList.self, expected: "a Flickr comment list") else { continue }
            let items = (list.comments?.comment ?? []).map {
                FlickrNormaliser.item(from: $0, photoID: id, accountKey: account.key, nsid: nsid)
            }
            ledger.observe(items, from: response)
        }
    }

    func result() -> Harvest {
        ledger.harvest(checkpoint: checkpoint)
    }
}
