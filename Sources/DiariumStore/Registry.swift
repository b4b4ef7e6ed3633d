import DiariumCore
import Foundation
import GRDB
import Synchronization

/// The registry: one SQLite file in WAL mode that holds every capture, item, version,
/// decision, case file, journal entry and change-log entry. It knows storage and
/// nothing about platforms or law: callers hand it decided values.
public final class Registry: Sendable {
    public let path: String
    /// The agency's time zone: it decides which day's journal an item belongs to.
    public let timeZone: TimeZone
    public let access: RegistryAccess
    /// Where every new chain head is written after a commit (`[integrity] witness`).
    public let witness: ChainWitness?
    let pool: any DatabaseWriter
    /// True when the registry could only be opened as immutable while its write-ahead log
    /// holds commits: reads then show the state of the last checkpoint, not the newest.
    public let readsLastCheckpointOnly: Bool
    /// The last head written to the witness by this process.
    private let lastWitnessed = Mutex<Int64>(0)

    /// Opens the registry at `path` as `access` allows. `.create` (the daemon, the demo,
    /// `migrate`) creates a missing registry and migrates an older one; `.write` needs an
    /// existing registry and migrates it; `.read` needs an existing registry of the
    /// current schema and opens it read-only, so it works on a read-only copy and never
    /// changes a byte. A file that is not a Diarium registry is refused in every mode,
    /// and so is a registry written by a newer Diarium.
    public init(path: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!, access: RegistryAccess = .create,
                witness: ChainWitness? = nil) throws {
        self.path = path
        self.timeZone = timeZone
        self.access = access
        self.witness = witness
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && access != .create {
            throw RegistryError("There is no registry at \(path); check --db or [registry] path (only `diarium run` or `diarium migrate` creates one).", isAboutTheFile: true)
        }
        if exists {
            try Self.checkIsRegistry(path, allowEmpty: access == .create)
        }
        let migrator = RegistrySchema.migrator
        if access == .read {
            let (queue, immutable) = try Self.openReadOnly(path)
            pool = queue
            // Opened as immutable while a write-ahead log holds commits this reader may
            // not read: what it shows is the state of the last checkpoint.
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            readsLastCheckpointOnly = immutable && wal > 0
            do {
                let (superseded, complete) = try pool.read { db in (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db)) }
                if superseded {
                    throw RegistryError("The registry \(path) was written by a newer version of Diarium; upgrade Diarium before using it.", isAboutTheFile: true)
                }
                if !complete {
                    throw RegistryError("The registry \(path) has an older schema; `diarium migrate` (or starting `diarium run`) upgrades it. Read commands never change it.", isAboutTheFile: true)
                }
            } catch let error as RegistryError {
                throw error
            } catch {
                throw RegistryError("Cannot read the registry \(path): \(Self.describe(error)).", isAboutTheFile: true)
            }
            return
        }
        readsLastCheckpointOnly = false
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RegistryError("Cannot create the registry's folder \(directory.path): \(error.localizedDescription).", isAboutTheFile: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try Self.open(path, configuration: configuration)
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw RegistryError("The registry \(path) was written by a newer version of Diarium; upgrade Diarium before using it.", isAboutTheFile: true)
            }
            let before = try? head()
            try Self.migrate(pool, with: migrator)
            // Only an upgrade that wrote entries (sealing an older registry's rows) moves
            // the head at opening; otherwise the witness already has it.
            if let before { lastWitnessed.withLock { $0 = before.id } }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Cannot prepare the registry \(path): \(Self.describe(error)).", isAboutTheFile: true)
        }
        witnessHead()
    }

    /// Refuses a file that is not a Diarium registry before anything opens it for
    /// writing: an empty file is fine only for `.create`; SQLite's own header and a
    /// Diarium migration record are required otherwise.
    static func checkIsRegistry(_ path: String, allowEmpty: Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RegistryError("Cannot read the registry \(path): permission denied or not a file.", isAboutTheFile: true)
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty {
            guard allowEmpty else {
                throw RegistryError("\(path) is an empty file, not a Diarium registry; it was left untouched.", isAboutTheFile: true)
            }
            return
        }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw RegistryError("\(path) is not a Diarium registry (not an SQLite database); it was left untouched.", isAboutTheFile: true)
        }
        let isRegistry: Bool
        do {
            let (queue, _) = try openReadOnly(path)
            // A file another process is creating right now (the daemon and a command
            // starting at once) has no table yet, or only GRDB's empty migration record:
            // it is not foreign. Foreign is a database with tables of its own.
            isRegistry = try queue.read { db in
                if try db.tableExists("grdb_migrations"),
                   try Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = 'v1-registry'") ?? false {
                    return true
                }
                let tables = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """) ?? 0
                return tables == 0 && allowEmpty
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Cannot read the registry \(path): \(describe(error)).", isAboutTheFile: true)
        }
        guard isRegistry else {
            throw RegistryError("\(path) is an SQLite database but not a Diarium registry; it was left untouched.", isAboutTheFile: true)
        }
    }

    /// A read-only connection. SQLite opens a WAL file read-only when it may create or
    /// read the `-shm` beside it; in a folder the reader may not write (a snapshot, a
    /// file owned by the service) it is opened as immutable instead, which is safe there
    /// because no writer can be at work in such a folder.
    static func openReadOnly(_ path: String) throws -> (queue: DatabaseQueue, immutable: Bool) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return (queue, false)
        } catch {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let uri = "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
            do {
                let queue = try DatabaseQueue(path: uri, configuration: configuration)
                try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                return (queue, true)
            } catch {
                throw RegistryError("Cannot open the registry \(path) for reading: \(describe(error)).", isAboutTheFile: true)
            }
        }
    }

    /// Opens the pool. Turning a new file to WAL needs a moment alone with it, and SQLite
    /// answers "locked" at once (no busy timeout) while another process is creating or
    /// migrating the same new file: such an open is tried again after a short pause, for
    /// at most a few seconds, before the error is the caller's.
    static func open(_ path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(5)
        var pause: useconds_t = 5_000
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                usleep(pause)
                pause = min(pause * 2, 200_000)
            } catch {
                throw RegistryError("Cannot open the registry \(path): \(Self.describe(error)).")
            }
        }
    }

    /// Two processes that open a new or older registry at once (the daemon starting while
    /// an officer runs a command) both migrate it, and GRDB reads the applied migrations
    /// once, so the slower process may repeat a step the other just made ("table …
    /// already exists"). Each step is its own transaction, so nothing is left half-done:
    /// read the applied steps again and go on. Waiting for the other process's step is
    /// SQLite's busy timeout.
    static func migrate(_ pool: any DatabaseWriter, with migrator: DatabaseMigrator) throws {
        var attempt = 1
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                let done = (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
                if done { return }
                guard attempt < 10 else { throw error }
                attempt += 1
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let db = error as? DatabaseError {
            return db.message ?? "\(db.resultCode)"
        }
        return "\(error)"
    }

    /// Runs a read, turning SQLite errors into one-sentence registry errors.
    func read<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Reading \(what) from \(path) failed: \(Self.describe(error)).")
        }
    }

    func write<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) throws -> T {
        guard access != .read else {
            throw RegistryError("Writing \(what) to \(path) is not allowed: the registry was opened read-only.")
        }
        let result: T
        do {
            result = try pool.write(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Writing \(what) to \(path) failed: \(Self.describe(error)).")
        }
        witnessHead()
        return result
    }

    /// The chain's last entry: what an export or a journal names as the state it was
    /// made from, and what the witness keeps.
    public func head() throws -> ChainHead? {
        try read("the change log's head") { db in
            try Row.fetchOne(db, sql: "SELECT id, hash, at FROM changeLog ORDER BY id DESC LIMIT 1").map {
                ChainHead(id: $0["id"], hash: $0["hash"], at: $0["at"])
            }
        }
    }

    /// Appends the head to the witness when it moved since this process last wrote it.
    /// The commit has happened by then, so a witness that cannot be written does not
    /// undo or fail it: the witness reports the failure, and the next commit tries again.
    private func witnessHead() {
        guard let witness, let head = try? head() else { return }
        let moved = lastWitnessed.withLock { last in
            guard head.id > last else { return false }
            last = head.id
            return true
        }
        guard moved else { return }
        if !witness.append(head) {
            lastWitnessed.withLock { $0 = 0 }
        }
    }
}
