/// Where an account's harvest stands: opaque, platform-specific cursors (newest id seen,
/// ETag, Last-Modified, resolved account id). The registry stores it in the same
/// transaction as the items it covers, so a crash never skips or repeats an item.
public struct Checkpoint: Codable, Sendable, Hashable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }
}
