import DiariumCore
import Foundation

/// Puts the versions of every item in a harvest oldest first, with what the platform shows
/// now last. The registry numbers versions in the order they come and records a state that
/// differs from the current version (`VersionRule`), so the order a harvest hands over *is*
/// the item's history, and its last version is the one every reader is shown. A harvest reads in fetch order,
/// which is not time order: a timeline page shows a post as it is now, and its edit
/// history, fetched after it, shows what it was before.
///
/// The rules, the same for every platform:
/// 1. A revision read from an edit history yields to the live post it stands for: one with
///    the live post's content, or made at or after the live post's last edit, is left out.
///    The live post is the fuller record (URL, every field, the response it came in), and a
///    revision newer than the live post (an edit made between the two requests) would put
///    the post seen a moment earlier on top; the next poll sees that edit live.
/// 2. Versions of one item are ordered by their edit time (the original, never edited,
///    first; a history revision before a live post of the same time): inside one response
///    by reordering its items, across responses by moving a response that holds an older
///    version before the one that holds a newer. Everything else keeps its fetch order;
///    where two items would need opposite orders, fetch order stands.
enum VersionOrder {
    struct Entry {
        var observation: Observation
        /// Revisions read from an edit history (Mastodon `/history`), not the live post.
        var isHistory: Bool
    }

    /// Slack when comparing a revision's time with the live post's edit time: the
    /// platforms give both to the millisecond.
    static let sameMoment: TimeInterval = 0.001

    static func oldestFirst(_ entries: [Entry]) -> [Observation] {
        var entries = entries
        let hasHistory = entries.contains(where: \.isHistory)
        if hasHistory {
            yieldToLivePosts(&entries)
            entries.removeAll { $0.observation.items.isEmpty }
        }

        // Every item id's versions, in fetch order; nothing to do when none repeats.
        var occurrences: [String: [Occurrence]] = [:]
        var repeats = false
        for (entry, e) in entries.enumerated() {
            for (position, item) in e.observation.items.enumerated() {
                let occurrence = Occurrence(entry: entry, position: position, editedAt: item.editedAt, isHistory: e.isHistory)
                if occurrences[item.id]?.append(occurrence) == nil {
                    occurrences[item.id] = [occurrence]
                } else {
                    repeats = true
                }
            }
        }
        guard repeats else { return entries.map(\.observation) }

        var needs = [[Int]](repeating: [], count: entries.count)
        var reorder: Set<Int> = []
        for (_, versions) in occurrences where versions.count > 1 {
            let sorted = versions.sorted(by: Occurrence.isBefore)
            for (older, newer) in zip(sorted, sorted.dropFirst()) {
                if older.entry == newer.entry {
                    reorder.insert(older.entry)
                } else {
                    needs[newer.entry].append(older.entry)
                }
            }
        }
        for entry in needs.indices where needs[entry].count > 1 { needs[entry].sort() }
        for entry in reorder {
            entries[entry].observation.items = sortedWithin(entries[entry].observation.items, isHistory: entries[entry].isHistory)
        }
        return order(entries.count, needs: needs).map { entries[$0].observation }
    }

    // MARK: Rule 1

    private static func yieldToLivePosts(_ entries: inout [Entry]) {
        // The live version of each item: the newest any live response showed.
        var live: [String: Item] = [:]
        for entry in entries where !entry.isHistory {
            for item in entry.observation.items {
                if let known = live[item.id], isEarlier(item.editedAt, than: known.editedAt) { continue }
                live[item.id] = item
            }
        }
        guard !live.isEmpty else { return }
        var fingerprints: [String: String] = [:]
        for index in entries.indices where entries[index].isHistory {
            entries[index].observation.items.removeAll { revision in
                guard let now = live[revision.id] else { return false }
                if !isEarlier(revision.editedAt, than: now.editedAt) { return true }
                let fingerprint = fingerprints[revision.id] ?? now.contentHash
                fingerprints[revision.id] = fingerprint
                return revision.contentHash == fingerprint
            }
        }
    }

    /// True when a version edited at `a` is older than one edited at `b`; nil is the
    /// original, older than every edit.
    private static func isEarlier(_ a: Date?, than b: Date?) -> Bool {
        guard let b else { return false }
        guard let a else { return true }
        return a < b.addingTimeInterval(-sameMoment)
    }

    // MARK: Rule 2

    private struct Occurrence {
        var entry: Int
        var position: Int
        var editedAt: Date?
        var isHistory: Bool

        static func isBefore(_ a: Occurrence, _ b: Occurrence) -> Bool {
            if isEarlier(a.editedAt, than: b.editedAt) { return true }
            if isEarlier(b.editedAt, than: a.editedAt) { return false }
            if a.isHistory != b.isHistory { return a.isHistory }
            return (a.entry, a.position) < (b.entry, b.position)
        }
    }

    /// The items of one response with each item's versions moved into time order among
    /// the places they hold; every other item stays where it is.
    private static func sortedWithin(_ items: [Item], isHistory: Bool) -> [Item] {
        var places: [String: [Int]] = [:]
        for (position, item) in items.enumerated() { places[item.id, default: []].append(position) }
        var out = items
        for (_, positions) in places where positions.count > 1 {
            let sorted = positions.sorted {
                Occurrence.isBefore(Occurrence(entry: 0, position: $0, editedAt: items[$0].editedAt, isHistory: isHistory),
                                    Occurrence(entry: 0, position: $1, editedAt: items[$1].editedAt, isHistory: isHistory))
            }
            for (place, from) in zip(positions, sorted) { out[place] = items[from] }
        }
        return out
    }

    /// Fetch order, except that a response comes only after the responses it `needs`
    /// (those holding older versions of its items, in fetch order), which are moved up to
    /// just before it.
    /// A cycle leaves the responses in it in fetch order.
    private static func order(_ count: Int, needs: [[Int]]) -> [Int] {
        var state = [UInt8](repeating: 0, count: count)   // 0 waiting, 1 on the path, 2 placed
        var placed: [Int] = []
        placed.reserveCapacity(count)
        for first in 0..<count where state[first] == 0 {
            state[first] = 1
            var path: [(node: Int, next: Int)] = [(first, 0)]
            while let (node, next) = path.last {
                if next < needs[node].count {
                    path[path.count - 1].next += 1
                    let earlier = needs[node][next]
                    if state[earlier] == 0 {
                        state[earlier] = 1
                        path.append((earlier, 0))
                    }
                } else {
                    state[node] = 2
                    placed.append(node)
                    path.removeLast()
                }
            }
        }
        return placed
    }
}
