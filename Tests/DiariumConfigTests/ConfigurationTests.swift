import DiariumConfig
import DiariumCore
import Foundation
import Testing

@Suite("Configuration file")
struct ConfigurationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the commented example in config/ loads with every key")
    func example() throws {
        let config = try DiariumConfiguration.load(from: Self.repositoryRoot.appendingPathComponent("config/diarium.toml").path)
        #expect(config.profile == "no")
        #expect(config.registryPath == "/var/lib/diarium/registry.sqlite")
        #expect(config.pollIntervalSeconds == 900)
        #expect(config.rescanSeconds == 14 * 86400)
        #expect(config.timeZone.identifier == "Europe/Oslo")
        #expect(config.accounts.map(\.key) == ["etaten-mastodon", "etaten-news"])
        #expect(config.accounts[0].platform == .mastodon)
        #expect(config.accounts[1].url == "https://etaten.example/news.xml")
    }

    @Test("mistakes name the file and the key", arguments: [
        ("[agency]\nprofile = \"dk\"\n", "profile"),
        ("[poll]\ninterval = \"soon\"\n", "interval"),
        ("[agency]\nnmae = \"x\"\n", "nmae"),
        ("[[account]]\nkey = \"a\"\nplatform = \"myspace\"\nurl = \"x\"\n", "myspace"),
        ("[[account]]\nkey = \"a\"\nplatform = \"feed\"\n", "needs url"),
        ("[[account]]\nkey = \"a\"\nplatform = \"feed\"\nurl = \"x\"\n[[account]]\nkey = \"a\"\nplatform = \"feed\"\nurl = \"y\"\n", "used twice"),
        ("[registry\npath = 1", "line 1"),
        ("[registry]\npath = 1\n", "must be a string"),
    ])
    func errors(text: String, mention: String) {
        do {
            _ = try DiariumConfiguration.parse(text, file: "/etc/diarium/test.toml")
            Issue.record("expected an error for \(text)")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("/etc/diarium/test.toml"))
            #expect(error.message.contains(mention), "\(error.message)")
            #expect(!error.message.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a missing file is one sentence")
    func missing() {
        #expect(throws: ConfigurationError.self) { try DiariumConfiguration.load(from: "/nonexistent/diarium.toml") }
    }
}
