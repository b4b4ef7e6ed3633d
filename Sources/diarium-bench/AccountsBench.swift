import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import DiariumRules
import DiariumStore
import Foundation
import Logging

// Ten thousand accounts: one cycle over feed and Mastodon accounts with nothing new,
// as the daemon runs it (its default concurrency and HTTP client), against the replay
// server in a child process. A warm-up cycle first takes the first copy of every feed
// and resolves every Mastodon handle; the timed cycle is then all 304s (feeds) and
// empty statuses pages (Mastodon, one request each). Then wrk, on one 304 URL of the
// same server, shows what the server itself can answer.

func quietLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    return logger
}

func benchArchiver(accounts: [AccountConfig], registryPath: String) throws -> Archiver {
    let configuration = DiariumConfiguration(registryPath: registryPath, accounts: accounts)
    let registry = try Registry(path: registryPath)
    let rulebook = try Rulebook.load(profile: "no", defaults: try Rulebook.defaultDirectory())
    let client = CurlHTTPClient(configuration: HTTPClientConfiguration(configuration), logger: quietLogger("diarium.bench.http"))
    return Archiver(configuration: configuration, registry: registry, rulebook: rulebook, client: client, logger: quietLogger("diarium.bench.archiver"))
}

func accountRows(accounts count: Int, directory: URL) async throws -> [BenchRow] {
    let mastodon = count / 10
    let feeds = count - mastodon
    let server = try BenchServer(feeds: feeds, mastodon: mastodon)
    defer { server.stop() }
    let accounts = benchAccounts(baseURL: server.baseURL, feeds: feeds, mastodon: mastodon)
    let archiver = try benchArchiver(accounts: accounts, registryPath: directory.appendingPathComponent("accounts.sqlite").path)

    let warmStart = Date()
    let warm = await archiver.runCycle()
    let warmSeconds = Date().timeIntervalSince(warmStart)
    let before = server.requestCount()
    let cpuStart = cpuSeconds()
    let start = Date()
    let report = await archiver.runCycle()
    let wall = Date().timeIntervalSince(start)
    let cpu = cpuSeconds() - cpuStart
    let requests = server.requestCount() - before
    let failed = report.failedAccounts.count
    let rate = Double(requests) / wall
    let command = "`swift run -c release diarium-bench --only accounts 0 0 \(count)`"
    let wrk = runWrk(url: "\(server.baseURL)/feeds/0.xml", etag: benchFeedETag(0))

    var figure = "\(formatted(wall, 2)) s wall, \(Int(rate)) requests/s (\(requests) requests, \(formatted(cpu, 1)) s CPU of Diarium; warm-up cycle \(formatted(warmSeconds, 1)) s"
    figure += ", \(warm.total.newItems) items)"
    if failed > 0 { figure += "; **\(failed) accounts failed**: \(report.outcomes.first { $0.error != nil }?.error ?? "")" }
    if report.total.newItems > 0 { figure += "; \(report.total.newItems) new items (expected none)" }
    return [
        BenchRow(benchmark: "one cycle over \(count) accounts (\(feeds) feeds, \(mastodon) Mastodon), nothing new",
                 figure: figure,
                 goal: goal("≤ 30 s per cycle", met: wall <= 30 && failed == 0, why: failed > 0 ? "accounts failed" : "the replay server (thread per connection) and a write per unchanged account; see PERFORMANCE.md"),
                 command: command),
        BenchRow(benchmark: "wrk against the same replay server (one 304 URL, \(wrkThreads) threads, \(wrkConnections) connections, \(wrkSeconds) s)",
                 figure: wrk, goal: "reference for the row above", command: "`wrk -t\(wrkThreads) -c\(wrkConnections) -d\(wrkSeconds)s -H 'If-None-Match: …' URL` (same run)"),
    ]
}

let wrkThreads = 2
let wrkConnections = 16
let wrkSeconds = 5

/// Runs wrk (Debian's package) and returns its requests/s, or why there is no figure.
func runWrk(url: String, etag: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["wrk", "-t\(wrkThreads)", "-c\(wrkConnections)", "-d\(wrkSeconds)s", "-H", "If-None-Match: \(etag)", url]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do { try process.run() } catch { return "wrk did not run: \(error)" }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { return "wrk not available (`apt-get install wrk`): exit \(process.terminationStatus)" }
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard let rps = lines.first(where: { $0.hasPrefix("Requests/sec:") })?.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces) else {
        return "wrk printed no rate: \(text.prefix(200))"
    }
    var figure = "\(Int(Double(rps) ?? 0)) requests/s"
    if let errors = lines.first(where: { $0.hasPrefix("Socket errors:") }) { figure += " (\(errors))" }
    if let other = lines.first(where: { $0.hasPrefix("Non-2xx or 3xx") }) { figure += " (\(other))" }
    return figure
}
