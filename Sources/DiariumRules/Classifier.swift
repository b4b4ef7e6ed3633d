import DiariumCore

/// Decides items in order for `diarium classify`: remembers each decided item's
/// journal and access by account and id, so an agency reply sees the item it answers
/// (`inReplyTo`) and is journaled or restricted like it.
public struct Classifier: Sendable {
    public let rulebook: Rulebook
    private var seen: [ItemKey: AnsweredItem] = [:]

    private struct ItemKey: Hashable, Sendable {
        var account: String
        var id: String
    }

    public init(rulebook: Rulebook) {
        self.rulebook = rulebook
    }

    public mutating func classify(_ item: Item) -> Decision {
        let answering = item.inReplyTo.flatMap { seen[ItemKey(account: item.account, id: $0)] }
        let decision = rulebook.decide(item, answering: answering)
        let key = ItemKey(account: item.account, id: item.id)
        // A new version of an item is decided anew, but a journal entry is never
        // undone: an item once journaled still counts as journaled for its answers.
        let wasJournaled = seen[key]?.journal ?? false
        seen[key] = AnsweredItem(journal: decision.journal || wasJournaled, access: decision.access)
        return decision
    }

    /// What the classifier remembers about an item it has decided, if anything.
    public func answered(account: String, id: String) -> AnsweredItem? {
        seen[ItemKey(account: account, id: id)]
    }
}
