import DiariumCore
import Foundation
import GRDB

/// The outcome of `verify`: nil problem means every hash and link held.
public struct VerificationReport: Sendable {
    public var blobsChecked = 0
    public var changeLogEntries = 0
    public var problem: String?
}

extension Registry {
    static func compareWithChain(_ db: Database, versions: [String: (content: String, capture: String)], decisions: Set<String>,
                                 numbers: Set<String>, media: Set<String>) throws -> String? {
        var seen = Set<String>()
        let rows = try Row.fetchCursor(db, sql: """
            SELECT i.account, i.platformId, v.number, v.json, v.contentHash, c.sha256 AS captureSHA
            FROM itemVersion v JOIN item i ON i.id = v.itemId JOIN capture c ON c.id = v.captureId ORDER BY v.id
            """)
        while let row = try rows.next() {
            let subject = "\(row["account"] as String):\(row["platformId"] as String)"
            let number: Int = row["number"]
            let key = "\(subject)#\(number)"
            seen.insert(key)
            guard let vouched = versions[key] else {
                return "Version \(number) of \(subject) is not in the change log: it was added behind the program's back."
            }
            let stored: String = row["contentHash"]
            let item = try? JSONLines.decode(Item.self, from: row["json"] as String)
            guard let item, contentHash(of: item) == stored, stored == vouched.content else {
                return "Version \(number) of \(subject) was altered after capture: its content no longer matches the change log."
            }
            guard (row["captureSHA"] as String) == vouched.capture else {
                return "Version \(number) of \(subject) now points at other captured bytes than the change log records."
            }
        }
        if let missing = versions.keys.sorted().first(where: { !seen.contains($0) }) {
            let parts = missing.split(separator: "#")
            return "Version \(parts.last ?? "") of \(parts.first ?? "") is recorded in the change log but missing from the registry: it was deleted."
        }
        let decisionRows = try Row.fetchCursor(db, sql: "SELECT d.id, d.json, i.account, i.platformId FROM decision d JOIN item i ON i.id = d.itemId ORDER BY d.id")
        while let row = try decisionRows.next() {
            if !decisions.contains(SHA256.hexDigest(row["json"] as String)) {
                return "The decision on \(row["account"] as String):\(row["platformId"] as String) (row \(row["id"] as Int64)) does not match the change log: it was changed or added behind the program's back."
            }
        }
        let entries = try Row.fetchCursor(db, sql: "SELECT year, sequence FROM journalEntry ORDER BY id")
        while let row = try entries.next() {
            let number = JournalNumber.format(year: row["year"], sequence: row["sequence"])
            if !numbers.contains(number) {
                return "Journal entry \(number) is not in the change log: it was added or renumbered behind the program's back."
            }
        }
        let files = try Row.fetchCursor(db, sql: "SELECT url, sha256 FROM media WHERE sha256 IS NOT NULL")
        while let row = try files.next() {
            if !media.contains(row["sha256"] as String) {
                return "The media file \(row["url"] as String) points at bytes the change log does not record."
            }
        }
        return nil
    }

    /// Recomputes the hash of every stored body and walks the change-log chain; stops at
    /// the first broken link and says which.
    public func verify() throws -> VerificationReport {
        try read("the registry for verification") { db in
            var report = VerificationReport()
            let blobs = try Row.fetchCursor(db, sql: "SELECT sha256, size, body FROM blob ORDER BY sha256")
            while let row = try blobs.next() {
                report.blobsChecked += 1
                let body: Data = row["body"] ?? Data()
                let expected: String = row["sha256"]
                let actual = SHA256.hexDigest(body)
                if actual != expected {
                    report.problem = "The captured body stored as \(expected) now hashes to \(actual): it was altered after capture."
                    return report
                }
                if (row["size"] as Int) != body.count {
                    report.problem = "The captured body \(expected) has \(body.count) bytes but was recorded with \(row["size"] as Int)."
                    return report
                }
            }
            // What the chain vouches for, collected while walking it, then compared with
            // the registry's rows: a row the chain does not vouch for was added or
            // changed behind the program's back; a vouched-for row that is missing was
            // deleted.
            var versions: [String: (content: String, capture: String)] = [:]   // "subject#n"
            var decisions = Set<String>()
            var numbers = Set<String>()
            var mediaHashes = Set<String>()
            var previous = ChangeLogWriter.genesis
            var expectedID: Int64 = 1
            let entries = try Row.fetchCursor(db, sql: "SELECT * FROM changeLog ORDER BY id")
            while let row = try entries.next() {
                let entry = Self.changeLogEntry(row)
                report.changeLogEntries += 1
                if entry.id != expectedID {
                    report.problem = "Change-log entry \(expectedID) is missing: the log jumps to entry \(entry.id)."
                    return report
                }
                if entry.previousHash != previous {
                    report.problem = "Change-log entry \(entry.id) does not follow entry \(entry.id - 1): the chain is broken there."
                    return report
                }
                let hash = ChangeLogWriter.hash(previous: previous, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details)
                if hash != entry.hash {
                    report.problem = "Change-log entry \(entry.id) (\(entry.action) \(entry.subject)) was altered: its hash no longer matches its content."
                    return report
                }
                previous = entry.hash
                expectedID += 1
                let words = entry.details.split(separator: " ").map(String.init)
                func after(_ key: String) -> String? {
                    guard let i = words.firstIndex(of: key), i + 1 < words.count else { return nil }
                    return words[i + 1].trimmingCharacters(in: CharacterSet(charactersIn: ";,"))
                }
                switch entry.action {
                case "capture":
                    if let n = after("version"), let content = after("content"), let capture = after("capture") {
                        versions["\(entry.subject)#\(n)"] = (content, capture)
                    }
                    if let d = after("decision") { decisions.insert(d) }
                    if let number = after("number") { numbers.insert(number) }
                case "override":
                    if let d = after("decision") { decisions.insert(d) }
                    if let number = after("journal") { numbers.insert(number) }
                case "media":
                    if let sha = after("sha256") { mediaHashes.insert(sha) }
                default:
                    break
                }
            }
            report.problem = try Self.compareWithChain(db, versions: versions, decisions: decisions, numbers: numbers, media: mediaHashes)
            return report
        }
    }
}
