import DiariumCore
import DiariumStore
@testable import DiariumWeb
import Foundation
import Testing

/// The real page on 127.0.0.1, driven over libcurl the way a browser would: cookies,
/// forms with their CSRF tokens, redirects read one at a time.
@Suite("Web page against a live server")
struct LiveServerTests {
    static let question = ItemReference(account: "etaten-mastodon", id: "113500000000000011")
    static let health = ItemReference(account: "etaten-mastodon", id: "113500000000000015")

    @Test("unauthenticated pages send to the login page; a wrong password and an unknown user get the same answer")
    func loginRequired() async throws {
        let f = try await WebFixture.make()
        let browser = TestBrowser(base: f.base)
        for path in ["/journal", "/queue", "/public", "/item?account=etaten-mastodon&id=hostile-1", "/capture?sha256=" + String(repeating: "0", count: 64)] {
            let response = await browser.get(path)
            #expect(response.status == 303 && response.header("Location") == "/login", "\(path)")
        }
        let page = await browser.get("/login")
        let token = try #require(page.csrfToken)
        let wrong = await browser.post("/login", [("csrf", token), ("name", WebFixture.officer.0), ("password", "nope")])
        let unknown = await browser.post("/login", [("csrf", try #require(wrong.csrfToken)), ("name", "nobody"), ("password", "nope")])
        #expect(wrong.status == 401 && unknown.status == 401)
        #expect(wrong.text.contains(WebApp.loginFailed) && unknown.text.contains(WebApp.loginFailed))
        #expect(browser.cookies[SessionStore.cookieName] == nil)
        let forged = await browser.post("/login", [("csrf", String(repeating: "a", count: 64)), ("name", WebFixture.officer.0), ("password", WebFixture.officer.1)])
        #expect(forged.status == 403, "a login form not served by the page is refused")
        await f.stop()
    }

    @Test("login sets a Secure, HttpOnly, SameSite=Strict session cookie that expires; logout ends the session")
    func sessionCookie() async throws {
        let f = try await WebFixture.make()
        let browser = TestBrowser(base: f.base)
        let token = try #require(await browser.get("/login").csrfToken)
        let response = await browser.post("/login", [("csrf", token), ("name", WebFixture.officer.0), ("password", WebFixture.officer.1)])
        #expect(response.status == 303 && response.header("Location") == "/journal")
        let cookie = try #require(response.headers("Set-Cookie").first { $0.hasPrefix("diarium_session=") })
        #expect(cookie.contains("Secure"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(cookie.contains("Max-Age=28800"))
        #expect(cookie.contains("Path=/"))
        let journal = await browser.get("/journal?day=2026-11-20")
        #expect(journal.status == 200)
        #expect(journal.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(journal.text.contains("Journal of Etaten for 2026-11-20"))
        let csrf = try #require(journal.csrfToken)
        let out = await browser.post("/logout", [("csrf", csrf)])
        #expect(out.status == 303)
        #expect(browser.cookies[SessionStore.cookieName] == nil)
        let stolen = TestBrowser(base: f.base)
        stolen.setCookie(SessionStore.cookieName, String(cookie.dropFirst("diarium_session=".count).prefix(64)))
        #expect(await stolen.get("/journal").status == 303, "the old token is dead after logout")
        await f.stop()
    }

    @Test("a POST without the session's CSRF token is refused with 403 and changes nothing")
    func csrfRequired() async throws {
        let f = try await WebFixture.make()
        let browser = try await f.loggedIn(WebFixture.officer)
        let missing = await browser.post("/approve", [("account", "etaten-mastodon"), ("id", WebFixture.hostileID)])
        let wrong = await browser.post("/approve", [("csrf", String(repeating: "0", count: 64)), ("account", "etaten-mastodon"), ("id", WebFixture.hostileID)])
        #expect(missing.status == 403 && wrong.status == 403)
        #expect(try f.registry.detail(of: ItemReference(account: "etaten-mastodon", id: WebFixture.hostileID))?.record.status == .M)
        await f.stop()
    }

    @Test("approve on the page journals the item (J) and the change log names the web user, as the command line does")
    func approveAndOverride() async throws {
        let f = try await WebFixture.make()
        let browser = try await f.loggedIn(WebFixture.officer)
        let queue = await browser.get("/queue")
        #expect(queue.status == 200)
        #expect(queue.text.contains("Approve"))
        let csrf = try #require(queue.csrfToken)

        let approved = await browser.post("/approve", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.question.id), ("back", "/queue")])
        #expect(approved.status == 303 && approved.header("Location") == "/queue")
        let record = try #require(try f.registry.detail(of: Self.question))
        #expect(record.record.status == .J)
        #expect(record.history.last?.actor == WebFixture.officer.0)
        #expect(record.history.last?.action == "approve")

        let noReason = await browser.post("/override", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.health.id), ("journal", "no"), ("reason", "  ")])
        #expect(noReason.status == 400)
        #expect(noReason.text.contains("needs a reason"))
        #expect(try f.registry.detail(of: Self.health)?.record.status == .M)

