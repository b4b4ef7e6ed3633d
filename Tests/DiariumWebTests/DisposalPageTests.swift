import DiariumCore
import DiariumStore
@testable import DiariumWeb
import Foundation
import Testing

/// The officer's disposal page over the live server: the plan, the holds, the items
/// awaiting review; making and executing a plan (a reason required, officers only); and
/// a disposed item gone from the journal and the thread, its item page a tombstone.
@Suite("Web disposal page")
struct DisposalPageTests {
    static let spamID = "spam-2024"
    static let spamText = "Kjøp billige casino-sjetonger her"
    static let reviewID = "comment-2020"

    /// An old spam reply (K 1y, long ended) and an old comment (G 2y, review due), in the
    /// thread of the demo's first Mastodon post.
    static func commitOldItems(_ registry: Registry) throws {
        func item(_ id: String, _ text: String) -> Item {
            Item(platform: .mastodon, account: "etaten-mastodon", id: id, url: "https://social.example.org/@ola/\(id)", kind: .reply,
                 author: Author(id: "77", handle: "ola", name: "Ola Nordmann", agency: false),
                 inReplyTo: "113500000000000001", threadRoot: "113500000000000001", createdAt: Timestamp.parse("2024-01-10T10:00:00Z"), text: text)
        }
        func decision(_ id: String, _ retention: Retention, _ period: String, _ ends: String) -> Decision {
            var d = Decision(id: id, account: "etaten-mastodon", journal: false, type: .I, status: nil, access: .open, retention: retention,
                             rules: [retention == .K ? "NO-spam" : "NO-comment"], reason: "test", profile: "no@test")
            d.retentionPeriod = period
            d.retentionEnds = ends
            d.retentionBasis = retention == .K ? "Etatens kassasjonsvedtak 2026/7" : nil
            return d
        }
        let capture = Capture(url: "https://social.example.org/api/v1/statuses/113500000000000001/context", status: 200,
                              headers: [HTTPHeader("Content-Type", "application/json")], body: Data("[old]".utf8), capturedAt: Date())
        try registry.commit(RegistryBatch(account: "etaten-mastodon", platform: .mastodon, checkpoint: nil, captures: [capture], versions: [
            DecidedVersion(item: item(spamID, spamText), decision: decision(spamID, .K, "1y", "2025-01-10"), captureIndex: 0),
            DecidedVersion(item: item(reviewID, "Gammel kommentar til vurdering"), decision: decision(reviewID, .G, "2y", "2026-01-10"), captureIndex: 0),
        ]))
    }

