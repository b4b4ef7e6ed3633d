import DiariumCore
import DiariumStore
@testable import DiariumWeb
import Foundation
import GRDB
import Testing

/// A row broken behind the registry's back: every page still answers, the item page names
/// what could not be read, and an unreadable decision is screened in the public journal.
@Suite("Web page over damaged rows")
struct DamagedRowPageTests {
    @Test("journal, queue, public journal and item pages answer 200 and show the rest; the damage is named and screened")
    func damagedRows() async throws {
        let f = try await WebFixture.make()
        let queue = try DatabaseQueue(path: f.registry.path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER itemVersionNeverChanged")
            try db.execute(sql: "UPDATE itemVersion SET json = '{not json' WHERE itemId = (SELECT id FROM item WHERE platformId = ?)",
                           arguments: [LiveServerTests.question.id])
            try db.execute(sql: "UPDATE decision SET json = '{}' WHERE itemId = (SELECT id FROM item WHERE platformId = ?)",
                           arguments: [WebFixture.hostileID])
        }
        let browser = try await f.loggedIn(WebFixture.officer)
        for path in ["/journal?day=2026-11-20", "/queue", "/public?day=2026-11-20",
                     "/item?account=etaten-mastodon&id=113500000000000001"] {
            let page = await browser.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(page.text.contains("Kari Nordmann") || path.hasPrefix("/item"), "\(path): the other items are there")
        }
        let journal = await browser.get("/journal?day=2026-11-20")
        #expect(journal.text.contains("Reply via mastodon (could not be read)"))
        #expect(journal.text.contains("the stored decision could not be read"))
        let published = await browser.get("/public?day=2026-11-20")
        #expect(!published.text.contains("Mallory") && !published.text.contains("klager jeg"), "an unreadable decision is screened")
        let item = await browser.get("/item?account=etaten-mastodon&id=\(LiveServerTests.question.id)")
        #expect(item.status == 200)
        #expect(item.text.contains("version 1: the stored item could not be read: not valid JSON"))
        #expect(item.text.contains("/capture?sha256="), "the raw capture is still offered")
        await f.stop()
    }
}
