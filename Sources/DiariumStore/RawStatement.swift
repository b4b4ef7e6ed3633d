import GRDB
import GRDBSQLite

/// Runs one of the hot statements (the inserts and single-row lookups every stored item
/// version makes, and the rows of a day's journal), binding and reading values straight
/// through the SQLite C API on GRDB's prepared statement. GRDB's `execute(arguments:)` and `fetchOne` box every value,
/// validate the count, bind through nested closures and clear the bindings twice: on the
/// ingest benchmark that was ~10k instructions per statement, more than SQLite's own
/// work for a small insert or a primary-key lookup. Only for statements inside a
/// transaction GRDB already opened, with no observers (the registry registers none).
struct RawStatement {
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

    /// The columns of the row a lookup found, read by index.
    struct Columns {
        fileprivate let handle: OpaquePointer

        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(handle, column) else { return nil }
            return String(cString: bytes)
        }

        /// A text column's UTF-8 bytes where SQLite holds them, without making a String;
        /// nil for NULL. Valid only inside `body`.
        func bytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? {
            guard let text = sqlite3_column_text(handle, column) else { return nil }
            return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
        }

        /// The storage class SQLite holds the value in (SQLITE_INTEGER, SQLITE_TEXT, …).
        func storageClass(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

        /// A text or blob column's bytes as stored, without conversion; empty for NULL.
        /// Valid only inside `body`.
        func storedBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            if sqlite3_column_type(handle, column) == SQLITE_BLOB {
                let base = sqlite3_column_blob(handle, column)
                return try body(UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(handle, column))))
            }
            let base = sqlite3_column_text(handle, column)
            return try body(UnsafeRawBufferPointer(start: base.map(UnsafeRawPointer.init), count: Int(sqlite3_column_bytes(handle, column))))
        }

        func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    }

    /// Resets, binds every parameter through `bind` and steps once; a failure (a
    /// constraint, a full disk) becomes the `DatabaseError` GRDB would have thrown.
    func run(_ bind: (inout Binder) -> Void) throws {
        _ = try first(bind) { _ in () }
    }

    /// Runs a lookup and reads its first row (nil when there is none).
    func first<T>(_ bind: (inout Binder) -> Void, _ read: (Columns) -> T) throws -> T? {
        var result: T?
        try rows(bind) { columns in
            result = read(columns)
            return false
        }
        return result
    }

    /// Runs a query and hands each row to `body`, as it is stepped to.
    func forEach(_ bind: (inout Binder) -> Void, _ body: (Columns) throws -> Void) throws {
        try rows(bind) { columns in
            try body(columns)
            return true
        }
    }

    /// Steps through the rows while `body` says go on. The statement is reset and its
    /// bindings cleared afterwards, whatever happened: bound text was copied
    /// (SQLITE_TRANSIENT), and GRDB's next use of the same cached statement must find no
    /// stale values.
    private func rows(_ bind: (inout Binder) -> Void, _ body: (Columns) throws -> Bool) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var binder = Binder(handle: handle)
        bind(&binder)
        precondition(binder.index - 1 == sqlite3_bind_parameter_count(handle), "RawStatement bound \(binder.index - 1) values for: \(statement.sql)")
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: guard try body(Columns(handle: handle)) else { return }
            case SQLITE_DONE: return
            default:
                let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
        }
    }
}

/// SQLite copies bound text at once: the Swift buffers are only valid while binding.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