    @Test("the officer sees plan, holds and reviews; executes with a reason; the disposed item leaves the journal and thread")
    func disposalPage() async throws {
        let f = try await WebFixture.make()
        try Self.commitOldItems(f.registry)
        try f.registry.placeHold(name: "tvist-2026-14", scope: .items([ItemReference(account: "etaten-mastodon", id: "113500000000000013")]),
                                 reason: "Bevis i tvistesak 2026/14", actor: "test")
        let browser = try await f.loggedIn(WebFixture.officer)
        let empty = await browser.get("/disposal")
        #expect(empty.status == 200)
        #expect(empty.text.contains("No disposal plan yet") && empty.text.contains("tvist-2026-14") && empty.text.contains("Bevis i tvistesak"))
        #expect(empty.text.contains("Awaiting a retention review (G): 1") && empty.text.contains(Self.reviewID))
        let csrf = try #require(empty.csrfToken)

        let made = await browser.post("/disposal/plan", [("csrf", csrf)])
        #expect(made.status == 303)
        let plan = await browser.get("/disposal")
        #expect(plan.text.contains("Plan 1") && plan.text.contains("Due for disposal: 1") && plan.text.contains(Self.spamID))
        #expect(plan.text.contains("Execute plan 1"))
        #expect(plan.text.contains("<td>Reply</td>"), "the kind in the page's words, not the code")

        let auditor = try await f.loggedIn(WebFixture.auditor)
        let auditorPage = await auditor.get("/disposal")
        #expect(auditorPage.status == 200 && !auditorPage.text.contains("Execute plan"))
        let refusedRole = await auditor.post("/disposal/execute", [("csrf", try #require(auditorPage.csrfToken)), ("plan", "1"), ("reason", "x")])
        #expect(refusedRole.status == 403)
        let noReason = await browser.post("/disposal/execute", [("csrf", csrf), ("plan", "1"), ("reason", " ")])
        #expect(noReason.status == 400 && noReason.text.contains("needs a reason"))
        #expect(try f.registry.tombstone(of: ItemReference(account: "etaten-mastodon", id: Self.spamID)) == nil)

        let executed = await browser.post("/disposal/execute", [("csrf", csrf), ("plan", "1"), ("reason", "Kassasjonsliste 1 godkjent")])
        #expect(executed.status == 303)
        let tombstone = try #require(try f.registry.tombstone(of: ItemReference(account: "etaten-mastodon", id: Self.spamID)))
        #expect(tombstone.disposedBy == WebFixture.officer.0 && tombstone.plan == 1 && tombstone.reason == "Kassasjonsliste 1 godkjent")
        let after = await browser.get("/disposal")
        #expect(after.text.contains("executed") && after.text.contains("Kassasjonsliste 1 godkjent"))

        let item = await browser.get("/item?account=etaten-mastodon&id=\(Self.spamID)")
        #expect(item.status == 200 && item.text.contains("disposed") && item.text.contains("plan 1") && !item.text.contains("sjetonger"))
        let thread = await browser.get("/item?account=etaten-mastodon&id=113500000000000001")
        #expect(thread.status == 200 && !thread.text.contains("sjetonger"))
        let journal = await browser.get("/journal?day=2024-01-10")
        #expect(journal.status == 200 && !journal.text.contains("sjetonger"))
        #expect(try f.registry.verify().problems == [])
        await f.stop()
    }

    @Test("an officer places a hold on a thread from the item page and releases it from the Disposal tab; a reason and a name are required, auditors get 403")
    func holdsFromThePage() async throws {
        let f = try await WebFixture.make()
        try Self.commitOldItems(f.registry)
        let spam = ItemReference(account: "etaten-mastodon", id: Self.spamID)
        let browser = try await f.loggedIn(WebFixture.officer)
        let page = await browser.get("/item?account=etaten-mastodon&id=\(Self.spamID)")
        #expect(page.text.contains("No standing hold covers this item.") && page.text.contains("Place a legal hold"))
        let csrf = try #require(page.csrfToken)
        let back = "/item?account=etaten-mastodon&id=\(Self.spamID)"
        func place(_ fields: [(String, String)]) async -> WebResponse {
            await browser.post("/hold", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.spamID), ("back", back)] + fields)
        }
        let noReason = await place([("name", "tvist-2026-20"), ("reason", " "), ("scope", "thread")])
        #expect(noReason.status == 400 && noReason.text.contains("needs a reason"))
        let noName = await place([("name", ""), ("reason", "Bevis"), ("scope", "thread")])
        #expect(noName.status == 400 && noName.text.contains("Give the hold a name"))
        let badName = await place([("name", "tvist\u{1B}[2J"), ("reason", "Bevis"), ("scope", "thread")])
        #expect(badName.status == 409 && badName.text.contains("control characters"))
        let auditor = try await f.loggedIn(WebFixture.auditor)
        let auditorPage = await auditor.get(back)
        #expect(auditorPage.status == 200 && !auditorPage.text.contains("Place a legal hold"))
        let refused = await auditor.post("/hold", [("csrf", try #require(auditorPage.csrfToken)), ("account", "etaten-mastodon"), ("id", Self.spamID),
                                                   ("name", "x"), ("reason", "y")])
        #expect(refused.status == 403)
        #expect(try f.registry.holds().isEmpty)

        let placed = await place([("name", "tvist-2026-20"), ("reason", "Bevis i tvistesak 2026/20"), ("scope", "thread")])
        #expect(placed.status == 303 && placed.header("location") == back)
        let hold = try #require(try f.registry.holds().first)
        #expect(hold.name == "tvist-2026-20" && hold.placedBy == WebFixture.officer.0 && hold.coverage == .thread("etaten-mastodon:113500000000000001"))
        // The thread hold covers the root and the spam reply: the plan holds it back.
        let held = await browser.get(back)
        #expect(held.text.contains("tvist-2026-20") && held.text.contains("the thread of etaten-mastodon:113500000000000001"))
        #expect(try f.registry.standingHolds(covering: ItemReference(account: "etaten-mastodon", id: "113500000000000001")).map(\.name) == ["tvist-2026-20"])
        _ = await browser.post("/disposal/plan", [("csrf", csrf)])
        let plan = await browser.get("/disposal")
        #expect(plan.text.contains("Due for disposal: 0") && plan.text.contains("Held (kept while a legal hold stands): 1"), "\(plan.text)")
        #expect(plan.text.contains("Release tvist-2026-20"))

        let releaseNoReason = await browser.post("/hold/release", [("csrf", csrf), ("name", "tvist-2026-20"), ("reason", "")])
        #expect(releaseNoReason.status == 400)
        let unknown = await browser.post("/hold/release", [("csrf", csrf), ("name", "no-such-hold"), ("reason", "r")])
        #expect(unknown.status == 409 && unknown.text.contains("No legal hold named"))
        let released = await browser.post("/hold/release", [("csrf", csrf), ("name", "tvist-2026-20"), ("reason", "Dom rettskraftig")])
        #expect(released.status == 303)
        let release = try #require(try f.registry.holds().first)
        #expect(release.releasedBy == WebFixture.officer.0 && release.releaseReason == "Dom rettskraftig")
        #expect(try f.registry.standingHolds(covering: spam).isEmpty)
        let after = await browser.get("/disposal")
        #expect(!after.text.contains("Release tvist-2026-20") && after.text.contains("Dom rettskraftig"))
        #expect(try f.registry.verify().problems == [])
        await f.stop()
    }
}
