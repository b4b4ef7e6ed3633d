import GRDB
import GRDBSQLite

/// Runs one of the INSERTs every stored item version makes, binding its values straight
/// through the SQLite C API on GRDB's prepared statement. GRDB's `execute(arguments:)`
/// boxes every value, validates the count, binds through nested closures and clears the
/// bindings twice: on the ingest benchmark that was ~10k instructions per statement,
/// more than SQLite's own work for a small insert. Only for statements inside a write
/// transaction GRDB already opened, with no observers (the registry registers none).
struct RawInsert {
    let statement: Statement

    /// Binds in parameter order; each call binds the next `?`.
    struct Binder {
        fileprivate let handle: OpaquePointer
        fileprivate var index: Int32 = 1

        mutating func text(_ value: String?) {
            if var value {
                value.withUTF8 { bytes in
                    if let base = bytes.baseAddress, bytes.count > 0 {
                        _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
                    } else {
                        _ = sqlite3_bind_text(handle, index, "", 0, transient)
                    }
                }
            } else {
                _ = sqlite3_bind_null(handle, index)
            }
            index += 1
        }

        mutating func int(_ value: Int64?) {
            if let value { _ = sqlite3_bind_int64(handle, index, value) } else { _ = sqlite3_bind_null(handle, index) }
            index += 1
        }

        mutating func int(_ value: Int) { int(Int64(value)) }

        mutating func bool(_ value: Bool) { int(value ? 1 : 0) }
    }

    /// Resets, binds every parameter through `bind` and steps once; a failure (a
    /// constraint, a full disk) becomes the `DatabaseError` GRDB would have thrown.
    func run(_ bind: (inout Binder) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var binder = Binder(handle: handle)
        bind(&binder)
        precondition(binder.index - 1 == sqlite3_bind_parameter_count(handle), "RawInsert bound \(binder.index - 1) values for: \(statement.sql)")
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
        // Bound text was copied (SQLITE_TRANSIENT); clearing keeps no stale values for
        // GRDB's next use of the same cached statement.
        sqlite3_clear_bindings(handle)
    }
}

/// SQLite copies bound text at once: the Swift buffers are only valid while binding.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
