import DiariumConfig
import DiariumCore
import Foundation
import Testing

/// `[poll] allow_addresses`, the request budget (`request_timeout`, `connect_timeout`,
/// `attempts`) and `[log]`: checked like every other key, one sentence naming the file and
/// the key (issue 14, items 3 and 7).
@Suite("Configuration: addresses, request budget, log")
struct PollNetworkTests {
    static let file = "/etc/diarium/test.toml"

    @Test("allow_addresses takes addresses and CIDR blocks, with or without a port")
    func allowAddresses() throws {
        let config = try DiariumConfiguration.parse("""
            [poll]
            allow_addresses = ["127.0.0.1:8080", "10.20.0.0/16", "::1", "[fd00::5]:443", "192.0.2.7"]
            """, file: Self.file)
        #expect(config.allowAddresses.map(\.text) == ["127.0.0.1:8080", "10.20.0.0/16", "::1", "[fd00::5]:443", "192.0.2.7"])
        #expect(config.allowAddresses[0].port == 8080)
        #expect(config.allowAddresses[1].contains(try #require(IPAddress("10.20.30.40")), port: 80))
        #expect(try DiariumConfiguration.parse("", file: Self.file).allowAddresses.isEmpty, "nothing internal is allowed by default")
    }

    @Test("the request budget is read, and has defaults that match the client's", arguments: [true, false])
    func budget(given: Bool) throws {
        let text = given ? "[poll]\nrequest_timeout = \"20s\"\nconnect_timeout = \"5s\"\nattempts = 2\n" : ""
        let config = try DiariumConfiguration.parse(text, file: Self.file)
        #expect(config.requestTimeoutSeconds == (given ? 20 : 60))
        #expect(config.connectTimeoutSeconds == (given ? 5 : 10))
        #expect(config.requestAttempts == (given ? 2 : 4))
    }

    @Test("the ends of the new ranges are accepted")
    func edges() throws {
        let low = try DiariumConfiguration.parse("[poll]\nrequest_timeout = \"1s\"\nconnect_timeout = \"1s\"\nattempts = 1\n", file: Self.file)
        #expect(low.requestTimeoutSeconds == 1 && low.connectTimeoutSeconds == 1 && low.requestAttempts == 1)
        let high = try DiariumConfiguration.parse("[poll]\nrequest_timeout = \"1h\"\nconnect_timeout = \"10m\"\nattempts = 10\n", file: Self.file)
        #expect(high.requestTimeoutSeconds == 3600 && high.connectTimeoutSeconds == 600 && high.requestAttempts == 10)
        #expect(ConfigurationLimits.requestTimeout == 1...3600)
        #expect(ConfigurationLimits.connectTimeout == 1...600)
        #expect(ConfigurationLimits.requestAttempts == 1...10)
    }

    @Test("[log] takes a level and a format")
    func log() throws {
        let config = try DiariumConfiguration.parse("[log]\nlevel = \"debug\"\nformat = \"json\"\n", file: Self.file)
        #expect(config.log == LogSettings(level: "debug", format: "json"))
        #expect(try DiariumConfiguration.parse("", file: Self.file).log == LogSettings())
    }

    @Test("mistakes are one sentence naming the file and the key", arguments: [
        ("[poll]\nallow_addresses = \"127.0.0.1\"\n", "[poll] allow_addresses must be an array"),
        ("[poll]\nallow_addresses = [8080]\n", "[poll] allow_addresses must hold only quoted strings"),
        ("[poll]\nallow_addresses = [\"intranet.example.org\"]\n", "[poll] allow_addresses entry \"intranet.example.org\" is not an IP address"),
        ("[poll]\nallow_addresses = [\"10.0.0.0/33\"]\n", "[poll] allow_addresses entry \"10.0.0.0/33\" has a prefix length outside 0 to 32"),
        ("[poll]\nallow_addresses = [\"127.0.0.1:0\"]\n", "[poll] allow_addresses entry \"127.0.0.1:0\" has a port"),
        ("[poll]\nallow_addresses = [\"[::1]:99999\"]\n", "[poll] allow_addresses entry \"[::1]:99999\" must end in ]:PORT"),
        ("[poll]\nrequest_timeout = \"0s\"\n", "[poll] request_timeout"),
        ("[poll]\nrequest_timeout = \"2h\"\n", "[poll] request_timeout"),
        ("[poll]\nrequest_timeout = \"-1s\"\n", "[poll] request_timeout"),
        ("[poll]\nconnect_timeout = \"11m\"\n", "[poll] connect_timeout"),
        ("[poll]\nattempts = 0\n", "[poll] attempts must be a whole number from 1 to 10"),
        ("[poll]\nattempts = 11\n", "[poll] attempts must be a whole number from 1 to 10"),
        ("[poll]\nattempts = \"4\"\n", "[poll] attempts must be a whole number from 1 to 10 (unquoted)"),
        ("[poll]\nattempt = 4\n", "unknown key [poll] attempt"),
        ("[log]\nlevel = \"verbose\"\n", "[log] level = \"verbose\" is not one of trace, debug"),
        ("[log]\nformat = \"xml\"\n", "[log] format = \"xml\" is not one of journald, json, text"),
        ("[log]\nlevel = 3\n", "[log] level must be a string"),
        ("[log]\nfile = \"/var/log/diarium.log\"\n", "unknown key [log] file; known keys here are format, level"),
        ("log = \"debug\"\n", "log must be a table"),
    ])
    func mistakes(text: String, mention: String) throws {
        do {
            _ = try DiariumConfiguration.parse(text, file: Self.file)
            Issue.record("no error for \(text)")
        } catch let error as ConfigurationError {
            #expect(error.message.hasPrefix(Self.file), "\(error.message)")
            #expect(error.message.contains(mention), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    @Test("an account's own API and feed, and the time-stamping authority, are the trusted origins")
    func trustedURLs() throws {
        let config = try DiariumConfiguration.parse("""
            [integrity]
            tsa_url = "https://tsa.example.org/"
            [[account]]
            key = "m"
            platform = "mastodon"
            base_url = "http://127.0.0.1:8080"
            handle = "etaten"
            [[account]]
            key = "f"
            platform = "feed"
            url = "http://10.0.0.5/news.xml"
            """, file: Self.file)
        #expect(config.trustedURLs == ["http://127.0.0.1:8080", "http://10.0.0.5/news.xml", "https://tsa.example.org/"])
    }
}
