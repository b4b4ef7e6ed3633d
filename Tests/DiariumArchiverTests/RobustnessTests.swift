import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import DiariumOutputs
import DiariumReplay
import DiariumRules
import DiariumStore
import DiariumTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// One absurd date or one unreadable row never blinds the archive (issue 12).
@Suite("Absurd dates and damaged rows")
struct RobustnessTests {
    /// Keeps every line logged through it, for assertions on what an operator reads.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }

        var logger: Logger {
            Logger(label: "test.archiver") { _ in Handler(sink: self) }
        }

        struct Handler: LogHandler {
            let sink: LogLines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
                let line = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                sink.lines.withLock { $0.append(line) }
            }
        }
    }

    @Test("a feed's absurd dates are left out with a warning naming account, item, field and value; every read works")
    func absurdFeedDates() async throws {
        let server = try ReplayServer(routes: [
            ReplayRoute(path: "/kunngjoringer.xml", headers: [ReplayHeader("Content-Type", "application/rss+xml")],
                        body: try Fixture.data("feed/rss-absurd-dates.xml")),
        ])
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let account = AccountConfig(key: "etaten-kunngjoringer", platform: .feed, url: server.baseURL + "/kunngjoringer.xml")
        let configuration = DiariumConfiguration(registryPath: dir.file("r.sqlite").path, profile: "no", accounts: [account])
        let registry = try Registry(path: configuration.registryPath)
        let log = LogLines()
        let archiver = Archiver(configuration: configuration, registry: registry,
                                rulebook: try Rulebook.load(profile: "no", defaults: repositoryRoot.appendingPathComponent("config/rules")),
                                client: CurlHTTPClient(configuration: HTTPClientConfiguration(configuration)), logger: log.logger)
        let report = await archiver.runCycle()
        #expect(report.failedAccounts.isEmpty, "\(report.outcomes.compactMap(\.error))")
        #expect(report.total.newItems == 4)

        let warnings = log.all.filter { $0.hasPrefix("warning") }
        #expect(warnings.count == 3, "\(log.all)")
        func warned(_ words: String...) -> Bool {
            warnings.contains { line in line.contains("account=etaten-kunngjoringer") && words.allSatisfy(line.contains) }
        }
        #expect(warned("item kunngjoring-evig", "published date '9999-12-31T23:59:59-99:99' is not a date"))
        #expect(warned("item kunngjoring-1969", "createdAt 1969-12-31T23:00:00Z is not a plausible date"))
        #expect(warned("item kunngjoring-2200", "createdAt 2200-01-01T00:00:00Z is not a plausible date"))

        let all = try registry.search("")
        #expect(all.count == 4 && all.allSatisfy(\.damaged.isEmpty))
        for id in ["kunngjoring-evig", "kunngjoring-1969", "kunngjoring-2200"] {
            let detail = try #require(try registry.detail(of: ItemReference(account: nil, id: id)))
            #expect(detail.record.item.createdAt == nil, "\(id)")
            #expect(detail.versions.allSatisfy { $0.item.createdAt == nil && $0.damaged.isEmpty }, "\(id)")
            // The journal day is the day it was captured; the raw bytes keep what the feed said.
            let captured = try #require(detail.record.firstCapturedAt)
            #expect(detail.record.day == Timestamp.day(captured))
            let version = try #require(detail.versions.first)
            let body = try #require(try registry.body(sha256: version.capture.sha256))
            #expect(String(decoding: body, as: UTF8.self).contains("9999-12-31T23:59:59-99:99"))
        }
        #expect(Timestamp.format(try #require(all.first { $0.item.id == "kunngjoring-frist" }?.item.createdAt)) == "2026-11-20T09:00:00Z")
        let today = try #require(all.first { $0.item.id == "kunngjoring-evig" }).day
        #expect(try registry.journal(day: today).count == 3)
        #expect(try registry.exportSelection(from: "0000-01-01", to: "9999-12-31").items.count == 4)
        let text = try JournalRenderer(agencyName: "Etaten", day: today, isPublic: false).render(try registry.journal(day: today), as: .text)
        #expect(text.contains("kunngjoring-2200"))
        // A second cycle reads the same dates again and stores nothing twice.
        let again = await archiver.runCycle()
        #expect(again.total.newItems == 0 && again.total.newVersions == 0)
    }

    @Test("a record whose decision cannot be read is screened in every public format, and named internally")
    func unreadableDecisionIsScreened() throws {
        let item = Item(platform: .mastodon, account: "etaten", id: "7", kind: .reply,
                        author: Author(id: "9", name: "Lise Testesen", agency: false),
                        createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: "Jeg har kronisk sykdom og trenger hjelp?")
        let damage = DamagedRecord(account: "etaten", id: "7", version: 1, part: .decision, problem: "not valid JSON; shown without a decision")
        let record = ItemRecord(item: item, decision: nil, versions: 1, journalNumber: "2026/000007", status: .M, journalDate: nil,
                                caseNumber: "2026/000001", answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: Date(), damaged: [damage])
        for format in OutputFormat.allCases {
            let published = try JournalRenderer(agencyName: "Etaten", day: "2026-11-20", isPublic: true).render([record], as: format)
            #expect(published.contains("2026/000007"), "\(format): the entry is still in the public journal")
            #expect(!published.contains("Lise Testesen") && !published.contains("kronisk"), "\(format)")
            #expect(!published.contains("not valid JSON"), "\(format)")
        }
        let staff = try JournalRenderer(agencyName: "Etaten", day: "2026-11-20", isPublic: false).render([record], as: .text)
        #expect(staff.contains("Lise Testesen") && staff.contains("The stored decision could not be read"))
        let line = try JSONLines.encode(RecordJSON(record))
        #expect(line.contains(#""damaged":["etaten:7 version 1: the stored decision could not be read: not valid JSON; shown without a decision"]"#))
        var sound = record
        sound.damaged = []
        #expect(!(try JSONLines.encode(RecordJSON(sound))).contains("damaged"), "a sound row's line is unchanged")
    }
}
