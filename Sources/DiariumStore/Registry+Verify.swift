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
            }
            return report
        }
    }
}
