import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// Search and journal over a registry of generated items; four rows.
///
/// DIARIUM_BENCH_SEARCH_REGISTRY=PATH keeps the generated registry at PATH and reuses it
/// on the next run when it holds the same number of items (loading a million takes
/// minutes; a query plan is studied in seconds). DIARIUM_BENCH_VERBOSE=1 prints every
/// query's median time and the journal's query/render split to standard error.
func searchRows(searchItemCount: Int, directory: URL) throws -> [BenchRow] {
    let environment = ProcessInfo.processInfo.environment
    let verbose = environment["DIARIUM_BENCH_VERBOSE"] != nil
    // A registry of generated items (written straight through SQL; the ingest path is
    // measured apart), spread in time order over 100 days so one day holds 1 % of them.
    let path = environment["DIARIUM_BENCH_SEARCH_REGISTRY"] ?? directory.appendingPathComponent("search.sqlite").path
    let searchRegistry = try Registry(path: path)
    let days = (0..<100).map { Timestamp.day(Date(timeIntervalSince1970: 1_788_220_800 + Double($0) * 86_400)) }
    let names = ["Kari Nordmann", "Ola Eksempel", "Per Prøvemann", "Liv Utprøver", "Anna Andersson", "Erik Testsson", "Etaten"]
    let loadStart = Date()
    let existing = try searchRegistry.counts().items
    if existing != searchItemCount {
        guard existing == 0 else {
            throw RegistryError("\(path) holds \(existing) items, not \(searchItemCount): remove it or name another file.")
        }
        try searchRegistry.loadSyntheticItems(count: searchItemCount, days: days, texts: texts, names: names)
    }
    let loadSeconds = Date().timeIntervalSince(loadStart)

    func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }
    func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
    var filters: [(String, SearchFilter)] = []
    for query in ["bostøtte", "klage", "søk*", "\"kronisk sykdom\"", "vedtaket OR tilskudd", "casino -bitcoin", "Kari", "innsyn", "#17", ""] {
        filters.append((query, SearchFilter()))
        var day = SearchFilter()
        day.from = days[40]
        day.to = days[46]
        filters.append((query, day))
        var journaled = SearchFilter()
        journaled.journaled = true
        journaled.limit = 50
        filters.append((query, journaled))
    }
    func label(_ query: String, _ filter: SearchFilter) -> String {
        "'\(query)'\(filter.from != nil ? " in a week" : "")\(filter.journaled != nil ? " journaled" : "")"
    }
    // DIARIUM_BENCH_PROFILE_JOURNAL=N: only the journal, N times (for perf or callgrind).
    if let times = environment["DIARIUM_BENCH_PROFILE_JOURNAL"].flatMap(Int.init) {
        for _ in 0..<times {
            let records = try searchRegistry.journal(day: days[50])
            _ = try JournalRenderer(agencyName: "Etaten", day: days[50], isPublic: false).render(records, as: .text)
        }
        return []
    }
    var latencies: [Double] = []
    var slowest: [(Double, String)] = []
    var perQuery: [String: [Double]] = [:]
    for _ in 0..<5 {
        for (query, filter) in filters {
            let ms = try milliseconds { _ = try searchRegistry.search(query, filter: filter) }
            latencies.append(ms)
            slowest.append((ms, label(query, filter)))
            perQuery[label(query, filter), default: []].append(ms)
        }
    }
    slowest.sort { $0.0 > $1.0 }
    if verbose {
        for (query, filter) in filters {
            let name = label(query, filter)
            FileHandle.standardError.write(Data("  search \(name): median \(formatted(percentile(perQuery[name] ?? [], 0.5), 2)) ms\n".utf8))
        }
    }

    // The journal three times: the first reads the day's pages from the file into the
    // page cache; the figure is the best of the three, and the first is shown beside it.
    var dayRecords: [ItemRecord] = []
    var journalText = ""
    var runs: [(query: Double, render: Double)] = []
    for _ in 0..<3 {
        let queryMs = try milliseconds { dayRecords = try searchRegistry.journal(day: days[50]) }
        let renderMs = try milliseconds {
            journalText = try JournalRenderer(agencyName: "Etaten", day: days[50], isPublic: false).render(dayRecords, as: .text)
        }
        runs.append((queryMs, renderMs))
        if verbose {
            FileHandle.standardError.write(Data("  journal: query \(formatted(queryMs, 1)) ms, render \(formatted(renderMs, 1)) ms\n".utf8))
        }
    }
    let best = runs.min { $0.query + $0.render < $1.query + $1.render }!
    let journalMs = best.query + best.render
    let firstMs = runs[0].query + runs[0].render

    let command = "`swift run -c release diarium-bench --only search 0 \(searchItemCount)`"
    let p95 = percentile(latencies, 0.95)
    return [
        BenchRow(benchmark: "search p50 over \(searchItemCount) items (\(latencies.count) queries, words, phrases, prefixes, OR, filters)",
                 figure: "\(formatted(percentile(latencies, 0.5))) ms", goal: "", command: command),
        BenchRow(benchmark: "search p95 over \(searchItemCount) items (loading them took \(Int(loadSeconds)) s)", figure: "\(formatted(p95)) ms",
                 goal: goal("< 20 ms", met: p95 < 20, why: "a word whose matches a filter or a NOT mostly rejects walks its whole doclist; see the slowest searches and PERFORMANCE.md"), command: command),
        BenchRow(benchmark: "slowest searches", figure: slowest.prefix(3).map { "\($0.1) \(formatted($0.0, 0)) ms" }.joined(separator: "; "), goal: "", command: command),
        BenchRow(benchmark: "journal of one day with \(dayRecords.count) items (query + text rendering, \(journalText.utf8.count / 1024) KiB)",
                 figure: "\(formatted(journalMs, 0)) ms best of 3 (query \(formatted(best.query, 0)), rendering \(formatted(best.render, 0))); first \(formatted(firstMs, 0)) ms",
                 goal: goal("< 200 ms", met: journalMs < 200, why: "SQLite reads ~10 µs a row (item, version, decision, entry, case); would need the journal's columns in one table — PERFORMANCE.md"), command: command),
    ]
}
