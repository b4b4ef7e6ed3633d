import Foundation

/// One row of the `make bench` table: what was measured, the figure, the goal (with
/// whether it was met, and if not, why), and the command that reproduces the row.
struct BenchRow: Sendable {
    var benchmark: String
    var figure: String
    var goal: String
    var command: String

    var markdown: String { "| \(benchmark) | \(figure) | \(goal) | \(command) |" }

    static let header = "| benchmark | figure | goal | command |\n|---|---|---|---|"
}

/// "≤ 30 s: met" or "≤ 30 s: **not met** (why)"; goal text alone when there is no goal.
func goal(_ text: String, met: Bool, why: String) -> String {
    met ? "\(text): met" : "\(text): **not met** (\(why))"
}

func formatted(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// The lines of /proc/self/status we report, in KiB (VmRSS: resident now; VmHWM: peak).
func procStatusKiB(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
    }
    return nil
}

/// The machine the figures come from, for the header of docs/PERFORMANCE.md.
func machineDescription() -> String {
    var model = "unknown CPU"
    if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let colon = line.firstIndex(of: ":") {
        model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var memory = ""
    if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
       let line = info.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
       let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
        memory = ", \(kib / 1024 / 1024) GiB RAM"
    }
    var kernel = utsname()
    uname(&kernel)
    let release = withUnsafeBytes(of: &kernel.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    return "\(ProcessInfo.processInfo.activeProcessorCount) × \(model)\(memory), Linux \(release)"
}

/// Replaces what lies between the generated-table markers of `path` (or creates the
/// file), so the prose around the table, written by hand, survives every run.
func writeTable(_ table: String, to path: String) throws {
    let begin = "<!-- make bench: begin generated table -->"
    let end = "<!-- make bench: end generated table -->"
    let generated = "\(begin)\n\(table)\n\(end)"
    var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Performance\n\n\(begin)\n\(end)\n"
    if let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) {
        text.replaceSubrange(start.lowerBound..<stop.upperBound, with: generated)
    } else {
        text += "\n\(generated)\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
