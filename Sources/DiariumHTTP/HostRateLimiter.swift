import Foundation

/// Remembers, per host, until when we promised to stay quiet. Filled from 429/503
/// responses and from successful responses that report an exhausted quota, so that
/// *every* request to that host (not just the one that was throttled) waits.
actor HostRateLimiter {
    struct Block: Sendable {
        var until: Date
        var reason: String
    }

    private var blocks: [String: Block] = [:]

    /// Extends (never shortens) the quiet period of a host.
    func block(_ host: String, until: Date, reason: String) {
        if let existing = blocks[host], existing.until >= until { return }
        blocks[host] = Block(until: until, reason: reason)
    }

    /// The pending quiet period of a host, if it has not passed yet. Expired entries
    /// are dropped here so the table stays as small as the set of throttled hosts.
    func pending(_ host: String, now: Date) -> Block? {
        guard let block = blocks[host] else { return nil }
        if block.until <= now {
            blocks[host] = nil
            return nil
        }
        return block
    }
}

/// The key a rate limit applies to: scheme-less host and port, lower-cased.
func hostKey(of url: String) -> String? {
    guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return nil }
    if let port = components.port { return "\(host.lowercased()):\(port)" }
    return host.lowercased()
}
