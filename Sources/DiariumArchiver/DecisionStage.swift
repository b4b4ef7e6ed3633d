import DiariumCore
import DiariumRules
import DiariumStore

/// Decides every item of one harvest in order, so a reply sees the decision on the
/// item it answers whether that item came in this harvest or an earlier one, and an
/// item once journaled stays journaled whatever its new version says.
struct DecisionStage {
    let rulebook: Rulebook
    /// What the registry already holds for the items and the items they answer.
    var prior: [String: PriorState]
    /// Decisions made earlier in this harvest, by item id.
    private var decided: [String: Decision] = [:]

    init(rulebook: Rulebook, prior: [String: PriorState]) {
        self.rulebook = rulebook
        self.prior = prior
    }

    mutating func decide(_ item: Item) -> Decision {
        let answering = item.inReplyTo.flatMap { parent -> AnsweredItem? in
            if let d = decided[parent] { return AnsweredItem(journal: d.journal, access: d.access) }
            if let p = prior[parent] { return AnsweredItem(journal: p.decision.journal || p.journalNumber != nil, access: p.decision.access) }
            return nil
        }
        var decision = rulebook.decide(item, answering: answering)
        let wasJournaled = (decided[item.id]?.journal ?? false) || prior[item.id]?.journalNumber != nil
        if wasJournaled && !decision.journal {
            decision.journal = true
            decision.status = decision.status ?? .M
            decision.reason += " Journaled earlier: a journal entry is never removed, so this version stays journaled."
        }
        decided[item.id] = decision
        return decision
    }
}
