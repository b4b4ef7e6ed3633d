import DiariumCore
@testable import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

@Suite("Officer review")
struct ReviewTests {
    func registry(_ body: (Registry) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        try registry.commit(RegistryTests.batch([
            (RegistryTests.item("q", text: "Hvordan søker jeg?"), RegistryTests.decision("q", journal: true)),
            (RegistryTests.item("c", text: "Flott!"), RegistryTests.decision("c", journal: false)),
            (RegistryTests.item("r", text: "Hva med meg?"), RegistryTests.decision("r", journal: true)),
        ]))
        try body(registry)
    }

    @Test("approve moves M to J with the journal date, once; the change log names who")
    func approve() throws {
        try registry { registry in
            #expect(try registry.reviewQueue().map(\.item.id) == ["q", "r"])
            let outcome = try registry.approve(ItemReference(account: nil, id: "q"), actor: "kari.arkivar", day: "2026-11-21")
            #expect(outcome.status == .J)
            let record = try #require(try registry.detail(of: ItemReference(account: nil, id: "q"))).record
            #expect(record.status == .J)
            #expect(record.journalDate == "2026-11-21")
            #expect(try registry.reviewQueue().map(\.item.id) == ["r"])
            #expect(throws: RegistryError.self) { try registry.approve(ItemReference(account: nil, id: "q"), actor: "kari.arkivar", day: "2026-11-21") }
            #expect(throws: RegistryError.self) { try registry.approve(ItemReference(account: nil, id: "c"), actor: "kari.arkivar", day: "2026-11-21") }
            let history = try #require(try registry.detail(of: ItemReference(account: nil, id: "q"))).history
            #expect(history.last?.actor == "kari.arkivar")
            #expect(history.last?.action == "approve")
            #expect(history.last?.details.contains("M -> J") == true)
            #expect(try registry.verify().problem == nil)
        }
    }

    /// Issue 14: `review approve --date` took 1900-01-01 and 2999-12-31, and a journal
    /// date once given stays in the public journal for good.
    @Test("approve takes a journal date from the day the item existed to tomorrow, and refuses any other, changing nothing")
    func approveDateBounds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        // The capture is stamped with the clock's time, so the bounds are counted from today.
        let now = Date()
        let today = Timestamp.day(now), tomorrow = Timestamp.day(now.addingTimeInterval(86400))
        let afterTomorrow = Timestamp.day(now.addingTimeInterval(2 * 86400))
        var future = RegistryTests.item("f", text: "Hvordan søker jeg om bostøtte?")
        future.createdAt = now.addingTimeInterval(20 * 86400)
        try registry.commit(RegistryTests.batch([
            (RegistryTests.item("q", text: "Hvordan søker jeg?"), RegistryTests.decision("q", journal: true)),
            (future, RegistryTests.decision("f", journal: true)),
        ]), now: now)
        let q = ItemReference(account: nil, id: "q")
        for day in ["1900-01-01", "2026-11-19", afterTomorrow, "2999-12-31"] {
            let error = #expect(throws: RegistryError.self) { try registry.approve(q, actor: "kari.arkivar", day: day, now: now) }
            #expect(error?.message.contains(day) == true, "\(error?.message ?? "")")
        }
        #expect(try registry.detail(of: q)?.record.status == .M)
        #expect(try registry.detail(of: q)?.history.contains { $0.action == "approve" } == false)
        _ = try registry.approve(q, actor: "kari.arkivar", day: tomorrow, now: now)
        #expect(try registry.detail(of: q)?.record.journalDate == tomorrow, "tomorrow is allowed")
        // An item dated after its capture existed from the day it was first captured.
        _ = try registry.approve(ItemReference(account: nil, id: "f"), actor: "kari.arkivar", day: today, now: now)
        #expect(try registry.verify().problem == nil)
    }

    @Test("override needs a reason; journals an item with a new number; a rejected proposal keeps its number as U; a journaled entry never leaves")
    func override() throws {
        try registry { registry in
            #expect(throws: RegistryError.self) {
                try registry.override(ItemReference(account: nil, id: "c"), actor: "ola", change: OfficerOverride(journal: true, reason: "  "), day: "2026-11-21")
            }
            let journaled = try registry.override(ItemReference(account: nil, id: "c"), actor: "ola",
                                                  change: OfficerOverride(journal: true, reason: "Praise of a case handler: kept as feedback in the case."), day: "2026-11-21")
            #expect(journaled.status == .J)
            #expect(journaled.journalNumber?.hasSuffix("/000003") == true)
            let decision = try #require(try registry.detail(of: ItemReference(account: nil, id: "c"))?.record.decision)
            #expect(decision.journal && decision.rules.first == "OFFICER")
            #expect(decision.reason.contains("Praise of a case handler"))

            let rejected = try registry.override(ItemReference(account: nil, id: "r"), actor: "ola",
                                                 change: OfficerOverride(journal: false, reason: "Not addressed to the agency."), day: "2026-11-21")
            #expect(rejected.status == .U)
            #expect(rejected.journalNumber?.hasSuffix("/000002") == true, "the number stays taken")

            _ = try registry.approve(ItemReference(account: nil, id: "q"), actor: "ola", day: "2026-11-21")
            #expect(throws: RegistryError.self) {
                try registry.override(ItemReference(account: nil, id: "q"), actor: "ola", change: OfficerOverride(journal: false, reason: "Changed my mind."), day: "2026-11-21")
            }
            #expect(throws: RegistryError.self) {
                try registry.override(ItemReference(account: nil, id: "q"), actor: "ola", change: OfficerOverride(restricted: true, reason: "Health data."), day: "2026-11-21")
            }
            let restricted = try registry.override(ItemReference(account: nil, id: "q"), actor: "ola",
                                                   change: OfficerOverride(restricted: true, basis: "offl. § 13 jf. fvl. § 13 første ledd nr. 1", reason: "Health data."), day: "2026-11-21")
            #expect(restricted.summary.contains("restricted=yes"))
            let log = try #require(try registry.detail(of: ItemReference(account: nil, id: "q"))).history.last
            #expect(log?.details.contains("old: journal=yes type=I restricted=no") == true)
            #expect(log?.details.contains("why: Health data.") == true)
            #expect(try registry.verify().problem == nil)
            let numbers = try registry.journal(day: "2026-11-20").compactMap(\.journalNumber)
            #expect(Set(numbers).count == numbers.count)
        }
    }
}