        let overridden = await browser.post("/override", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.health.id),
                                                          ("journal", "no"), ("reason", "Not a case: a general remark."), ("back", "/queue")])
        #expect(overridden.status == 303)
        let health = try #require(try f.registry.detail(of: Self.health))
        #expect(health.record.status == .U)
        #expect(health.history.last?.actor == WebFixture.officer.0)
        #expect(health.history.last?.details.contains("why: Not a case: a general remark.") == true)

        let again = await browser.post("/approve", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.question.id)])
        #expect(again.status == 409, "already journaled: the registry's own refusal is shown")
        #expect(try f.registry.verify().problem == nil)
        await f.stop()
    }

    /// Issue 14: `/\t/evil.example` passed the old check, and a browser reads it as
    /// `//evil.example`. Every action falls back to the queue for such a return path.
    @Test("approve and override never send the browser to a return path holding a control character or a backslash")
    func returnPathStaysOnSite() async throws {
        let f = try await WebFixture.make()
        let browser = try await f.loggedIn(WebFixture.officer)
        let csrf = try #require(await browser.get("/queue").csrfToken)
        let approved = await browser.post("/approve", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.question.id), ("back", "/\t/evil.example")])
        #expect(approved.status == 303)
        #expect(approved.header("Location") == "/queue")
        #expect(try f.registry.detail(of: Self.question)?.record.status == .J)
        for back in ["/\\evil.example", "/\n/evil.example", "/\u{2028}/evil.example"] {
            let refused = await browser.post("/approve", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.question.id), ("back", back)])
            #expect(refused.status == 409, "already journaled")
            #expect(!refused.text.contains("evil.example"), "the page's Back link is the queue")
        }
        let overridden = await browser.post("/override", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.health.id),
                                                          ("journal", "no"), ("reason", "Not a case."), ("back", "/\r/evil.example")])
        #expect(overridden.status == 303)
        #expect(overridden.header("Location") == "/queue")
        let item = HTML.itemURL(account: Self.health.account!, id: Self.health.id)
        let kept = await browser.post("/override", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", Self.health.id),
                                                    ("type", "N"), ("reason", "Type corrected."), ("back", item)])
        #expect(kept.header("Location") == item, "a path on this site is kept as it is")
        await f.stop()
    }

    @Test("HEAD is answered wherever GET is, with the same status and headers and no body")
    func headWhereverGet() async throws {
        let f = try await WebFixture.make()
        let anonymous = TestBrowser(base: f.base)
        for path in ["/journal", "/queue", "/public", "/item?account=etaten-mastodon&id=hostile-1"] {
            let head = await anonymous.head(path)
            #expect(head.status == 303 && head.header("Location") == "/login", "\(path): \(head.status)")
        }
        #expect(await anonymous.head("/login").status == 200)
        #expect(await anonymous.head("/").status == 303)
        let browser = try await f.loggedIn(WebFixture.officer)
        for path in ["/journal", "/journal?day=2026-11-20", "/queue", "/public?day=2026-11-20", "/item?account=etaten-mastodon&id=hostile-1"] {
            let get = await browser.get(path)
            let head = await browser.head(path)
            #expect(head.status == 200 && get.status == 200, "\(path): HEAD \(head.status), GET \(get.status)")
            #expect(head.body.isEmpty, "\(path)")
            #expect(head.header("Content-Type") == get.header("Content-Type"), "\(path)")
            #expect(head.header("Content-Security-Policy") == get.header("Content-Security-Policy"), "\(path)")
        }
        #expect(await browser.head("/no-such-page").status == 404)
        await f.stop()
    }

    @Test("an auditor reads everything, restricted text included, but cannot act")
    func auditorReadOnly() async throws {
        let f = try await WebFixture.make()
        let browser = try await f.loggedIn(WebFixture.auditor)
        let queue = await browser.get("/queue")
        #expect(queue.status == 200)
        #expect(!queue.text.contains("action=\"/approve\""))
        let item = await browser.get("/item?account=etaten-mastodon&id=\(Self.health.id)")
        #expect(item.text.contains("kronisk sykdom"), "restricted text is visible to the auditor")
        let csrf = try #require(queue.csrfToken)
        let refused = await browser.post("/approve", [("csrf", csrf), ("account", "etaten-mastodon"), ("id", WebFixture.hostileID)])
        #expect(refused.status == 403)
        #expect(try f.registry.detail(of: ItemReference(account: "etaten-mastodon", id: WebFixture.hostileID))?.record.status == .M)
        await f.stop()
    }

    @Test("a post with <script> and <img onerror> is text on every page; the raw capture downloads as exact bytes")
    func hostileText() async throws {
        let f = try await WebFixture.make()
        let browser = try await f.loggedIn(WebFixture.officer)
        for path in ["/journal?day=2026-11-20", "/queue", "/item?account=etaten-mastodon&id=hostile-1",
                     "/item?account=etaten-mastodon&id=113500000000000001"] {
            let page = await browser.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.text.contains("<script"), "\(path)")
            #expect(!page.text.contains("<img"), "\(path)")
            #expect(!page.text.contains("<b onmouseover"), "\(path)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
        }
        let item = await browser.get("/item?account=etaten-mastodon&id=hostile-1")
        #expect(!item.text.contains("href=\"javascript:"))
        let detail = try #require(try f.registry.detail(of: ItemReference(account: "etaten-mastodon", id: WebFixture.hostileID)))
        let sha = detail.versions[0].capture.sha256
        #expect(item.text.contains("/capture?sha256=\(sha)"))
        let raw = await browser.get("/capture?sha256=\(sha)")
        #expect(raw.status == 200)
        #expect(raw.header("Content-Type") == "application/octet-stream")
        #expect(raw.header("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(raw.body == (try f.registry.body(sha256: sha)))
        await f.stop()
    }
}
