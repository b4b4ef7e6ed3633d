import DiariumCore
import Foundation
import Glibc
import Logging

/// How log lines are written to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `<6>diarium: polled account=… new=3`: the `<N>` prefix is the syslog priority,
    /// which journald strips and files under PRIORITY= (sd-daemon(3)), so
    /// `journalctl -p warning` works without libsystemd.
    case journald
    /// One JSON object per line, for log shippers.
    case json
    /// Plain lines with a timestamp and the level, for a terminal.
    case text

    /// journald when stderr is connected to the journal (`$JOURNAL_STREAM` is set by
    /// systemd), plain text otherwise.
    public static func automatic(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LogFormat {
        environment["JOURNAL_STREAM"] != nil ? .journald : .text
    }
}

/// A swift-log handler that writes one line per event to stderr, with its metadata
/// (the account key above all) on the same line, scrubbed of secrets. Each line is one
/// `write(2)`, so lines from concurrent polls never interleave.
public struct JournaldLogHandler: LogHandler {
    /// The shared level (`control`, which a reload may change) unless this logger set its own.
    public var logLevel: Logger.Level {
        get { ownLevel ?? control.level }
        set { ownLevel = newValue }
    }
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let control: LogControl
    let redactor: SecretRedactor
    let sink: @Sendable (String) -> Void
    private var ownLevel: Logger.Level?

    public init(label: String, control: LogControl, redactor: SecretRedactor, sink: @escaping @Sendable (String) -> Void = JournaldLogHandler.writeToStandardError) {
        self.label = label
        self.control = control
        self.redactor = redactor
        self.sink = sink
    }

    /// A handler with its own fixed format (level info until set).
    public init(label: String, format: LogFormat, redactor: SecretRedactor, sink: @escaping @Sendable (String) -> Void = JournaldLogHandler.writeToStandardError) {
        self.init(label: label, control: LogControl(level: .info, format: format), redactor: redactor, sink: sink)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.render(level: event.level, label: label, message: "\(event.message)", metadata: merged, format: control.format, date: Date())
        sink(redactor.redact(line) + "\n")
    }

    /// The syslog priority of each swift-log level (trace has none lower than debug).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func render(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: LogFormat, date: Date) -> String {
        let flat = message.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        switch format {
        case .json:
            var object: [String: String] = ["level": level.rawValue, "label": label, "message": flat, "time": date.ISO8601Format()]
            for (key, value) in metadata where object[key] == nil { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
            return TerminalText.json(String(decoding: data, as: UTF8.self))
        // Messages quote what platforms sent (a feed's date, an item's id): control
        // characters are shown, never obeyed, on a terminal or in `journalctl`.
        case .journald:
            return TerminalText.clean("<\(priority(level))>\(label): \(flat)\(renderMetadata(metadata))")
        case .text:
            return TerminalText.clean("\(date.ISO8601Format()) \(level.rawValue.uppercased()) \(label): \(flat)\(renderMetadata(metadata))")
        }
    }

    /// ` account=etaten new=3`, keys sorted, values quoted when they hold spaces.
    static func renderMetadata(_ metadata: Logger.Metadata) -> String {
        guard !metadata.isEmpty else { return "" }
        return metadata.sorted { $0.key < $1.key }.map { key, value in
            let text = "\(value)".replacingOccurrences(of: "\n", with: " ")
            let needsQuotes = text.isEmpty || text.contains(" ") || text.contains("\"") || text.contains("=")
            return " \(key)=" + (needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : text)
        }.joined()
    }

    @Sendable public static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
