import DiariumCore

/// A rule file that cannot be used. The message is one sentence naming the file and
/// the key at fault, because a records officer or sysadmin edits these files by hand
/// and must be able to find the mistake without reading Swift.
public struct RulebookError: UserFacingError, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public init(message: String) {
        self.message = message
    }

    static func unknownKey(_ file: String, _ key: String, allowed: [String]) -> RulebookError {
        RulebookError("\(file): unknown key '\(key)' (allowed here: \(allowed.sorted().joined(separator: ", "))).")
    }

    static func badValue(_ file: String, _ key: String, _ problem: String) -> RulebookError {
        RulebookError("\(file): key '\(key)' \(problem).")
    }

    static func missing(_ file: String, _ key: String) -> RulebookError {
        RulebookError("\(file): key '\(key)' is required but missing.")
    }
}
