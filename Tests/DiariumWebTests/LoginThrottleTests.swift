import DiariumCore
@testable import DiariumWeb
import Foundation
import Logging
import Testing

/// Password guessing is slowed and logged: the throttle's decisions on a fake clock, the
/// login form's server-issued CSRF token, and the live page answering 429.
@Suite("Web page: login throttling and the login form's token")
struct LoginThrottleTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("HMAC-SHA256 matches RFC 4231")
    func hmacVectors() {
        let two = PasswordHash.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(SHA256.hex(two) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let long = PasswordHash.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                           message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(SHA256.hex(long) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("five failures lock the name; the lock doubles with each further failure, up to the cap; a success clears it")
    func userLock() {
        let throttle = LoginThrottle()
        for i in 0..<4 {
            throttle.failed(user: "kari", client: "10.0.0.\(i)", now: Self.t0)
            #expect(throttle.retryAfter(user: "kari", client: "10.0.0.9", now: Self.t0) == nil)
        }
        throttle.failed(user: "kari", client: "10.0.0.9", now: Self.t0)
        #expect(throttle.retryAfter(user: "kari", client: "10.0.0.99", now: Self.t0) == 1, "locked from any address")
        #expect(throttle.retryAfter(user: "per", client: "10.0.0.99", now: Self.t0) == nil, "other users are not")
        let later = Self.t0.addingTimeInterval(1)
        #expect(throttle.retryAfter(user: "kari", client: "10.0.0.9", now: later) == nil)
        throttle.failed(user: "kari", client: "10.0.0.9", now: later)
        #expect(throttle.retryAfter(user: "kari", client: "10.0.0.9", now: later) == 2, "the lock doubles")
        var now = later
        for _ in 0..<20 { now = now.addingTimeInterval(400); throttle.failed(user: "kari", client: "10.0.0.9", now: now) }
        #expect(throttle.retryAfter(user: "kari", client: "x", now: now) == 300, "capped at five minutes")
        throttle.succeeded(user: "kari", client: "10.0.0.9")
        #expect(throttle.retryAfter(user: "kari", client: "10.0.0.9", now: now) == nil)
        throttle.failed(user: "kari", client: "10.0.0.9", now: now)
        #expect(throttle.retryAfter(user: "kari", client: "10.0.0.9", now: now) == nil, "the count started again")
    }

    @Test("one client trying many names is locked after twenty failures")
    func clientLock() {
        let throttle = LoginThrottle()
        for i in 0..<19 { throttle.failed(user: "name\(i)", client: "192.0.2.1", now: Self.t0) }
        #expect(throttle.retryAfter(user: "fresh", client: "192.0.2.1", now: Self.t0) == nil)
        throttle.failed(user: "name19", client: "192.0.2.1", now: Self.t0)
        #expect(throttle.retryAfter(user: "fresh", client: "192.0.2.1", now: Self.t0) == 1)
        #expect(throttle.retryAfter(user: "fresh", client: "192.0.2.2", now: Self.t0) == nil)
    }

    @Test("random user names cannot grow the tables past their capacity; a forgotten key starts again")
    func bounded() {
        let throttle = LoginThrottle(user: .init(freeFailures: 5, capacity: 100), client: .init(freeFailures: 20, capacity: 10))
        for i in 0..<5_000 {
            throttle.failed(user: "random-\(i)", client: "198.51.100.\(i % 50)", now: Self.t0.addingTimeInterval(Double(i) / 1000))
        }
        let counts = throttle.counts
        #expect(counts.users <= 100 && counts.clients <= 10)
        let forget = LoginThrottle()
        for _ in 0..<5 { forget.failed(user: "kari", client: "c", now: Self.t0) }
        let muchLater = Self.t0.addingTimeInterval(3600)
        #expect(forget.retryAfter(user: "kari", client: "c", now: muchLater) == nil)
        forget.failed(user: "kari", client: "c", now: muchLater)
        #expect(forget.retryAfter(user: "kari", client: "c", now: muchLater) == nil, "an hour later the old failures are forgotten")
    }

    @Test("the login token must be one this server issued, not any value equal to its cookie")
    func loginToken() {
        let secret = SecureRandom.bytes(32)
        let token = CSRF.loginToken(secret: secret)
        #expect(token.count == 64 && Hex.decode(token) != nil)
        #expect(CSRF.isValidLogin(submitted: token, cookie: token, secret: secret))
        #expect(!CSRF.isValidLogin(submitted: token, cookie: token, secret: SecureRandom.bytes(32)), "another server's (or a restarted one's) token")
        let chosen = String(repeating: "a", count: 64)
        #expect(!CSRF.isValidLogin(submitted: chosen, cookie: chosen, secret: secret), "a planted cookie with the same value in the form")
        #expect(!CSRF.isValidLogin(submitted: token, cookie: CSRF.loginToken(secret: secret), secret: secret))
        #expect(!CSRF.isValidLogin(submitted: nil, cookie: token, secret: secret))
        #expect(!CSRF.isValidLogin(submitted: "zz" + token.dropFirst(2), cookie: "zz" + token.dropFirst(2), secret: secret))
    }

    @Test("a user name is logged on one line, shortened")
    func loggable() {
        #expect(WebApp.loggable("kari\nFAKE LOG LINE") == "kari?FAKE LOG LINE")
        #expect(WebApp.loggable(String(repeating: "x", count: 500)).count == 65)
    }

    @Test("live: each failed login is logged without the password; after five the page answers 429, even to the right password")
    func liveThrottle() async throws {
        let log = LogRecorder()
        // A lockout of two minutes, not the default one second: on a loaded machine a second
        // can pass between the fifth failure and the next request.
        let throttle = LoginThrottle(user: LoginThrottle.Policy(freeFailures: 5, baseDelay: 120))
        let f = try await WebFixture.make(logHandler: log.handler, throttle: throttle)
        let browser = TestBrowser(base: f.base)
        var token = try #require(await browser.get("/login").csrfToken)
        for attempt in 0..<5 {
            let wrong = await browser.post("/login", [("csrf", token), ("name", WebFixture.officer.0), ("password", "guess number \(attempt)")])
            #expect(wrong.status == 401)
            token = try #require(wrong.csrfToken)
        }
        let locked = await browser.post("/login", [("csrf", token), ("name", WebFixture.officer.0), ("password", WebFixture.officer.1)])
        #expect(locked.status == 429)
        #expect(locked.header("Retry-After").flatMap(Int.init).map { (1...120).contains($0) } == true, "the seconds left of the lockout")
        #expect(locked.text.contains(WebApp.tooManyAttempts))
        #expect(browser.cookies[SessionStore.cookieName] == nil)
        let lines = log.lines
        #expect(lines.filter { $0.contains("failed login") && $0.contains("user=\(WebFixture.officer.0)") && $0.contains("client=127.0.0.1") }.count == 5)
        #expect(lines.contains { $0.contains("too many failed attempts") })
        #expect(!lines.contains { $0.contains("guess number") || $0.contains(WebFixture.officer.1) }, "no password in the log")
        #expect(log.levels.allSatisfy { $0 == .warning })
        // Another user from another client is not held up.
        let auditor = try await f.loggedIn(WebFixture.auditor)
        #expect(auditor.cookies[SessionStore.cookieName] != nil)
        await f.stop()
    }
}

/// Keeps what the page logs, as `message key=value…` lines.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []

    var lines: [String] { lock.withLock { entries.map(\.1) } }
    var levels: [Logger.Level] { lock.withLock { entries.map(\.0) } }

    func record(_ level: Logger.Level, _ line: String) { lock.withLock { entries.append((level, line)) } }

    var handler: any LogHandler { Handler(recorder: self) }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            recorder.record(level, ([message.description] + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " "))
        }
    }
}
