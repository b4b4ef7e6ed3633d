import Foundation

/// How often and how patiently a request is repeated after a transient failure.
///
/// Delays use "full jitter" (a uniform draw between zero and the capped exponential
/// delay) so that thousands of accounts failing together against one host do not
/// come back in lock-step and knock it over again.
public struct RetryPolicy: Sendable, Hashable {
    /// Total tries including the first one; 1 disables retrying.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Statuses worth another try: throttling and the gateway family. Everything
    /// else (404, 410, 401 …) is an answer and is returned at once.
    public var retryableStatuses: Set<Int>

    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
    }

    /// One attempt only: for callers that do their own scheduling.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The largest delay allowed after the given failed attempt (1-based):
    /// `min(maxDelay, baseDelay * 2^(attempt-1))`.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let seconds = min(maxDelay.seconds, baseDelay.seconds * pow(2, exponent))
        return .seconds(max(0, seconds))
    }

    /// A jittered delay in `0...ceiling(afterAttempt:)`.
    public func delay<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt).seconds
        guard ceiling > 0 else { return .zero }
        return .seconds(Double.random(in: 0...ceiling, using: &generator))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }
}

extension Duration {
    /// Fractional seconds, for arithmetic with `Date` and `TimeInterval`.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// Whole milliseconds (rounded up, so a timeout is never shorter than asked), for curl's `_MS` options.
    var wholeMilliseconds: Int {
        let (s, atto) = components
        let fromAtto = (atto + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(s) * 1000 + Int(fromAtto)
    }
}
