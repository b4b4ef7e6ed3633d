import DiariumCore
import DiariumStore
import Foundation

/// An answer laid out in its format, not yet handed over. The command line writes it to
/// its file and the web page sends it; both then `record` it, so every answer handed over
/// is an officer action in the change log (who, when, the reference, each item and what
/// was withheld, and the document's SHA-256), and nothing is logged that was not made.
public struct PreparedAnswer: Sendable {
    public var answer: AccessAnswer
    public var format: AccessFormat
    public var document: Data

    public init(_ answer: AccessAnswer, format: AccessFormat) throws {
        self.answer = answer
        self.format = format
        document = try AccessAnswerRenderer.render(answer, as: format)
    }

    public var sha256: String { SHA256.hexDigest(document) }

    /// What the change log and `show` keep of each item: the outcome, and each withheld
    /// part with its basis, one per line.
    public var outcomes: [AccessRequestItemOutcome] {
        answer.items.map { item in
            AccessRequestItemOutcome(item: item.reference, outcome: item.outcome,
                                     withheld: item.withheld.map { "\($0.what): \($0.basis)" }.joined(separator: "\n"))
        }
    }

    /// Records the answer as `actor`'s action; returns the change log's new head.
    @discardableResult
    public func record(in registry: Registry, actor: String, now: Date = Date()) throws -> ChainHead? {
        try registry.recordAccessRequest(
            AccessRequestAnswer(reference: answer.reference, format: format.rawValue, language: answer.language.rawValue,
                                documentSHA256: sha256, items: outcomes),
            actor: actor, now: now)
    }

    /// `1 released, 2 in part, 0 withheld`.
    public var summary: String {
        let count = { (o: AccessRequestOutcome) in answer.items.filter { $0.outcome == o }.count }
        return "\(count(.released)) released, \(count(.partly)) released in part, \(count(.withheld)) withheld"
    }
}

/// The file an answer is written to. An existing file is refused before anything is read
/// (an answer never overwrites another); the document is written beside it under a hidden
/// name and linked into place only when whole, so a failure leaves nothing behind.
public struct AnswerFile: Sendable {
    public let target: URL

    public init(_ path: String) throws {
        target = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: target.path) {
            throw AccessRequestError("The output \(target.path) exists; name a new file so no earlier answer is overwritten.")
        }
        var isDirectory: ObjCBool = false
        let parent = target.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AccessRequestError("The folder \(parent.path) for --out does not exist.")
        }
    }

    /// Writes `data` and puts it in place; fails, leaving nothing, if the target appeared meanwhile.
    public func write(_ data: Data) throws {
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            try data.write(to: staging)
        } catch {
            throw AccessRequestError("Cannot write \(target.path): \(error.localizedDescription).")
        }
        // link(2) never replaces an existing file, unlike rename(2).
        guard link(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw AccessRequestError("Cannot put the answer in place at \(target.path): \(reason).")
        }
    }

    /// Removes the answer written (its recording failed).
    public func remove() {
        try? FileManager.default.removeItem(at: target)
    }
}
