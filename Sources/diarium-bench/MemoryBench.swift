import DiariumArchiver
import Foundation

// Memory: resident memory of a process that has run ten cycles over 1,000 feed
// accounts (all 304s after the first). The cycles run in a child process
// (`diarium-bench --memory-child URL ACCOUNTS CYCLES REGISTRY`) that does nothing
// else, so neither the other benchmarks nor the replay server count.

let memoryCycles = 10

func memoryRows(accounts: Int, directory: URL) throws -> [BenchRow] {
    let server = try BenchServer(feeds: accounts, mastodon: 0)
    defer { server.stop() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: selfExecutablePath())
    process.arguments = ["--memory-child", server.baseURL, "\(accounts)", "\(memoryCycles)", directory.appendingPathComponent("memory.sqlite").path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    guard process.terminationStatus == 0, fields.count == 4 else {
        throw BenchError("the memory child failed (exit \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
    }
    let (baseline, rss, hwm, failed) = (fields[0], fields[1], fields[2], fields[3])
    let mib = { (kib: Int) in formatted(Double(kib) / 1024, 1) }
    var figure = "VmRSS \(mib(rss)) MiB, peak VmHWM \(mib(hwm)) MiB (\(mib(baseline)) MiB before the first cycle)"
    if failed > 0 { figure += "; **\(failed) polls failed**" }
    return [BenchRow(benchmark: "resident memory after \(memoryCycles) cycles over \(accounts) feed accounts",
                     figure: figure,
                     goal: goal("≤ 64 MiB", met: Double(rss) / 1024 <= 64 && failed == 0, why: failed > 0 ? "polls failed" : "growth per cycle; see PERFORMANCE.md"),
                     command: "`swift run -c release diarium-bench --only memory 0 0 0 \(accounts)`")]
}

/// The child: runs the cycles, then prints `baselineKiB rssKiB hwmKiB failedPolls`.
func memoryChild(baseURL: String, accounts: Int, cycles: Int, registryPath: String) async throws {
    let archiver = try benchArchiver(accounts: benchAccounts(baseURL: baseURL, feeds: accounts, mastodon: 0), registryPath: registryPath)
    let baseline = procStatusKiB("VmRSS") ?? 0
    var failed = 0
    for _ in 0..<cycles {
        failed += await archiver.runCycle().failedAccounts.count
    }
    print(baseline, procStatusKiB("VmRSS") ?? 0, procStatusKiB("VmHWM") ?? 0, failed)
}
