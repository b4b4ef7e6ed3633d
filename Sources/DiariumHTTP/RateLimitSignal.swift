import DiariumCore
import Foundation

/// Reads "come back at" from the several rate-limit dialects the platforms speak
/// (feed-apis.md §8.3):
///
/// * `Retry-After`: delta seconds or an HTTP-date (generic servers, feeds, Bluesky on 429);
/// * `X-RateLimit-Reset` / `x-rate-limit-reset`: ISO 8601 with microseconds
///   (Mastodon) or epoch seconds (GoToSocial, X);
/// * `RateLimit-Reset`: epoch seconds (Bluesky) or delta seconds (IETF draft).
///
/// Pure functions of the headers and the current time, so every dialect is unit-tested.
public enum RateLimitSignal {
    /// Numbers above this are epoch seconds; below, a delta. 10^9 s is 2001-09-09,
    /// and no server asks for a 31-year pause.
    static let epochThreshold = 1_000_000_000.0

    /// Server clocks within this much of ours are trusted as is; the `Date` header has
    /// one-second resolution, so correcting smaller skews would add noise, not remove it.
    static let skewTolerance: TimeInterval = 2

    /// Mastodon/GoToSocial, X (note the extra hyphen), IETF draft/Bluesky.
    static let resetNames = ["X-RateLimit-Reset", "X-Rate-Limit-Reset", "RateLimit-Reset"]
    static let remainingNames = ["X-RateLimit-Remaining", "X-Rate-Limit-Remaining", "RateLimit-Remaining"]

    /// When the host will accept requests again, or nil when the headers say nothing
    /// usable. `Retry-After` wins over reset headers because it is the explicit answer
    /// to this very response. Absolute times are shifted by the server's clock skew
    /// (measured from its `Date` header) so a wrong server clock neither makes us
    /// hammer it nor sleep for hours.
    public static func resumeDate(in headers: [HTTPHeader], now: Date) -> Date? {
        let skew = clockSkew(headers, now: now)
        if let value = headers.value(for: "Retry-After"), let date = retryAfter(value, now: now, skew: skew) {
            return date
        }
        for name in resetNames {
            if let value = headers.value(for: name), let date = reset(value, now: now, skew: skew) { return date }
        }
        return nil
    }

    /// True when the response says no requests remain in the current window
    /// (`X-RateLimit-Remaining: 0` or `RateLimit-Remaining: 0`), so the next request
    /// to the host must wait for the reset even though this one succeeded.
    public static func isExhausted(_ headers: [HTTPHeader]) -> Bool {
        for name in remainingNames {
            if let value = headers.value(for: name), let remaining = Double(value.trimmingCharacters(in: .whitespaces)), remaining <= 0 {
                return true
            }
        }
        return false
    }

    /// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
    static func retryAfter(_ raw: String, now: Date, skew: TimeInterval) -> Date? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(value) {
            guard seconds >= 0, seconds.isFinite else { return nil }
            return now.addingTimeInterval(seconds)
        }
        guard let date = Timestamp.parseRFC822(value) else { return nil }
        return date.addingTimeInterval(-skew)
    }

    /// ISO 8601, epoch seconds (> 10^9) or delta seconds.
    static func reset(_ raw: String, now: Date, skew: TimeInterval) -> Date? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if let number = Double(value) {
            guard number >= 0, number.isFinite else { return nil }
            if number > epochThreshold {
                return Date(timeIntervalSince1970: number).addingTimeInterval(-skew)
            }
            return now.addingTimeInterval(number)
        }
        guard let date = Timestamp.parseRFC3339(value) else { return nil }
        return date.addingTimeInterval(-skew)
    }

    /// Server clock minus ours, when it is off by more than `skewTolerance`; else 0.
    static func clockSkew(_ headers: [HTTPHeader], now: Date) -> TimeInterval {
        guard let value = headers.value(for: "Date"), let serverNow = Timestamp.parseRFC822(value) else { return 0 }
        let skew = serverNow.timeIntervalSince(now)
        return abs(skew) > skewTolerance ? skew : 0
    }
}
