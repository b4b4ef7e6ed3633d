import DiariumConfig
import DiariumCore
import DiariumOutputs
import DiariumStore
@testable import DiariumWeb
import Foundation
import Testing

@Suite("Web page: passwords, CSRF, roles, diff")
struct UnitTests {
    @Test("a password hash round-trips; a wrong password, a tampered hash or a malformed one never matches")
    func passwordHash() {
        let encoded = PasswordHash.make("s3cret passphrase", iterations: 2000)
        let parts = encoded.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "pbkdf2-sha256" && parts[1] == "2000")
        #expect(parts[2].count == 32, "a 16-byte salt")
        #expect(PasswordHash.verify("s3cret passphrase", against: encoded))
        #expect(!PasswordHash.verify("s3cret passphrasE", against: encoded))
        #expect(!PasswordHash.verify("", against: encoded))
        #expect(PasswordHash.make("same", iterations: 10) != PasswordHash.make("same", iterations: 10), "salted")
        var tampered = Array(encoded)
        tampered[tampered.count - 1] = tampered.last == "0" ? "1" : "0"
        #expect(!PasswordHash.verify("s3cret passphrase", against: String(tampered)))
        #expect(!PasswordHash.verify("x", against: "pbkdf2-sha256$999999999$00$00"))
        #expect(!PasswordHash.verify("x", against: "plain"))
    }

    @Test("PBKDF2-HMAC-SHA256 matches published test vectors")
    func pbkdf2Vectors() {
        // RFC 7914 §11 (first 32 bytes), and the widely used "password"/"salt" vectors.
        let rfc = PasswordHash.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1)
        #expect(SHA256.hex(rfc) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
        let two = PasswordHash.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 2)
        #expect(SHA256.hex(two) == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        let many = PasswordHash.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096)
        #expect(SHA256.hex(many) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test("an unknown user's decoy costs the full KDF and matches nothing")
    func decoy() {
        let decoy = PasswordHash.decoy(iterations: 100)
        #expect(decoy.hasPrefix("pbkdf2-sha256$100$"))
        #expect(!PasswordHash.verify("", against: decoy) && !PasswordHash.verify("anything", against: decoy))
    }

    @Test("the default cost is at least 100,000 iterations")
    func defaultCost() {
        #expect(PasswordHash.defaultIterations >= 100_000)
    }

    @Test("CSRF tokens must be present and equal")
    func csrf() {
        let token = SecureRandom.token()
        #expect(token.count == 64)
        #expect(CSRF.isValid(submitted: token, expected: token))
        #expect(!CSRF.isValid(submitted: nil, expected: token))
        #expect(!CSRF.isValid(submitted: "", expected: token))
        #expect(!CSRF.isValid(submitted: token, expected: nil))
        #expect(!CSRF.isValid(submitted: token, expected: ""))
        #expect(!CSRF.isValid(submitted: String(token.dropLast()) + "x", expected: token))
    }

    @Test("officers and admins act; auditors only read")
    func roles() {
        #expect(UserRole.officer.may(.act) && UserRole.officer.may(.read))
        #expect(UserRole.admin.may(.act) && UserRole.admin.may(.read))
        #expect(!UserRole.auditor.may(.act) && UserRole.auditor.may(.read))
    }

    @Test("a word diff marks removed and added words, and escapes both")
    func wordDiff() {
        let parts = WordDiff.diff("Kontoret er stengt i dag.", "Kontoret er åpent i dag <b>igjen</b>.")
        #expect(parts.first == .same("Kontoret er "))
        #expect(parts.contains(.removed("stengt ")))
        #expect(parts.contains(.added("åpent ")))
        let html = WordDiff.html(parts)
        #expect(html.contains("<del>stengt </del><ins>åpent </ins>"))
        #expect(html.contains("&lt;b&gt;igjen&lt;/b&gt;"))
        #expect(!html.contains("<b>"))
        #expect(WordDiff.diff("same text", "same text") == [.same("same text")])
    }

    @Test("hostile text is escaped: no tag from a post survives, and only http(s) addresses become links")
    func escaping() {
        let hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> \"quoted\" 'single' & more"
        let escaped = HTML.escape(hostile)
        #expect(!escaped.contains("<"))
        #expect(!escaped.contains(">"))
        #expect(!escaped.contains("\""))
        #expect(escaped.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(escaped.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(HTML.externalLink("javascript:alert(1)") == "javascript:alert(1)")
        #expect(HTML.externalLink("https://x.example/\"><script>").hasPrefix("<a href=\"https://x.example/&quot;&gt;&lt;script&gt;\""))
        #expect(HTML.itemURL(account: "a b", id: "at://did:plc:x/app.bsky.feed.post/1&x=<y>") ==
            "/item?account=a%20b&id=at%3A%2F%2Fdid%3Aplc%3Ax%2Fapp.bsky.feed.post%2F1%26x%3D%3Cy%3E")
    }

    @Test("forms decode + and percent escapes; a return path must stay on this site")
    func formsAndPaths() {
        let form = FormData("reason=Not+for+us%3A+spam&csrf=ab&empty=&journal=no")
        #expect(form["reason"] == "Not for us: spam")
        #expect(form.text("empty") == nil)
        #expect(WebApp.yesNo(form["journal"]) == false)
        #expect(WebApp.localPath("/item?account=a&id=1") == "/item?account=a&id=1")
        #expect(WebApp.localPath("//evil.example/") == "/queue")
        #expect(WebApp.localPath("https://evil.example/") == "/queue")
        #expect(WebApp.localPath(nil) == "/queue")
    }

    /// Browsers strip tabs and line breaks from a URL and read a backslash as a slash, so
    /// each of these would take the officer to another site after an approval (issue 14).
    @Test("a return path with a control, format or space character or a backslash anywhere is refused, not cleaned")
    func returnPathCharacters() {
        let hostile = ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\u{0}/evil.example", "/\u{7F}/evil.example",
                       "/\u{85}/evil.example", "/\u{202E}/evil.example", "/\u{200B}/evil.example", "/ /evil.example",
                       "/\u{3000}/evil.example", "/\u{2028}/evil.example", "/\\evil.example", "\\/evil.example",
                       "/queue\t", "/item?account=a&id=1\u{1B}[2J", "\t//evil.example", " /queue", "", "queue", "javascript:alert(1)"]
        for path in hostile {
            #expect(WebApp.localPath(path) == "/queue", "\(path.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for path in ["/queue", "/journal?day=2026-11-20", "/item?account=etaten-mastodon&id=113500000000000011",
                     "/item?account=a%20b&id=at%3A%2F%2Fdid", "/item?account=bl%C3%A5&id=st%C3%B8tte", "/item?account=blå&id=støtte"] {
            #expect(WebApp.localPath(path) == path)
        }
    }

    @Test("[web] reads listen, port, session and secure_cookie; 127.0.0.1:8080 by default; a bad port is named")
    func webSettings() throws {
        #expect(try DiariumConfiguration.parse("", file: "t.toml").web == nil)
        let defaults = try #require(try DiariumConfiguration.parse("[web]\n", file: "t.toml").web)
        #expect(defaults == WebSettings(listen: "127.0.0.1", port: 8080))
        let custom = try #require(try DiariumConfiguration.parse("[web]\nlisten = \"::1\"\nport = 9090\nsession = \"2h\"\nsecure_cookie = false\n", file: "t.toml").web)
        #expect(custom == WebSettings(listen: "::1", port: 9090, sessionSeconds: 7200, secureCookie: false))
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nport = \"80\"\n", file: "t.toml") }
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nhost = \"x\"\n", file: "t.toml") }
    }
}
