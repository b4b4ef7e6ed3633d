import DiariumCore

/// A registry failure a person can act on: the message names the file and what is wrong.
public struct RegistryError: UserFacingError {
    public var message: String
    /// The path given does not lead to a usable registry (missing, foreign, unreadable,
    /// from another schema): a setup mistake like a wrong configuration key, which the
    /// command line reports with exit status 2, apart from failures while working.
    public var isAboutTheFile: Bool

    public init(_ message: String, isAboutTheFile: Bool = false) {
        self.message = message
        self.isAboutTheFile = isAboutTheFile
    }
}
