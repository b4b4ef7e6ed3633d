import DiariumCore
import Foundation

/// The change log's last entry: its number and hash. Written `ID:HASH`, the form an
/// auditor notes down and hands back to `verify --anchor`.
public struct ChainHead: Sendable, Hashable, CustomStringConvertible {
    public var id: Int64
    public var hash: String
    /// When the entry was written (RFC 3339), for people; not part of the anchor.
    public var at: String?

    public init(id: Int64, hash: String, at: String? = nil) {
        self.id = id
        self.hash = hash
        self.at = at
    }

    /// Reads `ID:HASH` (a 64-digit lowercase hex hash); nil for anything else.
    public init?(anchor: String) {
        let parts = anchor.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0 else { return nil }
        let hash = parts[1].lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.init(id: id, hash: hash)
    }

    public var description: String { "\(id):\(hash)" }
}

/// A file outside the registry that remembers every chain head the program wrote.
///
/// The hash chain proves that no entry was changed in the middle, but not that the
/// newest entries are all there: someone who removes the last approvals (and undoes
/// their effect) leaves a shorter chain that is perfectly consistent. A head kept
/// elsewhere, by a process the registry's writer cannot rewrite (an append-only file
/// on another file system, a log shipper, `chattr +a`), tells `verify` how far the
/// chain reached. One line per head: `ID HASH TIME`.
public struct ChainWitness: Sendable {
    public let path: String
    /// Told when a head could not be written (the commit itself stands).
    let onFailure: @Sendable (String) -> Void

    public init(path: String, onFailure: @escaping @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("diarium: \(message)\n".utf8))
    }) {
        self.path = path
        self.onFailure = onFailure
    }

    /// Appends one head with a single `write` on a file opened for appending, so lines
    /// from the daemon and a command running at once never interleave; flushed to disk
    /// before returning. False (and `onFailure` told) when it could not be written.
    @discardableResult
    public func append(_ head: ChainHead) -> Bool {
        let line = "\(head.id) \(head.hash) \(head.at ?? Timestamp.format(Date()))\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            onFailure("Cannot append the chain head \(head) to the witness \(path): \(String(cString: strerror(errno))).")
            return false
        }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            onFailure("Cannot append the chain head \(head) to the witness \(path): \(String(cString: strerror(errno))).")
            return false
        }
        return true
    }

    /// Every head in the file, in the order written. A missing file is an error: a
    /// configured witness that is gone is what a rollback of both would look like.
    public func heads() throws -> [ChainHead] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegistryError("The witness file \(path) cannot be read; it is configured ([integrity] witness) but missing or unreadable.")
        }
        var heads: [ChainHead] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let head = ChainHead(anchor: "\(fields[0]):\(fields[1])") else {
                throw RegistryError("Line \(number + 1) of the witness file \(path) is not `ID HASH TIME`; the file was damaged or edited.")
            }
            heads.append(ChainHead(id: head.id, hash: head.hash, at: fields.count > 2 ? String(fields[2]) : nil))
        }
        return heads
    }
}

extension Registry {
    /// Runs the reads of an output (a journal, an export) and returns them with the head
    /// they were made from: the head is read before and after, and the reads are made
    /// again (a few times at most) when a commit came between, so the head names exactly
    /// the state the output shows. Every change to a record appends to the change log.
    public func withHead<T>(_ body: () throws -> T) throws -> (T, ChainHead?) {
        var attempts = 0
        while true {
            let before = try head()
            let result = try body()
            let after = try head()
            attempts += 1
            if before == after || attempts == 5 { return (result, after) }
        }
    }
}

/// How a command may use the registry (see `Registry.init`).
public enum RegistryAccess: Sendable, Hashable {
    /// Read-only: never creates, migrates or writes.
    case read
    /// Writes an existing registry, migrating an older schema.
    case write
    /// Creates a missing registry too.
    case create
}
