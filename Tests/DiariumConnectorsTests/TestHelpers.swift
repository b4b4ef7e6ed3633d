import DiariumCore
import Foundation

/// The agency account of the Mastodon fixtures (`mastodon/lookup.json`).
let agencyID = "110000000000000001"

/// RFC 3339 of an optional date, so assertions read like the fixtures.
func iso(_ date: Date?) -> String? { date.map(Timestamp.format) }

extension Array where Element == Item {
    func item(_ id: String) -> Item? { first { $0.id == id } }
}
