import DiariumCore
import DiariumStore
import DiariumTestSupport
@testable import DiariumWeb
import Foundation
import Testing

/// The whole morning in a real browser: headless Chromium, driven over its DevTools
/// protocol, fills in the login form, clicks Approve on one row, overrides another with
/// a reason, then reads the public journal and a hostile post's item page from the DOM.
/// Screenshots go to a temporary folder, or to `docs/` with DIARIUM_UPDATE_SCREENSHOTS=1.
/// The agency is Norwegian (bokmål, Europe/Oslo), as in the README's screenshots: the
/// page, its times and the rulebook's reasons are checked in its language.
@Suite("Web page in headless Chromium")
struct ChromiumTests {
    @Test("log in, approve, override with a reason; the public journal hides screened names and ID numbers; <script> shows as text")
    func morningInChromium() async throws {
        let f = try await WebFixture.make(stages: 2, language: "nb", timeZone: "Europe/Oslo")
        let screenshots = ProcessInfo.processInfo.environment["DIARIUM_UPDATE_SCREENSHOTS"] == "1"
            ? repositoryRoot.appendingPathComponent("docs") : f.dir.url
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let base = f.base
        let outcome: Result<[String: String], any Error> = await onThread {
            Result { try Self.drive(base: base, screenshots: screenshots) }
        }
        let dom = try outcome.get()

        // The officer's actions reached the registry with the web user as the actor.
        let approved = try #require(try f.registry.detail(of: LiveServerTests.question))
        #expect(approved.record.status == .J)
        #expect(approved.history.last?.actor == WebFixture.officer.0)
        let overridden = try #require(try f.registry.detail(of: LiveServerTests.health))
        #expect(overridden.record.status == .U)
        #expect(overridden.history.last?.details.contains("why: Remark, not a case (Chromium test).") == true)

        let publicJournal = try #require(dom["public"])
        #expect(publicJournal.contains("<html lang=\"nb\">") && publicJournal.contains("Offentlig journal"))

        // The queue in bokmål: the rulebook's reasons, and each item's thread context.
        let queue = try #require(dom["queue"])
        #expect(dom["queueLang"] == "nb")
        #expect(queue.contains("Til kontroll") && queue.contains("Avsender/mottaker") && queue.contains("Begrunnelse"), "\(queue)")
        #expect(queue.contains("skal journalføres (arkivforskrifta § 9)"), "the reasons are in bokmål: \(queue)")
        #expect(!queue.contains("must be journaled"), "no English reason: \(queue)")
        #expect(Int(dom["contextAnswers"] ?? "") ?? 0 >= 1, "a reply shows the post it answers")
        #expect(Int(dom["contextReplies"] ?? "") ?? 0 >= 1, "a question shows the agency's reply, or that there is none")
        #expect(queue.contains("Svar på") && queue.contains("Etatens svar"), "\(queue)")
        #expect(queue.range(of: #"\d\d\.11\.2026 \d\d:\d\d"#, options: .regularExpression) != nil, "times as 20.11.2026 09:12")
        #expect(!publicJournal.contains("Lise Testesen"))
        #expect(!publicJournal.contains("15038710041"))
        #expect(!publicJournal.contains("Kronisk") && !publicJournal.contains("kronisk"))

        let item = try #require(dom["item"])
        #expect(dom["itemScripts"] == "0", "no script element came from the post")
        #expect(dom["itemImages"] == "0", "no img element came from the post")
        #expect(try #require(dom["itemText"]).contains("<script>alert(1)</script>"), "the literal characters are text")
        #expect(item.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(dom["queueStillHasQuestion"] == "false")
        for name in ["journal.png", "queue.png", "item.png"] {
            #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent(name).path), "\(name)")
        }
        await f.stop()
    }

    /// Everything the browser does; blocking, so it runs on its own thread.
    static func drive(base: String, screenshots: URL) throws -> [String: String] {
        let chrome = try Chromium()
        defer { chrome.close() }
        var dom: [String: String] = [:]

        try chrome.navigate(base + "/journal")
        guard (try chrome.evaluate("location.pathname") as? String) == "/login" else { throw FixtureError("not sent to the login page") }
        try chrome.logIn(WebFixture.officer)
        try chrome.navigate(base + "/journal?day=2026-11-20")
        try chrome.screenshot(to: screenshots.appendingPathComponent("journal.png"))

        try chrome.navigate(base + "/queue")
        try chrome.screenshot(to: screenshots.appendingPathComponent("queue.png"))
        dom["queue"] = try chrome.evaluate("document.body.innerText") as? String
        dom["queueLang"] = try chrome.evaluate("document.documentElement.lang") as? String
        dom["contextAnswers"] = "\(try chrome.evaluate("document.querySelectorAll('.context.answers').length") as? Int ?? -1)"
        dom["contextReplies"] = "\(try chrome.evaluate("document.querySelectorAll('.context.reply').length") as? Int ?? -1)"
        let question = LiveServerTests.question.id
        try chrome.submit("""
            [...document.querySelectorAll('form.approve')].find(f => f.querySelector('input[name=id]').value === \(json(question))).querySelector('button').click()
            """)
        let health = LiveServerTests.health.id
        try chrome.submit("""
            (() => { const f = [...document.querySelectorAll('form.override')].find(f => f.querySelector('input[name=id]').value === \(json(health)));
              f.querySelector('select[name=journal]').value = 'no';
              f.querySelector('input[name=reason]').value = 'Remark, not a case (Chromium test).';
              f.querySelector('button').click(); })()
            """)
        dom["queueStillHasQuestion"] = String(describing: try chrome.evaluate(
            "[...document.querySelectorAll('input[name=id]')].some(i => i.value === \(json(question)))") as? Bool ?? true)

        try chrome.navigate(base + "/public?day=2026-11-20")
        dom["public"] = try chrome.evaluate("document.documentElement.outerHTML") as? String

        try chrome.navigate(base + "/item?account=etaten-mastodon&id=113500000000000002")
        try chrome.screenshot(to: screenshots.appendingPathComponent("item.png"))

        try chrome.navigate(base + "/item?account=etaten-mastodon&id=\(WebFixture.hostileID)")
        dom["item"] = try chrome.evaluate("document.documentElement.outerHTML") as? String
        dom["itemText"] = try chrome.evaluate("document.body.innerText") as? String
        dom["itemScripts"] = "\(try chrome.evaluate("document.querySelectorAll('script').length") as? Int ?? -1)"
        dom["itemImages"] = "\(try chrome.evaluate("document.querySelectorAll('img').length") as? Int ?? -1)"
        return dom
    }

    static func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}
