import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// A feed that moved: `run --once` stores the capture under the URL the bytes came from
/// with both redirects, and `show` prints them in order, as text and as JSON.
@Suite("Redirects in show")
struct RedirectShowTests {
    @Test("a redirected feed's item shows the final URL and every hop")
    func redirectedFeed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try DemoServerForCLI.start()
        defer { server.stop() }
        server.add([
            .redirect("/old/news.xml", to: "{{base}}/moved/news.xml", status: 301),
            .redirect("/moved/news.xml", to: "../news/rss.xml", status: 302),
        ])
        let db = dir.file("r.sqlite").path
        let config = dir.file("diarium.toml")
        try Data("""
            [registry]
            path = "\(db)"
            [agency]
            name = "Etaten"
            profile = "no"
            [[account]]
            key = "etaten-news"
            platform = "feed"
            url = "\(server.baseURL)/old/news.xml"
            """.utf8).write(to: config)
        let run = try runDiarium(["run", "--once", "--config", config.path, "--log-level", "error"])
        #expect(run.status == 0, "\(run.stderr)")

        let show = try runDiarium(["show", "etaten-nyhet-2026-0412", "--db", db])
        #expect(show.status == 0, "\(show.stderr)")
        let base = server.baseURL
        #expect(show.stdout.contains("GET \(base)/news/rss.xml → 200\n"), "\(show.stdout)")
        #expect(show.stdout.contains("""
            Redirect: 1. \(base)/old/news.xml → 301, Location: \(base)/moved/news.xml
                      2. \(base)/moved/news.xml → 302, Location: ../news/rss.xml

            """), "\(show.stdout)")

        let json = try runDiarium(["show", "etaten-nyhet-2026-0412", "--db", db, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "etaten-nyhet-2026-0412")
        #expect(object["account"] as? String == "etaten-news")
        let provenance = try #require(object["provenance"] as? [[String: Any]])
        #expect(provenance.count == 1)
        #expect(provenance[0]["url"] as? String == "\(base)/news/rss.xml")
        #expect(provenance[0]["requestedURL"] as? String == "\(base)/old/news.xml")
        let hops = try #require(provenance[0]["redirects"] as? [[String: Any]])
        #expect(hops.map { $0["status"] as? Int } == [301, 302])
        #expect(hops.map { $0["url"] as? String } == ["\(base)/old/news.xml", "\(base)/moved/news.xml"])
        #expect(hops.map { $0["location"] as? String } == ["\(base)/moved/news.xml", "../news/rss.xml"])
    }
}
