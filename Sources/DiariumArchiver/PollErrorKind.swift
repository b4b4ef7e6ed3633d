import DiariumConnectors
import DiariumCore
import DiariumHTTP
import DiariumStore
import Foundation

/// A failed poll sorted into a few stable kinds: metric labels must not explode, and
/// the daemon reacts differently to some (a full disk pauses every write).
public enum PollErrorKind: String, Sendable, Hashable, CaseIterable {
    case connect, dns, tls, timeout, reset, bodyTooLarge = "body_too_large", rateLimited = "rate_limited"
    case transport, notFound = "not_found", lookup, config, unavailable
    /// The registry refused the write: disk full, file read-only, I/O error.
    case registryUnwritable = "registry_unwritable"
    case registry, cancelled, other

    /// The kinds the client retries until `[poll] attempts` run out: a poll that failed
    /// this way spent the account's whole request budget for the cycle.
    public var exhaustsRequestBudget: Bool {
        [.connect, .dns, .timeout, .reset, .transport].contains(self)
    }

    /// Sorts any error a poll can throw. Connectors wrap transport failures in
    /// `ConnectorError.unreachable` with the HTTP error's sentence, so that sentence is
    /// read too.
    public static func classify(_ error: any Error) -> PollErrorKind {
        if error is CancellationError { return .cancelled }
        if let http = error as? HTTPError { return classify(http) }
        if let connector = error as? ConnectorError {
            switch connector {
            case .misconfigured, .unreadableCredentials: return .config
            case .accountNotFound: return .notFound
            case .lookupFailed(_, _, let problem): return classify(text: problem) ?? .lookup
            case .unreachable(_, _, let reason): return classify(text: reason) ?? .transport
            }
        }
        if let registry = error as? RegistryError { return isUnwritable(registry.message) ? .registryUnwritable : .registry }
        if let archiver = error as? ArchiverError { return classify(text: archiver.message) ?? .config }
        return classify(text: "\(error)") ?? .other
    }

    static func classify(_ error: HTTPError) -> PollErrorKind {
        switch error.code {
        case .connectFailed: return classify(text: error.detail) ?? .connect
        case .timedOut: return .timeout
        case .bodyTooLarge: return .bodyTooLarge
        case .tooManyRedirects, .invalidURL, .addressRefused: return .config
        case .rateLimited: return .rateLimited
        case .cancelled: return .cancelled
        case .transport: return classify(text: error.detail) ?? .transport
        }
    }

    /// Recognises curl's and SQLite's wording where only a sentence survived.
    static func classify(text: String) -> PollErrorKind? {
        let lower = text.lowercased()
        if lower.contains("was cancelled") { return .cancelled }
        // HTTPError.addressRefused: a setting, not a host that failed to answer.
        if lower.contains("allow_addresses") { return .config }
        if lower.contains("resolve") { return .dns }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate") { return .tls }
        if lower.contains("timed out") || lower.contains("timeout") { return .timeout }
        if lower.contains("exceeded the configured limit") { return .bodyTooLarge }
        if lower.contains("rate-limiting") { return .rateLimited }
        if lower.contains("could not connect") || lower.contains("connection refused") || lower.contains("couldn't connect") { return .connect }
        if lower.contains("reset") || lower.contains("connection broke") || lower.contains("partial") { return .reset }
        if isUnwritable(lower) { return .registryUnwritable }
        return nil
    }

    /// SQLite's messages for "this file cannot be written now".
    public static func isUnwritable(_ message: String) -> Bool {
        let lower = message.lowercased()
        return ["disk is full", "readonly database", "read-only", "disk i/o error", "unable to open database", "no space left"]
            .contains { lower.contains($0) }
    }
}

/// Counts from one committed harvest, for metrics: new items by kind, and the rules of
/// the decisions that produced a new item or a new version.
struct PollStatistics {
    var newItemsByKind: [String: Int] = [:]
    var decisionsByRule: [String: Int] = [:]

    init() {}

    /// Folds in the figures of one more chunk of the same poll.
    mutating func add(_ other: PollStatistics) {
        newItemsByKind.merge(other.newItemsByKind, uniquingKeysWith: +)
        decisionsByRule.merge(other.decisionsByRule, uniquingKeysWith: +)
    }

    init(batch: RegistryBatch, prior: [String: PriorState]) {
        var seen = Set<String>()
        for version in batch.versions {
            let item = version.item
            let isNew = prior[item.id] == nil
            if isNew, seen.insert(item.id).inserted { newItemsByKind[item.kind.rawValue, default: 0] += 1 }
            if isNew || prior[item.id]?.editedAt != item.editedAt {
                for rule in version.decision.rules { decisionsByRule[rule, default: 0] += 1 }
            }
        }
    }
}
