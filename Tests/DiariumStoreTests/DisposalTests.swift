import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import GRDB
import Testing

/// The records officer's disposal workflow on a real registry: what a plan lists and
/// never lists, what execution removes and what stays, holds and their release, and
/// `verify` telling a lawful disposal from tampering.
@Suite("Disposal")
struct DisposalTests {
    typealias R = RegistryTests

    static let basis = "Etatens kassasjonsvedtak 2026/7"

    /// A decision with retention K (or G) and a period ending on `ends`.
    static func decision(_ id: String, _ retention: Retention, period: String?, ends: String?, journal: Bool = false, rule: String = "NO-spam") -> Decision {
        var d = Decision(id: id, account: "etaten", journal: journal, type: .I, status: journal ? .M : nil, access: .open,
                         retention: retention, rules: [rule], reason: "test", profile: "no@test")
        d.retentionPeriod = period
        d.retentionEnds = ends
        d.retentionBasis = retention == .K ? basis : nil
        return d
    }

    /// Items of a thread under the agency's post "1":
    /// 2 spam (K, ended 2026-11-21), captured in the same response as 3 (G, no period: kept);
    /// 4 spam (K 1y, ended) alone in its response; 5 K but journaled; 6 K 5y (not yet);
    /// 7 K ended but held; 8 G whose review fell due.
    static func fixture(_ registry: Registry) throws {
        let now = Date()
        let post = R.item("1", text: "Ny ordning for bostøtte", agency: true, kind: .post)
        var first = RegistryBatch(account: "etaten", platform: .mastodon, checkpoint: Checkpoint([:]),
                                  captures: [R.capture("[post]"), R.capture("[shared 2 and 3]"), R.capture("[alone 4]"), R.capture("[rest]")])
        func version(_ item: Item, _ d: Decision, _ capture: Int) -> DecidedVersion { DecidedVersion(item: item, decision: d, captureIndex: capture) }
        first.versions = [
            version(post, decision("1", .B, period: nil, ends: nil, rule: "NO-agency-post"), 0),
            version(R.item("2", text: "Vinn stort på casino", replyTo: "1", root: "1"), decision("2", .K, period: "1y", ends: "2026-11-21"), 1),
            version(R.item("3", text: "Fint initiativ", replyTo: "1", root: "1"), decision("3", .G, period: nil, ends: nil, rule: "NO-comment"), 1),
            version(R.item("4", text: "Tjen penger med bitcoin", replyTo: "1", root: "1"), decision("4", .K, period: "1y", ends: "2026-11-21"), 2),
            version(R.item("5", text: "Hvordan søker jeg casino-lisens?", replyTo: "1", root: "1"), decision("5", .K, period: "1y", ends: "2026-11-21", journal: true), 3),
            version(R.item("6", text: "Mer casino her", replyTo: "1", root: "1"), decision("6", .K, period: "5y", ends: "2031-11-20"), 3),
            version(R.item("7", text: "Casino-reklame som er bevis i en sak", replyTo: "1", root: "1"), decision("7", .K, period: "1y", ends: "2026-11-21"), 3),
            version(R.item("8", text: "En kommentar til vurdering", replyTo: "1", root: "1"), decision("8", .G, period: "1y", ends: "2026-11-21", rule: "NO-comment"), 3),
        ]
        try registry.commit(first, now: now)
        try registry.placeHold(name: "tvist-2026-14", scope: .items([ItemReference(account: "etaten", id: "7")]),
                               reason: "Bevis i tvistesak 2026/14", actor: "kari", now: now)
    }

