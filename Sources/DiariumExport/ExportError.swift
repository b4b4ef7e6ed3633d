import DiariumCore

/// A failed export, said in one sentence that names the folder, range or file at fault.
/// Nothing is left half-written when it is thrown (see `OutputFolder`).
public struct ExportError: UserFacingError, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }

    /// A period that holds nothing to deliver, in the words of the period both archive
    /// deliveries use (`ExportPeriodBasis.journalDate`): the Noark 5 extract and the FGS
    /// package select alike, so they say so alike.
    static func nothingInPeriod(_ range: ExportRange) -> ExportError {
        ExportError("No journal post has a journal date, and no other item a day, \(range.description); nothing was exported.")
    }
}

/// Bad input the user can fix before anything is read: a `--out` that is a file or not
/// empty, a malformed or reversed period, a missing option an export needs. Every export
/// command exits 2 for it, as every other command does for a bad option, and 1 only for
/// a failure found while exporting.
public struct ExportUsageError: UserFacingError, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
