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
    /// The agency's language: the archive leader signs a document in it.
    public var language: Language

    public init(plan: DisposalPlan, tombstones: [Tombstone], language: Language = .en) {
        self.plan = plan
        self.tombstones = tombstones
        self.language = language
    }

    private func t(_ key: MessageKey, _ arguments: String...) -> String {
        Messages.text(key, language, arguments: arguments)
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
        var out = t(.disposalReportTitle, String(plan.number)) + "\n"
        out += t(.disposalReportAsOf, language.day(plan.asOf), plan.madeAt, plan.madeBy) + "\n"
        if let at = plan.executedAt {
            out += t(.disposalReportExecuted, at, plan.executedBy ?? "?") + "\n" + t(.disposalReportWhy, plan.executeReason ?? "") + "\n"
        } else {
            out += t(.disposalReportNotYet, "`diarium dispose execute \(plan.number) --reason \"…\"`") + "\n"
        }
        out += "\n" + (tombstones.count == 1 ? t(.disposalReportDisposedOne) : t(.disposalReportDisposedMany, String(tombstones.count))) + "\n"
        for c in counts { out += "  \(c.account)  \(c.rule)  \(c.count)\n" }
        out += "\n" + t(.disposalReportHeld, String(plan.held.count)) + "\n"
        for item in plan.held { out += "  \(item.reference)  \(item.rule)  \(t(.disposalHeldBy, item.holds.joined(separator: ", ")))\n" }
        let skipped = notDisposed
        if !skipped.isEmpty {
            out += "\n" + t(.disposalReportNotDisposed, String(skipped.count)) + "\n"
            for item in skipped { out += "  \(item.reference)  \(item.rule)\n" }
        }
        out += "\n" + t(.disposalReportEvidence, String(evidence.count)) + "\n"
        for e in evidence { out += "  \(e.sha256)  \(t(.disposalReportCapturedWith, e.item))\n" }
        out += "\n" + t(.disposalReportReview, String(plan.review.count)) + "\n"
        out += "\n" + t(.disposalReportApproved) + "\n\n" + t(.disposalReportSignature) + "\n"
        return out
    }

    /// One CSV: section, account, rule, item, count, detail (headers and section names in
    /// the report's language); sections: the plan, disposed (a count per account and
    /// rule), held, not disposed, evidence (a kept body per row).
    public func csv() -> String {
        var rows = [[t(.disposalColumnSection), t(.disposalColumnAccount), t(.disposalColumnRule), t(.disposalColumnItem),
                     t(.disposalColumnCount), t(.disposalColumnDetail)]]
        rows.append([t(.disposalSectionPlan), "", "", "", "\(plan.number)",
                     t(.disposalPlanDetail, language.day(plan.asOf), plan.executedAt ?? t(.no), plan.executedBy ?? "-", plan.executeReason ?? "")])
        for c in counts { rows.append([t(.disposalSectionDisposed), c.account, c.rule, "", "\(c.count)", ""]) }
        for item in plan.held { rows.append([t(.disposalSectionHeld), item.account, item.rule, item.id, "1", item.holds.joined(separator: "; ")]) }
        for item in notDisposed { rows.append([t(.disposalSectionNotDisposed), item.account, item.rule, item.id, "1", ""]) }
        for t in tombstones {
            for sha in t.keptBodies { rows.append([self.t(.disposalSectionEvidence), t.account, t.rule, t.id, "1", sha]) }
        }
        return rows.map { $0.map(Escape.csv).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// A disposal plan as `dispose plan` prints it, in the agency's language: due, held and
/// for-review items apart, each with its rule, retention and the day its period ended.
public enum DisposalPlanText {
    public static func render(_ plan: DisposalPlan, language: Language = .en) -> String {
        func t(_ key: MessageKey, _ arguments: String...) -> String { Messages.text(key, language, arguments: arguments) }
        var out = t(.disposalPlanHeading, String(plan.number), language.day(plan.asOf), plan.madeAt, plan.madeBy)
        if let at = plan.executedAt { out += "\n" + t(.disposalPlanExecuted, at, plan.executedBy ?? "?", plan.executeReason ?? "") }
        func line(_ item: PlannedItem) -> String {
            var text = "  \(item.reference)  \(item.kind)  \(t(.disposalCreated, language.day(item.day)))  \(item.rule)  \(item.retention)"
            text += item.period.map { " \($0)" } ?? ""
            text += ", " + t(item.status == .review ? .disposalReviewDue : .disposalEnded, language.day(item.disposeAfter))
            if let basis = item.basis { text += "  (\(basis))" }
            if !item.holds.isEmpty { text += "  " + t(.disposalHeldBy, item.holds.joined(separator: ", ")) }
            return text
        }
        for (heading, items) in [(t(.webDueForDisposal), plan.due), (t(.webHeldItems), plan.held), (t(.webAwaitingReview), plan.review)] {
            out += "\n\n\(heading): \(items.count)"
            for item in items { out += "\n" + line(item) }
        }
        if !plan.review.isEmpty {
            out += "\n\n" + t(.disposalDecideReview, "diarium review override ID --retention B|K [--period 1y --retention-basis \"…\"] --reason \"…\"")
        }
        if plan.executedAt == nil && !plan.due.isEmpty {
            out += "\n\n" + t(.disposalNextSteps, "diarium dispose execute \(plan.number) --reason \"…\"", "diarium dispose report \(plan.number)")
        }
        return out
    }
}
