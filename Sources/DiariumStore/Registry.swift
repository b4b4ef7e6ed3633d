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
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw RegistryError("Cannot open the registry \(path): \(Self.describe(error)).")
        }
        let migrator = RegistrySchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw RegistryError("The registry \(path) was written by a newer version of Diarium; upgrade Diarium before using it.")
            }
            try migrator.migrate(pool)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("Cannot prepare the registry \(path): \(Self.describe(error)).")
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
