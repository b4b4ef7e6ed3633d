import DiariumCore

/// A failed export, said in one sentence that names the folder, range or file at fault.
/// Nothing is left half-written when it is thrown (see `OutputFolder`).
public struct ExportError: UserFacingError, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
