import DiariumCore

/// A registry failure a person can act on: the message names the file and what is wrong.
public struct RegistryError: UserFacingError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
