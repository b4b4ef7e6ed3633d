import DiariumCore
import DiariumStore
import DiariumTestSupport
@testable import DiariumWeb
import Foundation
import Testing

/// The access-request flow on the page: an officer finds a case's items, ticks them,
/// gives the reference and presses "Answer request" in headless Chromium; the answer
/// comes back screened and is recorded with the web user's name. Auditors may not
/// answer, and a form without its CSRF token is refused.
@Suite("Access request on the web page")
struct AccessRequestPageTests {
    @Test("find a case, answer the request in Chromium: screened HTML answer, recorded with the web user")
    func answerInChromium() async throws {
        // A Norwegian agency: the answer is written in bokmål.
        let f = try await WebFixture.make(stages: 2, language: "nb")
        let caseNumber = try #require(try f.registry.detail(of: LiveServerTests.question)?.record.caseNumber)
        let base = f.base
        let outcome: Result<[String: String], any Error> = await onThread {
            Result { try Self.drive(base: base, caseNumber: caseNumber) }
        }
        let dom = try outcome.get()
        #expect(dom["rows"].flatMap(Int.init) ?? 0 >= 5, "the case's items are listed")
        let answer = try #require(dom["answer"])
        #expect(answer.contains("Svar på innsynskrav"))
        #expect(answer.contains("WEB-INNSYN 7/2026 (Øystein Ærlig)"))
        #expect(answer.contains("Hvordan søker jeg om bostøtte hvis jeg ikke har BankID?"))
        #expect(!answer.contains("Lise Testesen"))
        #expect(!answer.contains("15038710041"))
        #expect(answer.contains("offl. § 13 jf. fvl. § 13 første ledd nr. 1"))
        #expect(dom["scripts"] == "0")

        let requests = try f.registry.accessRequests(of: LiveServerTests.question)
        #expect(requests.map(\.reference) == ["WEB-INNSYN 7/2026 (Øystein Ærlig)"])
        #expect(requests.first?.actor == WebFixture.officer.0)
        #expect(requests.first?.format == "html")
        let lise = try f.registry.accessRequests(of: LiveServerTests.health)
        #expect(lise.first?.outcome == .withheld)
        #expect(try f.registry.verify().problems.isEmpty)
        await f.stop()
    }

    @Test("an auditor may not answer; a POST without the CSRF token is refused and records nothing")
    func refusals() async throws {
        let f = try await WebFixture.make()
        let auditor = try await f.loggedIn(WebFixture.auditor)
        #expect(await auditor.get("/innsyn").status == 403)
        let officer = try await f.loggedIn(WebFixture.officer)
        let page = await officer.get("/innsyn?q=bost%C3%B8tte")
        #expect(page.status == 200)
        #expect(page.text.contains("Answer request"))
        let forged = await officer.post("/innsyn", [("reference", "R1"), ("item.0", "etaten-mastodon:113500000000000011"), ("format", "pdf")])
        #expect(forged.status == 403)
        let token = try #require(page.csrfToken)
        let noReference = await officer.post("/innsyn", [("csrf", token), ("item.0", "etaten-mastodon:113500000000000011")])
        #expect(noReference.status == 400)
        #expect(try f.registry.accessRequests(of: LiveServerTests.question).isEmpty)
        let pdf = await officer.post("/innsyn", [("csrf", token), ("reference", "R2"), ("item.0", "etaten-mastodon:113500000000000011"), ("format", "pdf")])
        #expect(pdf.status == 200)
        #expect(pdf.header("Content-Type") == "application/pdf")
        #expect(pdf.text.hasPrefix("%PDF-"))
        #expect(try f.registry.accessRequests(of: LiveServerTests.question).first?.reference == "R2")
        let item = await officer.get("/item?account=etaten-mastodon&id=113500000000000011")
        #expect(item.text.contains("<h2>Access requests</h2>"))
        #expect(item.text.contains("<td>R2</td>"))
        #expect(item.text.contains("/innsyn?case="))
        await f.stop()
    }

    static func drive(base: String, caseNumber: String) throws -> [String: String] {
        let chrome = try Chromium()
        defer { chrome.close() }
        var dom: [String: String] = [:]
        try chrome.navigate(base + "/login")
        try chrome.logIn(WebFixture.officer)
        try chrome.navigate(base + "/innsyn")
        try chrome.submit("""
            document.querySelector('input[name=case]').value = \(ChromiumTests.json(caseNumber));
            document.querySelector('form[action="/innsyn"] button').click()
            """)
        dom["rows"] = "\(try chrome.evaluate("document.querySelectorAll('form.answer input[type=checkbox]').length") as? Int ?? -1)"
        try chrome.submit("""
            document.querySelector('form.answer input[name=reference]').value = \(ChromiumTests.json("WEB-INNSYN 7/2026 (Øystein Ærlig)"));
            document.querySelector('form.answer select[name=format]').value = 'html';
            document.querySelector('form.answer button[name=answer]').click()
            """)
        dom["answer"] = try chrome.evaluate("document.body.innerText") as? String
        dom["scripts"] = "\(try chrome.evaluate("document.querySelectorAll('script').length") as? Int ?? -1)"
        return dom
    }
}
