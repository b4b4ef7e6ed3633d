import Logging
import Synchronization

/// The level and format every log handler reads at each line, so a reload (SIGHUP) can
/// change `[log]` without a restart: a sysadmin who turns on `level = "debug"` to chase a
/// failing account sees it at once, and turns it off the same way. What the command line
/// gave (`--log-level`, `--log-format`) is pinned and outlives reloads, as it outranks
/// the file at start.
public final class LogControl: Sendable {
    private struct State {
        var level: Logger.Level
        var format: LogFormat
        var levelPinned: Bool
        var formatPinned: Bool
    }

    private let state: Mutex<State>

    public init(level: Logger.Level, format: LogFormat, levelPinned: Bool = false, formatPinned: Bool = false) {
        state = Mutex(State(level: level, format: format, levelPinned: levelPinned, formatPinned: formatPinned))
    }

    public var level: Logger.Level { state.withLock { $0.level } }
    public var format: LogFormat { state.withLock { $0.format } }

    /// Applies a reloaded `[log]` table (nil: the key is absent, so the default: info, and
    /// journald under systemd). Returns what changed, in words for the reload's log line.
    public func apply(level: Logger.Level?, format: LogFormat?) -> [String] {
        state.withLock { state in
            var changes: [String] = []
            let newLevel = level ?? .info
            if !state.levelPinned, newLevel != state.level {
                changes.append("log level \(state.level) → \(newLevel)")
                state.level = newLevel
            }
            let newFormat = format ?? LogFormat.automatic()
            if !state.formatPinned, newFormat != state.format {
                changes.append("log format \(state.format.rawValue) → \(newFormat.rawValue)")
                state.format = newFormat
            }
            return changes
        }
    }
}
