import DiariumCore
import DiariumStore
import DiariumTestSupport
@testable import DiariumWeb
import Foundation
import Testing

/// The disposal tab in a real browser: the officer opens it, sees the plan, the hold and
/// the item awaiting review, executes the plan with a reason, and finds the item's page a
/// tombstone. The screenshot goes to `docs/disposal.png` with DIARIUM_UPDATE_SCREENSHOTS=1.
@Suite("Disposal page in headless Chromium")
struct ChromiumDisposalTests {
    @Test("the officer executes a plan with a reason in the browser; the item page becomes its tombstone")
    func disposalInChromium() async throws {
        let f = try await WebFixture.make()
        try DisposalPageTests.commitOldItems(f.registry)
        try f.registry.placeHold(name: "tvist-2026-14", scope: .thread(ItemReference(account: "etaten-mastodon", id: "113500000000000002")),
                                 reason: "Bevis i tvistesak 2026/14", actor: "kari.arkivar")
        _ = try f.registry.makeDisposalPlan(asOf: Timestamp.day(Date()), actor: "kari.arkivar")
        let screenshots = ProcessInfo.processInfo.environment["DIARIUM_UPDATE_SCREENSHOTS"] == "1"
            ? repositoryRoot.appendingPathComponent("docs") : f.dir.url
        let base = f.base
        let outcome: Result<[String: String], any Error> = await onThread {
            Result { try Self.drive(base: base, screenshots: screenshots) }
        }
        let dom = try outcome.get()
        #expect(dom["before"]?.contains("Due for disposal: 1") == true)
        #expect(dom["before"]?.contains("tvist-2026-14") == true)
        #expect(dom["after"]?.contains("Kassasjonsliste 1 godkjent i nettleseren") == true)
        #expect(dom["item"]?.contains("disposed") == true && dom["item"]?.contains("sjetonger") == false)
        let tombstone = try #require(try f.registry.tombstone(of: ItemReference(account: "etaten-mastodon", id: DisposalPageTests.spamID)))
        #expect(tombstone.disposedBy == WebFixture.officer.0)
        #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("disposal.png").path))
        await f.stop()
    }

    static func drive(base: String, screenshots: URL) throws -> [String: String] {
        let chrome = try Chromium()
        defer { chrome.close() }
        var dom: [String: String] = [:]
        try chrome.navigate(base + "/login")
        try chrome.logIn(WebFixture.officer)
        try chrome.navigate(base + "/disposal")
        dom["before"] = try chrome.evaluate("document.body.innerText") as? String
        try chrome.screenshot(to: screenshots.appendingPathComponent("disposal.png"))
        try chrome.submit("""
            (() => { const f = document.querySelector('form[action="/disposal/execute"]');
              f.querySelector('input[name=reason]').value = 'Kassasjonsliste 1 godkjent i nettleseren';
              f.querySelector('button').click(); })()
            """)
        dom["after"] = try chrome.evaluate("document.body.innerText") as? String
        try chrome.navigate(base + "/item?account=etaten-mastodon&id=\(DisposalPageTests.spamID)")
        dom["item"] = try chrome.evaluate("document.body.innerText") as? String
        return dom
    }
}
