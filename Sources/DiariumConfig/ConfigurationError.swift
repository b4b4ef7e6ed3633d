import DiariumCore

/// A configuration problem: one sentence naming the file and the key at fault.
/// The command line exits with status 2 on it.
public struct ConfigurationError: UserFacingError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
