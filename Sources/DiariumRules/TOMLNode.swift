import Foundation
import TOMLKit

/// A parsed TOML document as plain Swift values. TOMLKit's tables and arrays are
/// reference types around a C++ tree (not Sendable); converting once right after
/// parsing keeps them out of the rulebook and lets the decoder report errors by key.
indirect enum TOMLNode: Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case table([String: TOMLNode])
    case array([TOMLNode])
    /// A float, date or time: never valid in a rule file, kept only to name its type.
    case other(String)

    /// Parses `text`; a syntax error becomes a RulebookError naming the file, line and column.
    static func parse(_ text: String, file: String) throws -> [String: TOMLNode] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw RulebookError(
                "\(file): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description).")
        }
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var out: [String: TOMLNode] = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    private static func convert(_ value: TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .bool: return .bool(value.bool ?? false)
        case .int: return .int(value.int ?? 0)
        case .table: return value.table.map { .table(convert($0)) } ?? .table([:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        default: return .other(value.type.rawValue)
        }
    }

    /// How the value is described in an error message.
    var typeName: String {
        switch self {
        case .string: "a string"
        case .bool: "a boolean"
        case .int: "an integer"
        case .table: "a table"
        case .array: "a list"
        case .other(let name): "a \(name)"
        }
    }
}

/// Reads one TOML table of a rule file: typed getters that throw a RulebookError
/// naming the file and the full key path, and a check that no unknown key is left.
struct TableReader {
    let file: String
    /// The key path of this table, e.g. `rule[3]` or `words.question`; empty at top level.
    let path: String
    let table: [String: TOMLNode]

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// Rejects keys outside `allowed`: a misspelt key must not silently do nothing.
    func checkKeys(_ allowed: [String]) throws {
        for name in table.keys.sorted() where !allowed.contains(name) {
            throw RulebookError.unknownKey(file, key(name), allowed: allowed)
        }
    }

    func string(_ name: String) throws -> String? {
        guard let node = table[name] else { return nil }
        guard case .string(let value) = node else {
            throw RulebookError.badValue(file, key(name), "must be a string, not \(node.typeName)")
        }
        return value
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw RulebookError.missing(file, key(name)) }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RulebookError.badValue(file, key(name), "must not be empty")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let node = table[name] else { return nil }
        guard case .bool(let value) = node else {
            throw RulebookError.badValue(file, key(name), "must be true or false, not \(node.typeName)")
        }
        return value
    }

    func int(_ name: String) throws -> Int? {
        guard let node = table[name] else { return nil }
        guard case .int(let value) = node else {
            throw RulebookError.badValue(file, key(name), "must be an integer, not \(node.typeName)")
        }
        return value
    }

    func strings(_ name: String) throws -> [String]? {
        guard let node = table[name] else { return nil }
        guard case .array(let items) = node else {
            throw RulebookError.badValue(file, key(name), "must be a list of strings, not \(node.typeName)")
        }
        return try items.map { item in
            guard case .string(let value) = item else {
                throw RulebookError.badValue(file, key(name), "must hold only strings, not \(item.typeName)")
            }
            return value
        }
    }

    func subtable(_ name: String) throws -> TableReader? {
        guard let node = table[name] else { return nil }
        guard case .table(let inner) = node else {
            throw RulebookError.badValue(file, key(name), "must be a table, not \(node.typeName)")
        }
        return TableReader(file: file, path: key(name), table: inner)
    }

    /// An array of tables (`[[rule]]`), each read with its index in the path.
    func tables(_ name: String) throws -> [TableReader] {
        guard let node = table[name] else { return [] }
        guard case .array(let items) = node else {
            throw RulebookError.badValue(file, key(name), "must be written as [[\(name)]] tables, not \(node.typeName)")
        }
        return try items.enumerated().map { index, item in
            guard case .table(let inner) = item else {
                throw RulebookError.badValue(file, key(name), "must be written as [[\(name)]] tables")
            }
            return TableReader(file: file, path: "\(key(name))[\(index + 1)]", table: inner)
        }
    }
}
