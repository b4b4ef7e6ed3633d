import DiariumAccess
import DiariumCore
import DiariumExport
import DiariumStore
import Foundation

// The record's lifecycle at scale: a registry of `itemCount` items in threads of ten (an
// agency post, then replies: one in ten journaled, the rest K with a one-year period that
// ended), one thread under a legal hold; then a disposal plan, its execution, `verify`
// after it, an access request answered as PDF (the issue's "in a minute"), and the Noark 5
// and FGS deliveries of what is left. Wall-clock seconds: these are what an officer waits for.

func lifecycleRows(itemCount: Int, directory: URL) throws -> [BenchRow] {
    let registry = try Registry(path: directory.appendingPathComponent("lifecycle.sqlite").path)
    let account = "etaten-mastodon"
    let texts = ["Takk for svar!", "Når åpner kontoret?", "Fin dag i dag.", "Jeg vil klage på vedtaket om bostøtte.", "Kjøp billige klokker her"]
    var journaled: [ItemReference] = []
    let batchSize = 500
    var n = 0
    while n < itemCount {
        var versions: [DecidedVersion] = []
        for i in n..<min(itemCount, n + batchSize) {
            let root = "bench-\(i - i % 10)"
            let id = "bench-\(i)"
            let agency = i % 10 == 0
            let created = Timestamp.parse("2024-01-\(String(format: "%02d", 1 + (i / 10) % 28))T09:00:00Z")
            let item = Item(platform: .mastodon, account: account, id: id, url: "https://social.example.org/@p/\(id)", kind: agency ? .post : .reply,
                            author: Author(id: agency ? "1" : "\(100 + i % 997)", handle: agency ? "etaten" : "person\(i % 997)",
                                           name: agency ? "Etaten" : "Person \(i % 997)", agency: agency),
                            inReplyTo: agency ? nil : root, threadRoot: root, createdAt: created,
                            text: agency ? "Nytt fra Etaten nummer \(i)" : texts[i % texts.count] + " (\(i))")
            let journal = !agency && i % 10 == 1
            var decision = Decision(id: id, account: account, journal: journal, type: agency ? .U : .I, status: journal ? .M : nil, access: .open,
                                    retention: journal || agency ? .B : .K, rules: [journal ? "NO-case" : agency ? "NO-agency-post" : "NO-comment"],
                                    reason: "bench", profile: "no@bench")
            if !journal && !agency {
                decision.retentionPeriod = "1y"
                decision.retentionEnds = "2025-01-28"
                decision.retentionBasis = "Etatens kassasjonsvedtak 2026/7"
            }
            if journal { journaled.append(ItemReference(account: account, id: id)) }
            versions.append(DecidedVersion(item: item, decision: decision, captureIndex: 0))
        }
        let capture = Capture(url: "https://social.example.org/api/v1/bench/\(n)", status: 200, headers: [HTTPHeader("Content-Type", "application/json")],
                              body: Data("[\(n)]".utf8), capturedAt: Date())
        try registry.commit(RegistryBatch(account: account, platform: .mastodon, checkpoint: nil, captures: [capture], versions: versions))
        n += batchSize
    }
    try registry.placeHold(name: "tvist-bench", scope: .thread(ItemReference(account: account, id: "bench-10")), reason: "bench", actor: "bench")

    func wall(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
    var rows: [BenchRow] = []
    let command = "`swift run -c release diarium-bench --only lifecycle 0 0 0 0 \(itemCount)`"

    var plan: DisposalPlan?
    let planSeconds = try wall { plan = try registry.makeDisposalPlan(asOf: Timestamp.day(Date()), actor: "bench") }
    let due = plan?.due.count ?? 0
    rows.append(BenchRow(benchmark: "disposal plan over \(itemCount) items", figure: "\(formatted(planSeconds, 2)) s wall (\(due) due, \(plan?.held.count ?? 0) held)",
                         goal: "", command: command))
    var outcome: DisposalOutcome?
    let executeSeconds = try wall { outcome = try registry.executeDisposalPlan(number: plan?.number ?? 1, reason: "bench", actor: "bench") }
    let disposed = outcome?.disposed.count ?? 0
    rows.append(BenchRow(benchmark: "disposal executed: \(disposed) items tombstoned, bodies blanked, sealed",
                         figure: "\(formatted(executeSeconds, 2)) s wall, \(Int(Double(disposed) / max(executeSeconds, 0.001))) items/s", goal: "", command: command))
    var problems = 0
    let verifySeconds = try wall { problems = try registry.verify().problems.count }
    rows.append(BenchRow(benchmark: "verify after the disposal (every seal, body and tombstone)", figure: "\(formatted(verifySeconds, 2)) s wall, \(problems) problems",
                         goal: goal("no problem", met: problems == 0, why: "\(problems) found"), command: command))

    let requested = Array(journaled.prefix(500))
    var bytes = 0
    let answerSeconds = try wall {
        let builder = AccessAnswerBuilder(registry: registry, agencyName: "Etaten", profile: "no", language: .nb, timeZone: TimeZone(identifier: "Europe/Oslo")!)
        let prepared = try PreparedAnswer(try builder.build(reference: "bench/1", selection: .items(requested)), format: .pdf)
        bytes = prepared.document.count
    }
    rows.append(BenchRow(benchmark: "access request answered as PDF: \(requested.count) items, screened", figure: "\(formatted(answerSeconds, 2)) s wall (\(bytes / 1024) KiB)",
                         goal: goal("≤ 60 s", met: answerSeconds <= 60, why: "slower than a minute"), command: command))

    let noarkOut = directory.appendingPathComponent("noark5")
    var noarkSummary: NoarkExportSummary?
    let noarkSeconds = try wall {
        noarkSummary = try NoarkExporter(registry: registry, agencyName: "Etaten", schemaDirectory: try NoarkSchemas.defaultDirectory())
            .export(to: noarkOut, range: try ExportRange())
    }
    rows.append(BenchRow(benchmark: "Noark 5 extract of the registry after disposal",
                         figure: "\(formatted(noarkSeconds, 2)) s wall (\(noarkSummary?.journalPosts ?? 0) journal posts, \(noarkSummary?.disposed ?? 0) disposed)",
                         goal: "", command: command))
    let fgsOut = directory.appendingPathComponent("fgs")
    var fgsSummary: FGSExportSummary?
    let fgsSeconds = try wall {
        fgsSummary = try FGSExporter(registry: registry, agency: FGSAgency(name: "Etaten", identificationCode: "202100-0000"), softwareVersion: "bench",
                                     schemaDirectory: try FGSSchemas.defaultDirectory()).export(to: fgsOut, range: try ExportRange())
    }
    rows.append(BenchRow(benchmark: "FGS 2.0 package of the registry after disposal",
                         figure: "\(formatted(fgsSeconds, 2)) s wall (\(fgsSummary?.records ?? 0) records, \(fgsSummary?.dataFiles ?? 0) files)",
                         goal: "", command: command))
    return rows
}
