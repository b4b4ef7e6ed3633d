import DiariumCore
import Foundation
import GRDB

/// The registry: one SQLite file in WAL mode that holds every capture, item, version,
/// decision, case file, journal entry and change-log entry. It knows storage and
/// nothing about platforms or law: callers hand it decided values.
public final class Registry: Sendable {
    public let path: String
    /// The agency's time zone: it decides which day's journal an item belongs to.
    public let timeZone: TimeZone
    let pool: DatabasePool

    /// Opens (creating if needed) and migrates the registry at `path`.
    /// A registry written by a newer Diarium is refused rather than touched.
    public init(path: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws {
        self.path = path
        self.timeZone = timeZone
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RegistryError("Cannot create the registry's folder \(directory.path): \(error.localizedDescription).")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try Self.open(path, configuration: configuration)
        let migrator = RegistrySchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw RegistryError("The registry \(path) was written by a newer version of Diarium; upgrade Diarium before using it.")
            }
            try Self.migrate(pool, with: migrator)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Cannot prepare the registry \(path): \(Self.describe(error)).")
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
    static func migrate(_ pool: DatabasePool, with migrator: DatabaseMigrator) throws {
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
        do {
            return try pool.write(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Writing \(what) to \(path) failed: \(Self.describe(error)).")
        }
    }
}
