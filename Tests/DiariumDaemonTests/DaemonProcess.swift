import DiariumDemo
import DiariumTestSupport
import Foundation
import Glibc

/// The real `diarium run` binary as a child process, with its output in files.
/// Foundation.Process children inherit the launching thread's signal mask
/// (swift-corelibs-foundation#4772), so `stop` escalates to SIGKILL rather than trust
/// SIGTERM to end a hung child.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let stderrURL: URL
    let stdoutURL: URL

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL) throws {
        let name = UUID().uuidString.prefix(8)
        stderrURL = directory.appendingPathComponent("daemon-\(name).stderr")
        stdoutURL = directory.appendingPathComponent("daemon-\(name).stdout")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        process.executableURL = try diariumBinary()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for key in ["DIARIUM_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"] { env.removeValue(forKey: key) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) { _ = kill(pid, number) }

    /// Waits for the exit; nil when it did not come within `seconds`.
    func waitForExit(seconds: Double) async -> Int32? {
        do {
            try await waitUntil("the daemon to exit", seconds: seconds) { !self.process.isRunning }
            return process.terminationStatus
        } catch {
            return nil
        }
    }

    func killHard() {
        if process.isRunning { _ = kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Configuration files for the process tests.
enum DaemonConfig {
    static func feedAccount(_ key: String, url: String, credentials: String? = nil) -> String {
        "[[account]]\nkey = \"\(key)\"\nplatform = \"feed\"\nurl = \"\(url)\"\n" + (credentials.map { "credentials = \"\($0)\"\n" } ?? "")
    }

    static func demoAccounts(baseURL: String) -> String {
        DemoScenario.accounts(baseURL: baseURL).map { account in
            var text = "[[account]]\nkey = \"\(account.key)\"\nplatform = \"\(account.platform)\"\n"
            if let base = account.baseURL { text += "base_url = \"\(base)\"\n" }
            if let handle = account.handle { text += "handle = \"\(handle)\"\n" }
            if let url = account.url { text += "url = \"\(url)\"\n" }
            return text
        }.joined()
    }

    static func write(_ file: URL, registry: String, interval: String = "1h", extra: String = "", accounts: String) throws {
        let text = """
            [registry]
            path = "\(registry)"

            [agency]
            name = "Etaten"
            profile = "no"

            [poll]
            interval = "\(interval)"
            rescan = "3650d"

            \(extra)
            \(accounts)
            """
        try Data(text.utf8).write(to: file)
    }
}