    static func withFixture(_ body: (Registry, TemporaryDirectory) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("registry.sqlite").path)
        try fixture(registry)
        try body(registry, dir)
    }

    static func ref(_ id: String) -> ItemReference { ItemReference(account: "etaten", id: id) }

    @Test("a plan lists what is due, and apart what is held or up for review; never a journaled or not-yet-due item")
    func planListsOnlyWhatIsDue() throws {
        try Self.withFixture { registry, _ in
            let early = try registry.makeDisposalPlan(asOf: "2026-11-20", actor: "kari")
            #expect(early.items.isEmpty)
            let plan = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            #expect(plan.number == early.number + 1)
            #expect(plan.due.map(\.id).sorted() == ["2", "4"])
            #expect(plan.held.map(\.id) == ["7"] && plan.held[0].holds == ["tvist-2026-14"])
            #expect(plan.review.map(\.id) == ["8"])
            let listed = Set(plan.items.map(\.id))
            #expect(!listed.contains("5") && !listed.contains("6") && !listed.contains("1") && !listed.contains("3"))
            #expect(plan.due[0].disposeAfter == "2026-11-21" && plan.due[0].rule == "NO-spam" && plan.due[0].basis == Self.basis)
            // The plan is recorded as made, and reads back the same.
            #expect(try registry.disposalPlan(number: plan.number) == plan)
            #expect(try registry.verify().problems == [])
        }
    }

    @Test("execute is refused without a reason, and disposes exactly the due items: content gone, tombstone stays")
    func executeDisposesAndLeavesATombstone() throws {
        try Self.withFixture { registry, _ in
            let plan = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            #expect(throws: RegistryError.self) { try registry.executeDisposalPlan(number: plan.number, reason: "  ", actor: "kari") }
            #expect(try registry.disposalPlan(number: plan.number)?.executedAt == nil)

            let shared = try #require(try registry.detail(of: Self.ref("3"))).versions[0].capture.sha256
            let alone = try #require(try registry.detail(of: Self.ref("4"))).versions[0].capture.sha256
            let outcome = try registry.executeDisposalPlan(number: plan.number, reason: "Kassasjonsliste godkjent av arkivleder", actor: "kari")
            #expect(outcome.disposed.sorted() == ["etaten:2", "etaten:4"])
            #expect(throws: RegistryError.self) { try registry.executeDisposalPlan(number: plan.number, reason: "again", actor: "kari") }

            // Gone from every reader of records.
            #expect(try registry.detail(of: Self.ref("2")) == nil)
            #expect(try registry.search("casino").map(\.item.id).sorted() == ["5", "6", "7"])
            #expect(try registry.search("bitcoin").isEmpty)
            #expect(try registry.search("").allSatisfy { $0.item.id != "2" && $0.item.id != "4" })
            #expect(try registry.journal(day: "2026-11-20").allSatisfy { !$0.item.text.contains("Vinn stort") && $0.item.id != "4" })
            #expect(try registry.thread(of: Self.ref("1")).map(\.item.id).sorted() == ["1", "3", "5", "6", "7", "8"])
            let selection = try registry.exportSelection(from: "2026-11-20", to: "2026-11-20")
            #expect(!String(describing: selection).contains("Vinn stort"))
            #expect(!String(describing: selection).contains("bitcoin"))
            let rows = try registry.pool.read { db in try String.fetchAll(db, sql: "SELECT json FROM itemVersion") }
            #expect(!rows.contains { $0.contains("Vinn stort") || $0.contains("bitcoin") })

            // The tombstone: when, who, why, plan, rule, hashes; bodies removed or kept.
            let tombstone = try #require(try registry.tombstone(of: Self.ref("2")))
            #expect(tombstone.plan == plan.number && tombstone.disposedBy == "kari" && tombstone.reason.hasPrefix("Kassasjonsliste"))
            #expect(tombstone.rule == "NO-spam" && tombstone.retention == "K" && tombstone.period == "1y" && tombstone.basis == Self.basis)
            #expect(tombstone.contentHashes.count == 1 && tombstone.contentHashes[0].hasPrefix("1:"))
            #expect(tombstone.day == "2026-11-20" && tombstone.caseNumber != nil)
            // The response shared with item 3 stays as its evidence; item 4's own is removed.
            #expect(tombstone.keptBodies == [shared] && tombstone.removedBodies.isEmpty)
            #expect(try registry.body(sha256: shared) != nil)
            #expect(try registry.tombstone(of: Self.ref("4"))?.removedBodies == [alone])
            #expect(try registry.body(sha256: alone) == nil)
            #expect(try registry.detail(of: Self.ref("3"))?.record.item.text == "Fint initiativ")
            #expect(try registry.exportCaptures(from: "2026-11-20", to: "2026-11-20").allSatisfy { $0.sha256 != alone })

            let report = try registry.verify()
            #expect(report.problems == [], "\(report.problems)")
            #expect(report.warnings.isEmpty, "\(report.warnings)")
            #expect(report.disposedItems == 2 && report.disposedBodies == 1)
            #expect(try registry.tombstones(from: "2026-11-20", to: "2026-11-20").map(\.id) == ["2", "4"])
            // The trail: one entry per item, and the plan's execution.
            let actions = try registry.pool.read { db in try String.fetchAll(db, sql: "SELECT action FROM changeLog WHERE actor = 'kari' ORDER BY id") }
            #expect(actions == ["hold", "dispose plan", "dispose", "dispose", "dispose execute"])
        }
    }

    @Test("a disposed item is not archived again when the platform still shows it")
    func disposedItemIsNotCapturedAgain() throws {
        try Self.withFixture { registry, _ in
            try registry.disposeItem(Self.ref("3"), reason: "Sletting etter personvernforordningen art. 17", actor: "kari")
            var edited = R.item("3", text: "Fint initiativ (endret)", replyTo: "1", root: "1")
            edited.editedAt = Date()
            try registry.commit(R.batch([(edited, Self.decision("3", .G, period: nil, ends: nil))], body: "[again]"))
            #expect(try registry.detail(of: Self.ref("3")) == nil)
            #expect(try registry.search("endret").isEmpty)
            #expect(try registry.verify().problems == [])
        }
    }

    @Test("an officer's erasure refuses a journaled, a held or a disposed item, and needs a reason")
    func erasureRefusals() throws {
        try Self.withFixture { registry, _ in
            #expect(throws: RegistryError.self) { try registry.disposeItem(Self.ref("5"), reason: "x", actor: "kari") }
            #expect(throws: RegistryError.self) { try registry.disposeItem(Self.ref("7"), reason: "x", actor: "kari") }
            #expect(throws: RegistryError.self) { try registry.disposeItem(Self.ref("3"), reason: "", actor: "kari") }
            let tombstone = try registry.disposeItem(Self.ref("3"), reason: "Innsigelse etter art. 21", actor: "kari")
            #expect(tombstone.plan == nil && tombstone.rule == "NO-comment")
            #expect(throws: RegistryError.self) { try registry.disposeItem(Self.ref("3"), reason: "again", actor: "kari") }
            #expect(try registry.verify().problems == [])
        }
    }

    @Test("a thread hold covers the thread; releasing the hold makes its items due in the next plan")
    func releaseMakesItemsDue() throws {
        try Self.withFixture { registry, _ in
            try registry.placeHold(name: "innsyn-2026-88", scope: .thread(Self.ref("4")), reason: "Innsynskrav under behandling", actor: "kari")
            let held = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            #expect(held.due.isEmpty && held.held.map(\.id).sorted() == ["2", "4", "7"])
            #expect(throws: RegistryError.self) { try registry.releaseHold(name: "innsyn-2026-88", reason: "", actor: "kari") }
            try registry.releaseHold(name: "innsyn-2026-88", reason: "Innsynskravet er avgjort", actor: "kari")
            try registry.releaseHold(name: "tvist-2026-14", reason: "Saken er rettskraftig avgjort", actor: "kari")
            #expect(throws: RegistryError.self) { try registry.releaseHold(name: "tvist-2026-14", reason: "again", actor: "kari") }
            let next = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            #expect(next.due.map(\.id).sorted() == ["2", "4", "7"] && next.held.isEmpty)
            // Executing the held plan disposes nothing: it listed nothing due.
            #expect(try registry.executeDisposalPlan(number: held.number, reason: "Godkjent", actor: "kari").disposed.isEmpty)
            let holds = try registry.holds()
            #expect(holds.count == 2 && holds.allSatisfy { !$0.isActive })
            #expect(try registry.verify().problems == [])
        }
    }

    @Test("a hold placed after the plan keeps its item at execution")
    func holdAfterPlanKeepsItem() throws {
        try Self.withFixture { registry, _ in
            let plan = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            try registry.placeHold(name: "kontoen", scope: .account("etaten"), reason: "Tilsyn", actor: "kari")
            let outcome = try registry.executeDisposalPlan(number: plan.number, reason: "Godkjent", actor: "kari")
            #expect(outcome.disposed.isEmpty && outcome.kept.count == 2)
            try registry.placeHold(name: "søk", scope: .query("casino", from: nil, to: nil), reason: "Søk", actor: "kari")
            let next = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            #expect(next.due.isEmpty)
            #expect(next.held.first { $0.id == "2" }?.holds == ["kontoen", "søk"])
            #expect(next.held.first { $0.id == "7" }?.holds == ["tvist-2026-14", "kontoen", "søk"])
        }
    }

    /// Each: SQL an adversary runs after a lawful disposal, and words the report must hold.
    static let tamperings: [(sql: String, expect: [String])] = [
        ("UPDATE tombstone SET reason = 'Etter avtale' WHERE id = 1", ["tombstone", "reason"]),
        ("UPDATE tombstone SET disposedBy = 'ola' WHERE id = 1", ["tombstone", "disposedBy"]),
        ("UPDATE tombstone SET planId = NULL WHERE id = 1", ["tombstone", "planId"]),
        ("DELETE FROM tombstone WHERE id = 2", ["tombstone row 2", "deleted"]),
        ("UPDATE changeLog SET details = replace(details, 'why:', 'because:') WHERE action = 'dispose'", ["dispose", "altered"]),
        ("UPDATE disposalPlan SET asOf = '2030-01-01'", ["disposal plan", "asOf"]),
        ("UPDATE disposalPlanItem SET status = 'due' WHERE status = 'held'", ["disposal plan item", "status"]),
        ("UPDATE legalHold SET releasedAt = '2027-01-01T00:00:00Z'", ["release of legal hold", "added"]),
        ("UPDATE legalHold SET reason = 'Ingen'", ["legal hold", "reason"]),
        ("DELETE FROM disposedBody", ["disposed body record", "deleted"]),
        // A body removed behind the program's back, not by a disposal.
        ("DELETE FROM blob WHERE body = CAST('[post]' AS BLOB)", ["captured body", "missing"]),
        // Content put back on a disposed item.
        ("DROP TRIGGER itemVersionNeverChanged; UPDATE itemVersion SET json = '{\"text\":\"Vinn stort\"}' WHERE itemId = 2", ["item version", "json"]),
        ("INSERT INTO versionText (rowid, text, author, facet, versionId) VALUES (99, 'Vinn stort', 'x', 'N', 2)", ["search index"]),
    ]

    @Test("verify fails when a tombstone, a hold, a plan or a disposal entry is altered, or a body vanishes unlawfully",
          arguments: Array(0..<tamperings.count))
    func tamperingAfterDisposalIsCaught(_ index: Int) throws {
        let (sql, expected) = Self.tamperings[index]
        try Self.withFixture { registry, _ in
            let plan = try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari")
            _ = try registry.executeDisposalPlan(number: plan.number, reason: "Godkjent av arkivleder", actor: "kari")
            #expect(try registry.verify().problems == [])
            try registry.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.inTransaction { try db.execute(sql: sql); return .commit }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
            let report = try registry.verify()
            #expect(!report.problems.isEmpty, "\(sql) went unnoticed")
            let text = report.problems.joined(separator: "\n")
            for word in expected { #expect(text.contains(word), "\(sql): \(text)") }
        }
    }
}

