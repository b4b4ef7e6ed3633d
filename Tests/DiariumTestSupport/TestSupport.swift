import DiariumCore
import Foundation

/// Hand-written fixtures under `Tests/Fixtures/`, read from the source tree so tests
/// need no resource bundles.
public enum Fixture {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    public static func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }
}

/// The repository's root folder (for `config/rules`, the built binary, …).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh folder under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "diarium-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "deadline exceeded waiting for \(what)" }
}

/// Waits for a condition by polling it, failing after `seconds`. Tests use this instead
/// of sleeping for a fixed time.
///
/// The default deadline is long (60 s) because it only bounds a failure: a passing test
/// returns as soon as the condition holds, and a full run on 2 cores, every suite at once,
/// has starved a 10 s wait for a request that arrived.
public func waitUntil(_ what: String, seconds: Double = 60, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw DeadlineExceeded(what: what)
}

/// The result of running the built `diarium` binary.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the `diarium` executable that `swift build` put beside the test bundle, with
/// standard input from `input`; output goes through files so a large output cannot
/// block on a full pipe.
///
/// `binary` runs another copy; `launcher` runs it through a program such as `setpriv`
/// (another Unix user), which gets the binary's path before the arguments.
public func runDiarium(_ arguments: [String], input: String = "", environment: [String: String] = [:],
                       binary: URL? = nil, launcher: [String] = []) throws -> CommandResult {
    let binary = try binary ?? diariumBinary()
    let dir = try TemporaryDirectory(prefix: "diarium-cli")
    defer { dir.remove() }
    let inURL = dir.file("stdin"), outURL = dir.file("stdout"), errURL = dir.file("stderr")
    try Data(input.utf8).write(to: inURL)
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    if let program = launcher.first {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(launcher.dropFirst()) + [binary.path] + arguments
    } else {
        process.executableURL = binary
        process.arguments = arguments
    }
    process.currentDirectoryURL = launcher.isEmpty ? repositoryRoot : dir.url
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DIARIUM_CONFIG")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    process.standardInput = try FileHandle(forReadingFrom: inURL)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// The built `diarium` binary: next to the test bundle in `.build/<config>/`.
public func diariumBinary() throws -> URL {
    var candidates: [URL] = []
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
        candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("diarium"))
    }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diarium"))
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/diarium"))
    for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
    throw DeadlineExceeded(what: "the diarium binary (build it with `swift build`); looked in \(candidates.map(\.path))")
}

/// `[poll] allow_addresses = ["127.0.0.1"]`: the local replay servers the tests talk to are
/// internal addresses, which a client reaches only through the same setting a
/// configuration file uses. Tests of the address policy itself build their own.
public let replayServerAddresses: [AddressBlock] = [try! AddressBlock.parse("127.0.0.1").get()]

/// Writes `diarium.toml` in `dir` for a command-line test: a registry in `dir`, agency
/// Etaten under profile `no`, the `[poll]` table when `rescan` or `poll` (further
/// `key = value` lines of it, e.g. `allow_addresses = ["127.0.0.1"]`) is given, then
/// `accounts` (the `[[account]]` tables and any other tables) as they are. Returns the
/// file's path.
public func writeTestConfig(_ dir: TemporaryDirectory, rescan: String? = "3650d", agency: [String] = [], poll: [String] = [],
                            accounts: String) throws -> String {
    let file = dir.file("diarium.toml")
    var text = """
        [registry]
        path = "\(dir.file("r.sqlite").path)"
        [agency]
        name = "Etaten"
        profile = "no"

        """
    for line in agency { text += line + "\n" }
    if rescan != nil || !poll.isEmpty { text += "[poll]\n" }
    if let rescan { text += "rescan = \"\(rescan)\"\n" }
    for line in poll { text += line + "\n" }
    text += accounts
    try Data(text.utf8).write(to: file)
    return file.path
}

/// Runs a program (openssl, chattr, …) to its end, output discarded, and gives its exit
/// status; -1 when it cannot be started.
public func runProgram(_ path: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}
