import DiariumArchiver
import DiariumCore
import DiariumDaemon
import DiariumReplay
import DiariumStore
import DiariumTestSupport
import Foundation
import Synchronization
import Testing

/// Per-account scheduling against a replay server with a slow account.
@Suite("Scheduler")
struct SchedulerTests {
    final class Events: Sendable {
        let events = Mutex<[SchedulerEvent]>([])
        func add(_ event: SchedulerEvent) { events.withLock { $0.append(event) } }
        func polls(_ account: String) -> [AccountOutcome] {
            events.withLock { $0 }.compactMap { if case .polled(let o, _, _, _, _) = $0, o.account == account { return o } else { return nil } }
        }
        var skipped: [String: Int] {
            var result: [String: Int] = [:]
            for case let .polled(o, _, _, skipped, _) in events.withLock({ $0 }) { result[o.account, default: 0] += skipped }
            return result
        }
    }

    @Test("a slow account never delays the others, is never polled twice at once, and its overrun slots are skipped, not stacked")
    func slowAccount() async throws {
        var slow = DaemonFixtures.feedRoute("/slow.json", "slow")
        slow.delay = .milliseconds(1500)
        let server = try ReplayServer(routes: [slow, DaemonFixtures.feedRoute("/fast1.json", "fast1"), DaemonFixtures.feedRoute("/fast2.json", "fast2")])
        let dir = try TemporaryDirectory()
        defer { server.stop(); dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let accounts = ["slow", "fast1", "fast2"].map { DaemonFixtures.account($0, url: server.baseURL + "/\($0).json") }
        let archiver = try DaemonFixtures.archiver(accounts: accounts, registry: registry, metrics: nil, interval: 1, totalTimeout: .seconds(10))
        let events = Events()
        // Every account polls every second, but each poll of the slow one takes 1.5 s.
        let scheduler = AccountScheduler(archiver: archiver, jitter: 0.05) { events.add($0) }
        let task = Task { await scheduler.run() }
        try await waitUntil("three polls of each fast account and two of the slow one", seconds: 120) {
            events.polls("fast1").count >= 3 && events.polls("fast2").count >= 3 && events.polls("slow").count >= 2
        }
        task.cancel()
        await task.value
        // The slow account's requests never overlap: each starts after the previous answer.
        let times = server.requests(to: "/slow.json").map(\.receivedAt)
        for (a, b) in zip(times, times.dropFirst()) {
            #expect(b.timeIntervalSince(a) >= 1.4, "a second poll of the slow account started while one was running")
        }
        #expect(events.skipped["slow", default: 0] >= 1, "the overrun slot is reported as skipped")
        #expect(events.polls("fast1").allSatisfy { $0.error == nil })
        #expect(try registry.counts().items == 9)
    }

    @Test("reload adds and removes accounts without a restart and reports what changed")
    func reload() async throws {
        let server = try ReplayServer(routes: ["a", "b", "c"].map { DaemonFixtures.feedRoute("/\($0).json", $0) })
        let dir = try TemporaryDirectory()
        defer { server.stop(); dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        func accounts(_ keys: [String]) -> [AccountConfig] { keys.map { DaemonFixtures.account($0, url: server.baseURL + "/\($0).json") } }
        let events = Events()
        let scheduler = AccountScheduler(archiver: try DaemonFixtures.archiver(accounts: accounts(["a", "b"]), registry: registry, metrics: nil, interval: 3600)) { events.add($0) }
        let task = Task { await scheduler.run() }
        try await waitUntil("a and b polled", seconds: 60) { events.polls("a").count == 1 && events.polls("b").count == 1 }
        let changes = scheduler.apply(archiver: try DaemonFixtures.archiver(accounts: accounts(["b", "c"]), registry: registry, metrics: nil, interval: 3600))
        #expect(changes.added == ["c"])
        #expect(changes.removed == ["a"])
        try await waitUntil("c polled at once", seconds: 60) { events.polls("c").count == 1 }
        task.cancel()
        await task.value
        #expect(Set(scheduler.nextPolls.keys) == ["b", "c"])
        #expect(events.polls("b").count == 1, "an hourly account is not polled again by a reload")
    }
}
