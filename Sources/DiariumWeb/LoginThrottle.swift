import Foundation

/// Slows password guessing down, in memory. Failed logins are counted per user name and
/// per client address; after a few failures in a row the key is locked for a delay that
/// doubles with each further failure (up to a cap), and a login attempt on a locked key
/// is answered 429 without running the password hash. A successful login clears the
/// user's and the client's count.
///
/// Both tables are bounded: an attacker who sends random user names cannot make them
/// grow past `capacity`; when one is full, entries whose lock and memory window have
/// passed are dropped first, then the least recently failed one.
public final class LoginThrottle: @unchecked Sendable {
    public struct Policy: Sendable {
        /// Failures in a row after which the key is locked.
        public var freeFailures: Int
        /// The first lock; it doubles with each further failure.
        public var baseDelay: TimeInterval
        public var maximumDelay: TimeInterval
        /// A key with no failure for this long is forgotten.
        public var forgetAfter: TimeInterval
        /// Most keys kept per table (user names, client addresses).
        public var capacity: Int

        public init(freeFailures: Int, baseDelay: TimeInterval = 1, maximumDelay: TimeInterval = 300,
                    forgetAfter: TimeInterval = 900, capacity: Int = 10_000) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
            self.forgetAfter = forgetAfter
            self.capacity = capacity
        }

        /// Per user name: five tries, then the lock.
        public static let user = Policy(freeFailures: 5)
        /// Per client address: more room, since one office may share an address (or a
        /// reverse proxy makes every client 127.0.0.1).
        public static let client = Policy(freeFailures: 20)
    }

    struct Entry {
        var failures: Int
        var lastFailure: Date
        var lockedUntil: Date
    }

    /// One table of keys under one policy. Used only under the throttle's lock.
    struct Table {
        let policy: Policy
        var entries: [String: Entry] = [:]

        /// The time left on the key's lock, or nil when it may try.
        func lockRemaining(_ key: String, now: Date) -> TimeInterval? {
            guard let entry = entries[key], entry.lockedUntil > now else { return nil }
            return entry.lockedUntil.timeIntervalSince(now)
        }

        mutating func fail(_ key: String, now: Date) {
            var entry = entries[key] ?? Entry(failures: 0, lastFailure: now, lockedUntil: .distantPast)
            if now.timeIntervalSince(entry.lastFailure) > policy.forgetAfter { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            let beyond = entry.failures - policy.freeFailures + 1
            if beyond > 0 {
                let delay = min(policy.maximumDelay, policy.baseDelay * pow(2, Double(min(beyond - 1, 30))))
                entry.lockedUntil = now.addingTimeInterval(delay)
            }
            if entries[key] == nil, entries.count >= policy.capacity { makeRoom(now: now) }
            entries[key] = entry
        }

        mutating func succeed(_ key: String) { entries[key] = nil }

        /// Drops forgotten entries; if none, the least recently failed one.
        mutating func makeRoom(now: Date) {
            let before = entries.count
            entries = entries.filter { $0.value.lockedUntil > now || now.timeIntervalSince($0.value.lastFailure) <= policy.forgetAfter }
            if entries.count == before, let oldest = entries.min(by: { $0.value.lastFailure < $1.value.lastFailure }) {
                entries[oldest.key] = nil
            }
        }
    }

    private let lock = NSLock()
    private var users: Table
    private var clients: Table

    public init(user: Policy = .user, client: Policy = .client) {
        users = Table(policy: user)
        clients = Table(policy: client)
    }

    /// Whether a login for `user` from `client` may be tried now; if not, how many seconds
    /// to wait (rounded up, at least 1).
    public func retryAfter(user: String, client: String, now: Date = Date()) -> Int? {
        lock.withLock {
            let wait = max(users.lockRemaining(user, now: now) ?? 0, clients.lockRemaining(client, now: now) ?? 0)
            return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
        }
    }

    public func failed(user: String, client: String, now: Date = Date()) {
        lock.withLock {
            users.fail(user, now: now)
            clients.fail(client, now: now)
        }
    }

    public func succeeded(user: String, client: String) {
        lock.withLock {
            users.succeed(user)
            clients.succeed(client)
        }
    }

    /// How many keys each table holds (for tests and the bound).
    var counts: (users: Int, clients: Int) { lock.withLock { (users.entries.count, clients.entries.count) } }
}
