import DiariumCore
@testable import DiariumHTTP
import Foundation
import Testing

@Suite struct RateLimitSignalTests {
    let now = Date(timeIntervalSince1970: 1_741_100_000) // 2025-03-04T14:53:20Z

    func resume(_ headers: [(String, String)]) -> Date? {
        RateLimitSignal.resumeDate(in: headers.map { HTTPHeader($0.0, $0.1) }, now: now)
    }

    @Test func retryAfterSeconds() {
        #expect(resume([("Retry-After", "120")]) == now.addingTimeInterval(120))
        #expect(resume([("retry-after", " 0 ")]) == now)
    }

    @Test func retryAfterHTTPDate() {
        let date = resume([("Retry-After", "Tue, 04 Mar 2025 15:05:00 GMT")])
        #expect(date == Timestamp.parseRFC3339("2025-03-04T15:05:00Z"))
    }

    @Test func mastodonISOWithMicroseconds() throws {
        let date = try #require(resume([("X-RateLimit-Reset", "2025-03-04T15:05:00.418206Z")]))
        let expected = try #require(Timestamp.parseRFC3339("2025-03-04T15:05:00Z")).addingTimeInterval(0.418206)
        #expect(abs(date.timeIntervalSince(expected)) < 0.000_01)
    }

    @Test func epochVariants() {
        #expect(resume([("X-RateLimit-Reset", "1741100060")]) == Date(timeIntervalSince1970: 1_741_100_060))
        #expect(resume([("x-rate-limit-reset", "1741100090")]) == Date(timeIntervalSince1970: 1_741_100_090))
        #expect(resume([("RateLimit-Reset", "1741100300")]) == Date(timeIntervalSince1970: 1_741_100_300))
    }

    @Test func rateLimitResetDeltaSeconds() {
        #expect(resume([("RateLimit-Reset", "30")]) == now.addingTimeInterval(30))
    }

    @Test func retryAfterWinsOverReset() {
        #expect(resume([("X-RateLimit-Reset", "1741100600"), ("Retry-After", "5")]) == now.addingTimeInterval(5))
    }

    @Test func garbageIsIgnored() {
        #expect(resume([]) == nil)
        #expect(resume([("Retry-After", "soon")]) == nil)
        #expect(resume([("Retry-After", "-3")]) == nil)
        #expect(resume([("X-RateLimit-Reset", "tomorrow")]) == nil)
        #expect(resume([("RateLimit-Reset", "")]) == nil)
        #expect(resume([("X-RateLimit-Reset", "2025-13-45T99:00:00Z")]) == nil)
        // A garbage Retry-After does not hide a good reset header.
        #expect(resume([("Retry-After", "soon"), ("RateLimit-Reset", "10")]) == now.addingTimeInterval(10))
    }

    @Test func serverClockSkewIsCorrected() {
        // The server's clock runs 10 minutes ahead; its reset "in one minute" is one minute from our now.
        let headers = [("Date", "Tue, 04 Mar 2025 15:03:20 GMT"), ("X-RateLimit-Reset", "2025-03-04T15:04:20Z")]
        #expect(resume(headers) == now.addingTimeInterval(60))
        // Small skews (Date has one-second resolution) are left alone.
        let close = [("Date", "Tue, 04 Mar 2025 14:53:21 GMT"), ("X-RateLimit-Reset", "1741100060")]
        #expect(resume(close) == Date(timeIntervalSince1970: 1_741_100_060))
    }

    @Test func exhaustedQuota() {
        #expect(RateLimitSignal.isExhausted([HTTPHeader("X-RateLimit-Remaining", "0")]))
        #expect(RateLimitSignal.isExhausted([HTTPHeader("ratelimit-remaining", "0")]))
        #expect(RateLimitSignal.isExhausted([HTTPHeader("x-rate-limit-remaining", "0")]))
        #expect(!RateLimitSignal.isExhausted([HTTPHeader("X-RateLimit-Remaining", "12")]))
        #expect(!RateLimitSignal.isExhausted([HTTPHeader("X-RateLimit-Remaining", "n/a")]))
        #expect(!RateLimitSignal.isExhausted([]))
    }
}

@Suite struct RetryPolicyTests {
    @Test func delaysAreCappedExponentialWithFullJitter() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(500), maxDelay: .seconds(3))
        #expect(policy.ceiling(afterAttempt: 1) == .milliseconds(500))
        #expect(policy.ceiling(afterAttempt: 2) == .seconds(1))
        #expect(policy.ceiling(afterAttempt: 3) == .seconds(2))
        #expect(policy.ceiling(afterAttempt: 4) == .seconds(3))
        #expect(policy.ceiling(afterAttempt: 40) == .seconds(3))
        for attempt in 1...6 {
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay >= .zero && delay <= policy.ceiling(afterAttempt: attempt))
        }
    }

    @Test func defaults() {
        let configuration = HTTPClientConfiguration()
        #expect(configuration.retry.maxAttempts == 4)
        #expect(configuration.maxBodyBytes == 32 * 1024 * 1024)
        #expect(configuration.userAgent == "Diarium/0.1 (+https://example.org/diarium)")
        #expect(configuration.maxRateLimitWait == .seconds(900))
        #expect(diariumVersion == "0.1.0")
    }
}

@Suite struct RedactionTests {
    @Test func credentialsNeverReachMessages() {
        let url = "https://graph.example/v19.0/me/posts?fields=id&access_token=EAAB123secret#top"
        #expect(redactedURL(url) == "https://graph.example/v19.0/me/posts?fields=id&access_token=REDACTED#top")
        #expect(redactedURL("https://user:pw@host.example/x") == "https://REDACTED@host.example/x")
        let error = HTTPError(code: .connectFailed, method: "GET", url: url, attempts: 4, detail: "Connection refused")
        #expect(!error.description.contains("EAAB123secret"))
        #expect(error.description.contains("after 4 attempts"))
    }
}
