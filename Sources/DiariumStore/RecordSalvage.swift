import DiariumCore
import Foundation

/// Reading a stored item or decision JSON that the fast reader (`RecordReader`) declined:
/// the Codable reader decides, and when it fails too the row is damaged (edited behind
/// the registry's back, or written by a version that stored a date it cannot read back).
/// A damaged row never fails the read it is part of: the item is shown from what can be
/// read and the damage is named in a `DamagedRecord`. Runs only off the happy path.
enum RecordSalvage {
    /// The version's item: the Codable reader's, or without the dates that do not parse,
    /// or else `facts` (the item's columns); anything short of the whole item is noted.
    static func item(_ json: String?, facts columns: Item, version: Int, damaged: inout [DamagedRecord]) -> Item {
        var shown = columns
        let problem: String
        if let json {
            do {
                return try JSONLines.decode(Item.self, from: json)
            } catch {
                if let (item, skipped) = try? Item.decodeSkippingBadDates(from: json) {
                    shown = item
                    problem = skipped.map { "\($0.field) '\($0.value)' is not a date" }.joined(separator: "; ") + "; shown without it"
                } else {
                    problem = "\(describe(error)); shown from the item's columns (no text or author)"
                }
            }
        } else {
            problem = "the version has no content; shown from the item's columns"
        }
        damaged.append(DamagedRecord(account: columns.account, id: columns.id, version: version, part: .item, problem: problem))
        return shown
    }

    /// The decision, or nil (noted) when its JSON cannot be read: the outputs then screen
    /// the item as `Access.unreadable`.
    static func decision(_ json: String, account: String, id: String, version: Int, damaged: inout [DamagedRecord]) -> Decision? {
        do {
            return try JSONLines.decode(Decision.self, from: json)
        } catch {
            damaged.append(DamagedRecord(account: account, id: id, version: version, part: .decision,
                                         problem: "\(describe(error)); shown without a decision, screened as restricted"))
            return nil
        }
    }

    /// What the item table itself says about an item: enough to name it, place it in its
    /// thread and journal day, and tell the agency's items from the public's.
    static func facts(account: String, id: String, platform: String?, kind: String?, agency: Bool, inReplyTo: String?,
                      threadRoot: String?, createdAt: String?) -> Item {
        Item(platform: platform.flatMap(Platform.init(rawValue:)) ?? .feed, account: account, id: id,
             kind: kind.flatMap(ItemKind.init(rawValue:)) ?? .post, author: Author(id: "", agency: agency),
             inReplyTo: inReplyTo, threadRoot: threadRoot, createdAt: createdAt.flatMap(Timestamp.parse), text: "")
    }

    /// The JSON type a Swift type is read from.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }

    /// A decoding error in a few words: where in the JSON, and what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "not a JSON object"
        case .typeMismatch(let type, let context):
            return "\(path(context)) is not \(describe(type))"
        case .valueNotFound(_, let context):
            return "\(path(context)) is null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "the key '\(key.stringValue)' is missing\(parent.isEmpty ? "" : " in \(parent)")"
        @unknown default:
            return "\(error)"
        }
    }
}
