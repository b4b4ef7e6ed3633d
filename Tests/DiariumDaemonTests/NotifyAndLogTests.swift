import DiariumConfig
import DiariumDaemon
import DiariumTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// The pieces the daemon talks to systemd and journald with.
@Suite("systemd notify and journald logs")
struct NotifyAndLogTests {
    @Test("the notifier sends READY, STATUS, WATCHDOG and STOPPING as datagrams to $NOTIFY_SOCKET")
    func notify() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let socket = try NotifySocket(directory: dir.url)
        defer { socket.close() }
        let notifier = SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "4000000"])
        #expect(notifier.watchdogInterval == .seconds(2), "half of WATCHDOG_USEC")
        notifier.ready(status: "registry open")
        notifier.watchdog()
        notifier.status("polled 3 accounts,\nnext")
        notifier.stopping()
        try await waitUntil("four datagrams", seconds: 60) { socket.messages.count == 4 }
        #expect(socket.messages[0] == "READY=1\nSTATUS=registry open")
        #expect(socket.messages[1] == "WATCHDOG=1")
        #expect(socket.messages[2] == "STATUS=polled 3 accounts, next", "a newline would end the line early")
        #expect(socket.messages[3] == "STOPPING=1")
    }

    @Test("outside systemd the notifier is silent; a watchdog meant for another pid is ignored")
    func inactive() {
        let none = SystemdNotifier.fromEnvironment([:])
        #expect(!none.isActive)
        #expect(none.send(["READY=1"]) == false)
        #expect(SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
    }

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ format: LogFormat, _ redactor: SecretRedactor, _ lines: Lines) -> Logger {
        Logger(label: "diarium") { label in
            var handler = JournaldLogHandler(label: label, format: format, redactor: redactor) { lines.append($0) }
            handler.logLevel = .trace
            return handler
        }
    }

    @Test("journald lines carry the syslog priority of each level and the account key, one line per event")
    func journald() {
        let lines = Lines()
        var log = logger(.journald, SecretRedactor(), lines)
        log[metadataKey: "account"] = "etaten-news"
        log.debug("d")
        log.info("polled", metadata: ["new": "3"])
        log.notice("n")
        log.warning("two\nlines")
        log.error("e")
        log.critical("c")
        #expect(lines.all == [
            "<7>diarium: d account=etaten-news\n",
            "<6>diarium: polled account=etaten-news new=3\n",
            "<5>diarium: n account=etaten-news\n",
            "<4>diarium: two lines account=etaten-news\n",
            "<3>diarium: e account=etaten-news\n",
            "<2>diarium: c account=etaten-news\n",
        ])
    }

    @Test("--log-format json writes one object per line with level, message and metadata")
    func json() throws {
        let lines = Lines()
        logger(.json, SecretRedactor(), lines).error("poll failed", metadata: ["account": "a1", "kind": "timeout"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: String])
        #expect(object["level"] == "error")
        #expect(object["message"] == "poll failed")
        #expect(object["account"] == "a1")
        #expect(object["kind"] == "timeout")
        #expect(lines.all[0].hasSuffix("}\n") && lines.all[0].filter { $0 == "\n" }.count == 1)
    }

    @Test("known secrets and secret-shaped values never reach a line, in any format")
    func redaction() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let token = "tok-\(UUID().uuidString)"
        try Data("\(token)\n".utf8).write(to: dir.file("token"))
        let redactor = SecretRedactor()
        redactor.loadSecrets(fromFiles: [dir.file("token").path])
        for format in LogFormat.allCases {
            let lines = Lines()
            let log = logger(format, redactor, lines)
            log.error("request failed: GET https://h.example/x?access_token=abc123456&q=1 with \(token)", metadata: ["header": "Authorization: Bearer zzz999888777"])
            log.warning("Cookie: session=s3cr3tvalue; other=1")
            log.info("password=hunter2hunter api_key=AKIA0000")
            let text = lines.all.joined()
            for secret in [token, "abc123456", "zzz999888777", "s3cr3tvalue", "hunter2hunter", "AKIA0000"] {
                #expect(!text.contains(secret), "\(format): \(text)")
            }
            #expect(text.contains("REDACTED"))
            #expect(text.contains("q=1"), "innocent parameters survive")
        }
    }

    @Test("a reload's [log] changes the level and format every handler reads; what the command line pinned stays")
    func logControlReloads() {
        let control = LogControl(level: .warning, format: .journald)
        let lines = Mutex<[String]>([])
        let handler = JournaldLogHandler(label: "diarium", control: control, redactor: SecretRedactor()) { line in lines.withLock { $0.append(line) } }
        let logger = Logger(label: "diarium") { _ in handler }
        logger.info("held back")
        #expect(control.apply(level: .info, format: .json) == ["log level warning → info", "log format journald → json"])
        logger.info("now written")
        #expect(lines.withLock { $0.count } == 1 && lines.withLock { $0[0] }.contains("\"message\":\"now written\""))
        // An absent key means the default again: info, and the format for where stderr goes.
        #expect(control.apply(level: nil, format: .json) == [])
        let pinned = LogControl(level: .error, format: .text, levelPinned: true, formatPinned: false)
        #expect(pinned.apply(level: .debug, format: .json) == ["log format text → json"])
        #expect(pinned.level == .error && pinned.format == .json)
    }

    @Test("[metrics], [status] and [schedule] are parsed and checked")
    func configuration() throws {
        let base = "[[account]]\nkey = \"a\"\nplatform = \"feed\"\nurl = \"http://127.0.0.1:1/f\"\n"
        let config = try DiariumConfiguration.parse(base + "[metrics]\nlisten = \"127.0.0.1:9464\"\n[status]\nmax_failure = \"2h\"\n[schedule]\na = \"5m\"\n", file: "t.toml")
        #expect(config.daemon.metricsPort == 9464)
        #expect(config.daemon.statusMaxFailureSeconds == 7200)
        #expect(config.daemon.accountIntervals == ["a": 300])
        #expect(throws: ConfigurationError.self) { try DiariumConfiguration.parse(base + "[metrics]\nlisten = \"0.0.0.0:9464\"\n", file: "t.toml") }
        #expect(throws: ConfigurationError.self) { try DiariumConfiguration.parse(base + "[schedule]\nb = \"5m\"\n", file: "t.toml") }
        #expect(try DiariumConfiguration.parse(base, file: "t.toml").daemon.metricsPort == nil)
    }
}
