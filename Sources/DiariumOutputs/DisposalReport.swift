import DiariumCore
import DiariumStore
import Foundation

/// The disposal report of one plan, what the archive leader signs: what was disposed
/// (counts per rule and account), what the plan kept because a hold covered it, what was
/// due but not disposed at execution, and the captured bodies kept as evidence of other
/// items. Made from the registry's plan and tombstones, so it can be printed again.
public struct DisposalReport: Sendable {
    public var plan: DisposalPlan
    public var tombstones: [Tombstone]

    public init(plan: DisposalPlan, tombstones: [Tombstone]) {
        self.plan = plan
        self.tombstones = tombstones
    }

    /// Disposed items per account and rule, sorted.
    public var counts: [(account: String, rule: String, count: Int)] {
        var map: [String: [String: Int]] = [:]
        for t in tombstones { map[t.account, default: [:]][t.rule, default: 0] += 1 }
        return map.sorted { $0.key < $1.key }.flatMap { account, rules in rules.sorted { $0.key < $1.key }.map { (account, $0.key, $0.value) } }
    }

    /// Items the plan listed as due that have no tombstone of this plan.
    public var notDisposed: [PlannedItem] {
        guard plan.executedAt != nil else { return [] }
        let disposed = Set(tombstones.map(\.reference))
        return plan.due.filter { !disposed.contains($0.reference) }
    }

    /// Bodies kept as evidence of kept items, with the disposed item they were captured for.
    public var evidence: [(item: String, sha256: String)] {
        tombstones.flatMap { t in t.keptBodies.map { (t.reference, $0) } }
    }

    public func text() -> String {
        var out = "Disposal report — plan \(plan.number)\n"
        out += "Due as of:   \(plan.asOf) (plan made \(plan.madeAt) by \(plan.madeBy))\n"
        if let at = plan.executedAt {
            out += "Executed:    \(at) by \(plan.executedBy ?? "?")\nWhy:         \(plan.executeReason ?? "")\n"
        } else {
            out += "Executed:    not yet (`diarium dispose execute \(plan.number) --reason \"…\"`)\n"
        }
        out += "\nDisposed: \(tombstones.count) item\(tombstones.count == 1 ? "" : "s")\n"
        for c in counts { out += "  \(c.account)  \(c.rule)  \(c.count)\n" }
        out += "\nKept because of legal holds: \(plan.held.count)\n"
        for item in plan.held { out += "  \(item.reference)  \(item.rule)  held by \(item.holds.joined(separator: ", "))\n" }
        let skipped = notDisposed
        if !skipped.isEmpty {
            out += "\nDue but not disposed at execution (held since, journaled or decided anew): \(skipped.count)\n"
            for item in skipped { out += "  \(item.reference)  \(item.rule)\n" }
        }
        out += "\nCaptures kept as evidence of other items: \(evidence.count)\n"
        for e in evidence { out += "  \(e.sha256)  (captured with \(e.item))\n" }
        out += "\nFor retention review (never disposed by a plan): \(plan.review.count)\n"
        out += "\nApproved for disposal:\n\nArchive leader: ______________________   Date: ____________\n"
        return out
    }

    /// One CSV: `section,account,rule,item,count,detail`; sections `disposed` (a count per
    /// account and rule), `held`, `not disposed`, `evidence` (a kept body per row).
    public func csv() -> String {
        var rows = [["section", "account", "rule", "item", "count", "detail"]]
        rows.append(["plan", "", "", "", "\(plan.number)",
                     "as of \(plan.asOf); executed \(plan.executedAt ?? "no") by \(plan.executedBy ?? "-"); why: \(plan.executeReason ?? "")"])
        for c in counts { rows.append(["disposed", c.account, c.rule, "", "\(c.count)", ""]) }
        for item in plan.held { rows.append(["held", item.account, item.rule, item.id, "1", item.holds.joined(separator: "; ")]) }
        for item in notDisposed { rows.append(["not disposed", item.account, item.rule, item.id, "1", ""]) }
        for t in tombstones {
            for sha in t.keptBodies { rows.append(["evidence", t.account, t.rule, t.id, "1", sha]) }
        }
        return rows.map { $0.map(Escape.csv).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