extension DisposalTests {
    @Test("a retention review: the officer sets K with a period and basis, and the item is due in the next plan")
    func retentionReviewByOverride() throws {
        try Self.withFixture { registry, _ in
            #expect(try registry.retentionReviews(asOf: "2028-01-01").map(\.id) == ["8"])
            var noBasis = OfficerOverride(reason: "Vurdert: kan kasseres")
            noBasis.retention = .K
            noBasis.retentionPeriod = RetentionPeriod("1y")
            #expect(throws: RegistryError.self) { try registry.override(Self.ref("8"), actor: "kari", change: noBasis, day: "2028-01-02") }
            var change = noBasis
            change.retentionBasis = Self.basis
            _ = try registry.override(Self.ref("8"), actor: "kari", change: change, day: "2028-01-02")
            let decision = try #require(try registry.detail(of: Self.ref("8"))?.record.decision)
            #expect(decision.retention == .K && decision.retentionPeriod == "1y" && decision.retentionEnds == "2027-11-20")
            #expect(try registry.retentionReviews(asOf: "2028-01-01").isEmpty)
            #expect(try registry.makeDisposalPlan(asOf: "2028-01-01", actor: "kari").due.map(\.id).sorted() == ["2", "4", "8"])
            #expect(try registry.verify().problems == [])
        }
    }
}

extension DisposalTests {
    @Test("a plan made for a later day disposes nothing whose period has not ended by the day it is executed")
    func futurePlanWaitsForThePeriod() throws {
        try Self.withFixture { registry, _ in
            let plan = try registry.makeDisposalPlan(asOf: "2032-01-01", actor: "kari")
            #expect(plan.due.map(\.id).sorted() == ["2", "4", "6"])
            let outcome = try registry.executeDisposalPlan(number: plan.number, reason: "Godkjent", actor: "kari",
                                                           now: try #require(Timestamp.parse("2026-12-03T12:00:00Z")))
            #expect(outcome.disposed.sorted() == ["etaten:2", "etaten:4"])
            #expect(outcome.kept["etaten:6"]?.contains("not yet due") == true)
            #expect(try registry.tombstone(of: Self.ref("6")) == nil)
        }
    }
}
