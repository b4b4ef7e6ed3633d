import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// `run --once` says by its exit status whether every account was polled, so a script
/// or a sysadmin checking a new configuration need not read the summary line.
@Suite("run --once exit status", .serialized)
struct RunOnceStatusTests {
    static func config(_ dir: TemporaryDirectory, accounts: String) throws -> String {
        try writeTestConfig(dir, accounts: accounts)
    }

    static func feed(_ key: String, url: String) -> String {
        "[[account]]\nkey = \"\(key)\"\nplatform = \"feed\"\nurl = \"\(url)\"\n"
    }

    /// A port on 127.0.0.1 where nothing listens (a server started and stopped).
    @Test("one unreachable account: exit 4, and the reachable one is still polled and stored")
    func oneFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try DemoServerForCLI.start()
        let refused = try RefusedPort()
        defer { server.stop(); refused.close() }
        let config = try Self.config(dir, accounts: Self.feed("down", url: refused.url("/feed.xml"))
                                         + Self.feed("etaten-news", url: server.baseURL + "/news/rss.xml"))
        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "error"])
        #expect(run.status == 4, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("polled 2 accounts"), "\(run.stdout)")
        #expect(run.stdout.contains("failed: down"), "\(run.stdout)")
        let search = try runDiarium(["search", "--config", config, "--account", "etaten-news", "--format", "json"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(!search.stdout.isEmpty, "the reachable account's items are stored")
    }

    @Test("every account reachable: exit 0")
    func allPolled() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try DemoServerForCLI.start()
        defer { server.stop() }
        let config = try Self.config(dir, accounts: Self.feed("etaten-news", url: server.baseURL + "/news/rss.xml")
                                         + "[[account]]\nkey = \"etaten-mastodon\"\nplatform = \"mastodon\"\nbase_url = \"\(server.baseURL)\"\nhandle = \"etaten\"\n")
        let run = try runDiarium(["run", "--once", "--config", config, "--log-level", "error"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("polled 2 accounts"), "\(run.stdout)")
        #expect(!run.stdout.contains("failed:"))
    }
}
