import DiariumCore
import DiariumDemo
import DiariumReplay
import DiariumStore
import DiariumTestSupport
import Foundation
import Glibc
import Testing

/// Invariants 1 and 3 under `kill -9`: the real daemon is killed at twenty random
/// moments of its cycles against a replay server whose accounts keep changing, and
/// restarted each time. At the end every item is in the registry exactly once with its
/// raw bytes, no journal number was ever reassigned or repeated, and `verify` passes.
@Suite("Crash safety", .serialized)
struct CrashTests {
    /// Each growing feed gains one item per stage.
    static let feeds = ["g1", "g2", "g3", "g4"]

    static func growingRoutes() -> [ReplayRoute] {
        feeds.flatMap { feed in (0..<3).map { stage in
            var route = DaemonFixtures.feedRoute("/\(feed).json", feed, count: 2 + stage)
            route.stage = stage
            return route
        } }
    }

    /// item key → journal number, for every item in the registry.
    static func snapshot(_ path: String) throws -> [String: String?] {
        let registry = try Registry(path: path)
        var result: [String: String?] = [:]
        for record in try registry.search("", limit: 100_000) {
            let key = "\(record.item.account):\(record.item.id)"
            #expect(result[key] == nil, "\(key) is in the registry twice")
            result[key] = record.journalNumber
        }
        return result
    }

    @Test("twenty SIGKILLs at random moments lose nothing, duplicate nothing and never reuse a journal number")
    func twentyKills() async throws {
        let server = try ReplayServer(routes: DemoScenario.routes() + Self.growingRoutes())
        let dir = try TemporaryDirectory()
        defer { server.stop(); dir.remove() }
        let registryPath = dir.file("r.sqlite").path
        let config = dir.file("diarium.toml")
        let accounts = DaemonConfig.demoAccounts(baseURL: server.baseURL)
            + Self.feeds.map { DaemonConfig.feedAccount($0, url: server.baseURL + "/\($0).json") }.joined()
        try DaemonConfig.write(config, registry: registryPath, interval: "1s", accounts: accounts)
        var generator = SystemRandomNumberGenerator()
        var known: [String: String?] = [:]
        var numbers: [String: String] = [:] // journal number → item
        var kills = 0
        func check() throws {
            for (key, number) in try Self.snapshot(registryPath) {
                if let previous = known[key] { #expect(previous == nil || previous == number, "\(key) changed journal number") }
                known[key] = number
                if let number {
                    #expect(numbers[number] == nil || numbers[number] == key, "journal number \(number) given to two items")
                    numbers[number] = key
                }
            }
        }
        let started = Date()
        for round in 0..<20 {
            // A stage's items can only be kept if some poll saw them: on a loaded machine
            // seven short-lived daemons may all die before one poll ends, so each stage
            // ends with one clean run before the server moves on (the reference below
            // also sees every stage once).
            if round == 7 || round == 14 {
                let once = try runDiarium(["run", "--once", "--config", config.path])
                #expect(once.status == 0, "\(once.stderr)")
                try check()
                server.setStage(round == 7 ? 1 : 2)
            }
            let daemon = try DaemonProcess(["run", "--config", config.path, "--log-level", "warning"], directory: dir.url)
            // Kill anywhere from start-up (registry opening, migration) to mid-cycle and commits.
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...900, using: &generator)))
            #expect(daemon.isRunning, "the daemon died on its own in round \(round): \(daemon.stderr)")
            daemon.killHard()
            kills += 1
            try check()
        }
        // Then let it finish cleanly twice (stage 2 is the last), and compare with a
        // registry that was never killed.
        for _ in 0..<2 {
            let once = try runDiarium(["run", "--once", "--config", config.path])
            #expect(once.status == 0, "\(once.stderr)")
        }
        try check()
        print("crash test: \(kills) SIGKILLs in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, \(known.count) items")

        let referencePath = dir.file("reference.sqlite").path
        let referenceConfig = dir.file("reference.toml")
        try DaemonConfig.write(referenceConfig, registry: referencePath, interval: "1s", accounts: accounts)
        for stage in [0, 1, 2] {
            server.setStage(stage)
            #expect(try runDiarium(["run", "--once", "--config", referenceConfig.path]).status == 0)
        }
        let reference = try Self.snapshot(referencePath)
        #expect(Set(known.keys) == Set(reference.keys), "missing: \(Set(reference.keys).subtracting(known.keys)), extra: \(Set(known.keys).subtracting(reference.keys))")
        #expect(known.values.compactMap { $0 }.count == Set(known.values.compactMap { $0 }).count, "journal numbers are unique")

        let registry = try Registry(path: registryPath)
        for key in known.keys.sorted() {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            let detail = try #require(try registry.detail(of: ItemReference(account: parts[0], id: parts[1])))
            #expect(detail.versions.allSatisfy { $0.capture.size > 0 && !$0.capture.sha256.isEmpty }, "\(key) has its raw bytes")
        }
        let verify = try runDiarium(["verify", "--config", config.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
