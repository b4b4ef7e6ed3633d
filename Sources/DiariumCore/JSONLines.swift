import Foundation

/// One place that decides how the project writes and reads JSON, so every JSON
/// line printed by any command looks the same.
public enum JSONLines {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(line.utf8))
    }
}

/// An error a person can act on: the message names the file, key, account or item at
/// fault. The command line prints `message` alone, never a stack trace.
public protocol UserFacingError: Error, CustomStringConvertible {
    var message: String { get }
}

extension UserFacingError {
    public var description: String { message }
}
