import Foundation

// `make bench`: figures, never pass/fail. Each row names what it measured, the goal
// beside it (met, or not and why), and the command that reproduces it.
//
//   diarium-bench [--only accounts,ingest,search,memory,peer,lifecycle] [--write FILE]
//                 [--peer-posts N] [ingestItems] [searchItems] [accounts] [memoryAccounts] [lifecycleItems]
//
// Defaults: 100,000 items ingested, 1,000,000 searched, a cycle over 10,000 accounts,
// ten cycles over 1,000 accounts for memory, one Mastodon account of 100,000 posts
// side by side with mastodon-archive (PeerBench.swift). `--write` puts the table (between its
// markers) into FILE, e.g. docs/PERFORMANCE.md.

var arguments = Array(CommandLine.arguments.dropFirst())

// Child processes the benchmarks start (see BenchServer.swift and MemoryBench.swift).
if arguments.first == "--replay-server", arguments.count == 3, let feeds = Int(arguments[1]), let mastodon = Int(arguments[2]) {
    BenchServerChild.run(feeds: feeds, mastodon: mastodon)
}
if arguments.first == "--memory-child", arguments.count == 5, let accounts = Int(arguments[2]), let cycles = Int(arguments[3]) {
    try await memoryChild(baseURL: arguments[1], accounts: accounts, cycles: cycles, registryPath: arguments[4])
    exit(0)
}
if arguments.first == "--measure", arguments.count == 4 {
    // See `measuredChild`: a small process between the bench and the measured program.
    let figures = try runChild(arguments[1], directory: arguments[2], log: arguments[3])
    print(figures.line)
    exit(0)
}
if arguments.first == "--peer-child", arguments.count == 4 {
    try await peerChild(baseURL: arguments[1], caFile: arguments[2], registryPath: arguments[3])
    exit(0)
}

var only: Set<String> = ["accounts", "ingest", "search", "memory", "peer", "lifecycle"]
var peerPostCount = 100_000
var writePath: String? = nil
var positional: [Int] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--only": only = Set((arguments.isEmpty ? "" : arguments.removeFirst()).split(separator: ",").map(String.init))
    case "--write": writePath = arguments.isEmpty ? nil : arguments.removeFirst()
    case "--peer-posts": peerPostCount = max(10, Int(arguments.isEmpty ? "" : arguments.removeFirst()) ?? peerPostCount)
    default:
        guard let value = Int(argument) else {
            FileHandle.standardError.write(Data("usage: diarium-bench [--only accounts,ingest,search,memory,peer,lifecycle] [--write FILE] [--peer-posts N] [ingestItems] [searchItems] [accounts] [memoryAccounts] [lifecycleItems]\n".utf8))
            exit(2)
        }
        positional.append(value)
    }
}
let sizes = (positional + [0, 0, 0, 0, 0]).map { $0 > 0 ? $0 : nil }
let ingestItemCount = sizes[0] ?? 100_000
let searchItemCount = sizes[1] ?? 1_000_000
let accountCount = sizes[2] ?? 10_000
let memoryAccountCount = sizes[3] ?? 1_000
let lifecycleItemCount = sizes[4] ?? 20_000

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diarium-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
// DIARIUM_BENCH_KEEP=1 keeps the generated registries for a closer look with sqlite3.
let keep = ProcessInfo.processInfo.environment["DIARIUM_BENCH_KEEP"] != nil

let started = Date()
var rows: [BenchRow] = []
/// Each row goes to standard error as soon as it is measured; the table at the end.
func show(_ new: [BenchRow]) -> [BenchRow] {
    for row in new { FileHandle.standardError.write(Data("\(row.markdown)\n".utf8)) }
    return new
}
do {
    if only.contains("accounts") { rows += show(try await accountRows(accounts: accountCount, directory: directory)) }
    if only.contains("ingest") { rows += show(try ingestRows(itemCount: ingestItemCount, directory: directory)) }
    if only.contains("search") { rows += show(try searchRows(searchItemCount: searchItemCount, directory: directory)) }
    if only.contains("memory") { rows += show(try memoryRows(accounts: memoryAccountCount, directory: directory)) }
    if only.contains("peer") { rows += show(try peerRows(posts: peerPostCount, directory: directory)) }
    if only.contains("lifecycle") { rows += show(try lifecycleRows(itemCount: lifecycleItemCount, directory: directory)) }
} catch {
    FileHandle.standardError.write(Data("diarium-bench: \(error)\n".utf8))
    if !keep { try? FileManager.default.removeItem(at: directory) }
    exit(1)
}
if keep { print("kept \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) }

let stamp = ISO8601DateFormatter().string(from: Date())
let table = """
Measured \(stamp) on \(machineDescription()); the whole run took \(Int(Date().timeIntervalSince(started))) s.

\(BenchRow.header)
\(rows.map(\.markdown).joined(separator: "\n"))
"""
print(table)
if let writePath {
    try writeTable(table, to: writePath)
    print("wrote the table to \(writePath)")
}
