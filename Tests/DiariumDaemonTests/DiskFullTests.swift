import DiariumReplay
import DiariumStore
import DiariumTestSupport
import Foundation
import Glibc
import Testing

/// A full disk under the registry: the daemon says so, pauses writing without
/// corrupting anything, and resumes by itself when space returns. Needs a small tmpfs,
/// so it runs only where this process may mount one (root in a container or CI).
@Suite("Full disk", .serialized)
struct DiskFullTests {
    static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", arguments.joined(separator: " ") + " >/dev/null 2>&1"]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    static let canMount: Bool = {
        guard getuid() == 0, let dir = try? TemporaryDirectory(prefix: "diarium-mount-probe") else { return false }
        defer { dir.remove() }
        guard run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.url.path]) == 0 else { return false }
        return run(["umount", dir.url.path]) == 0
    }()

    @Test("disk full: the daemon logs it, pauses, keeps the registry intact, and resumes when space returns", .enabled(if: canMount))
    func diskFull() async throws {
        let big = String(repeating: "Lang tekst om vannlekkasje. ", count: 2000)
        let server = try ReplayServer(routes: [DaemonFixtures.feedRoute("/a.json", "a")])
        server.add(.text("/a.json", contentType: "application/feed+json",
                         #"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "a-big", "content_text": "\#(big)"}, {"id": "a-1", "content_text": "Nyhet"}]}"#, stage: 1))
        let dir = try TemporaryDirectory()
        let mountPoint = dir.file("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try #require(Self.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint.path]) == 0)
        defer {
            _ = Self.run(["umount", "-l", mountPoint.path])
            server.stop()
            dir.remove()
        }
        let registryPath = mountPoint.appendingPathComponent("r.sqlite").path
        let config = dir.file("diarium.toml")
        try DaemonConfig.write(config, registry: registryPath, interval: "1s", accounts: DaemonConfig.feedAccount("a", url: server.baseURL + "/a.json"))
        let notify = try NotifySocket(directory: dir.url)
        defer { notify.close() }
        let daemon = try DaemonProcess(["run", "--config", config.path, "--log-format", "journald"], environment: ["NOTIFY_SOCKET": notify.path], directory: dir.url)
        defer { daemon.killHard() }
        try await waitUntil("the first items", seconds: 30) { ((try? Registry(path: registryPath).counts().items) ?? 0) == 3 }

        // Fill the file system, then offer an item too big for what is left.
        let filler = mountPoint.appendingPathComponent("filler").path
        _ = Self.run(["dd", "if=/dev/zero", "of=\(filler)", "bs=64k"])
        server.setStage(1)
        try await waitUntil("the daemon to report the full disk", seconds: 30) {
            daemon.stderr.contains("<2>diarium: the registry cannot be written")
        }
        #expect(notify.lines.contains { $0.hasPrefix("STATUS=PAUSED") })
        #expect(daemon.isRunning)

        try FileManager.default.removeItem(atPath: filler)
        try await waitUntil("the big item archived after space returned", seconds: 30) {
            ((try? Registry(path: registryPath).counts().items) ?? 0) == 4
        }
        try await waitUntil("the resumption logged") { daemon.stderr.contains("polling resumed") }
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(seconds: 20) == 0)
        #expect(try Registry(path: registryPath).verify().problem == nil)
    }
}
