import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Server-side request forgery through platform responses: a URL a platform answered
/// (media, redirect, paging link) may reach an internal address only when it is a
/// configured account's own origin or listed in `[poll] allow_addresses`. Two replay
/// servers on 127.0.0.1: the "platform" (the account's configured API) and an "internal
/// service" on another port that counts every request it gets.
@Suite struct AddressPolicyTests {
    /// A client as production builds it for one account whose API is `platform`, plus
    /// `allow` as `[poll] allow_addresses`.
    func client(trusting platform: ReplayServer, allow: [String] = []) throws -> CurlHTTPClient {
        let blocks = try allow.map { try AddressBlock.parse($0).get() }
        return CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), totalTimeout: .seconds(20),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
            addressPolicy: AddressPolicy(trustedURLs: [platform.baseURL + "/api/v1"], allowed: blocks)))
    }

    func servers() throws -> (platform: ReplayServer, service: ReplayServer) {
        let platform = try ReplayServer(routes: [.json("/api/v1/ok", "[]")])
        let service = try ReplayServer(routes: [.text("/service-secret", contentType: "text/plain", "the agency's secret")])
        return (platform, service)
    }

    func expectRefused(_ client: CurlHTTPClient, _ url: String, mentioning address: String? = nil) async throws {
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: url)) }
        #expect(error?.code == .addressRefused)
        // Refused at once, never retried: an service address stays service.
        #expect(error?.attempts == 1)
        #expect(error?.description.contains("[poll] allow_addresses") == true)
        if let address { #expect(error?.description.contains(address) == true, "\(error?.description ?? "")") }
    }

    @Test func aHostileMediaURLToAnotherLocalPortIsNeverRequested() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let client = try client(trusting: platform)
        try await expectRefused(client, "\(service.baseURL)/service-secret", mentioning: "127.0.0.1 port \(service.port)")
        #expect(service.requestCount == 0)
    }

    @Test func theAccountsOwnAPIOnAnInternalAddressStillWorks() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let response = try await client(trusting: platform).send(HTTPRequest(url: "\(platform.baseURL)/api/v1/ok"))
        #expect(response.status == 200)
        #expect(platform.requestCount == 1)
    }

    @Test func aRedirectFromThePlatformToAnInternalAddressIsRefused() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        platform.add(.redirect("/api/v1/media/1", to: "\(service.baseURL)/service-secret"))
        try await expectRefused(try client(trusting: platform), "\(platform.baseURL)/api/v1/media/1", mentioning: "port \(service.port)")
        #expect(platform.requestCount == 1)
        #expect(service.requestCount == 0)
    }

    @Test(arguments: ["localhost", "inward.localhost", "[::1]", "127.1"])
    func aNameThatResolvesInwardIsCaughtOnTheResolvedAddress(name: String) async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        try await expectRefused(try client(trusting: platform), "http://\(name):\(service.port)/service-secret", mentioning: name)
        #expect(service.requestCount == 0)
    }

    @Test func theSameServerUnderAnotherNameIsNotTheConfiguredOrigin() async throws {
        // The configured origin is http://127.0.0.1:PORT; http://localhost:PORT reaches the
        // same socket but is not what the administrator wrote.
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        try await expectRefused(try client(trusting: platform), "http://localhost:\(platform.port)/api/v1/ok")
        #expect(platform.requestCount == 0)
    }

    @Test(arguments: ["127.0.0.1:PORT", "127.0.0.0/8", "127.0.0.1", "[::ffff:127.0.0.1]:PORT"])
    func allowAddressesLetsTheListedAddressThrough(entry: String) async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let client = try client(trusting: platform, allow: [entry.replacingOccurrences(of: "PORT", with: "\(service.port)")])
        let response = try await client.send(HTTPRequest(url: "\(service.baseURL)/service-secret"))
        #expect(response.status == 200)
        #expect(service.requestCount == 1)
    }

    @Test func anAllowedAddressWithAnotherPortDoesNotAllowThisOne() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let other = service.port == 65535 ? service.port - 1 : service.port + 1
        try await expectRefused(try client(trusting: platform, allow: ["127.0.0.1:\(other)", "10.0.0.0/8"]), "\(service.baseURL)/service-secret")
        #expect(service.requestCount == 0)
    }

    @Test func theDefaultPolicyRefusesEveryInternalAddress() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(retry: .none))
        try await expectRefused(client, "\(platform.baseURL)/api/v1/ok")
        #expect(platform.requestCount == 0)
    }

    @Test func aReconfiguredClientTakesTheNewPolicyForItsNextRequest() async throws {
        let (platform, service) = try servers()
        defer { platform.stop(); service.stop() }
        let client = try client(trusting: platform)
        try await expectRefused(client, "\(service.baseURL)/service-secret")
        client.reconfigure { $0.addressPolicy = AddressPolicy(trustedURLs: [service.baseURL]) }
        #expect(try await client.send(HTTPRequest(url: "\(service.baseURL)/service-secret")).status == 200)
    }
}

@Suite struct AddressClassificationTests {
    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
    ])
    func inward(address: String) throws {
        #expect(try #require(IPAddress(address)).isInward)
    }

    @Test(arguments: ["93.184.215.14", "8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1", "100.128.0.1", "2001:db8::1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func public_(address: String) throws {
        #expect(try !#require(IPAddress(address)).isInward)
    }

    @Test func entriesParseAndMatch() throws {
        let loopback = try #require(IPAddress("127.0.0.1"))
        let v6 = try #require(IPAddress("fd00::5"))
        #expect(try AddressBlock.parse("127.0.0.1").get().contains(loopback, port: 1))
        #expect(try AddressBlock.parse("127.0.0.0/8").get().contains(try #require(IPAddress("127.200.0.1")), port: 80))
        #expect(try !AddressBlock.parse("10.0.0.0/8").get().contains(loopback, port: 80))
        #expect(try AddressBlock.parse("127.0.0.1:8080").get().contains(loopback, port: 8080))
        #expect(try !AddressBlock.parse("127.0.0.1:8080").get().contains(loopback, port: 8081))
        #expect(try AddressBlock.parse("fd00::/8").get().contains(v6, port: 443))
        #expect(try AddressBlock.parse("[fd00::5]:443").get().contains(v6, port: 443))
        #expect(try !AddressBlock.parse("[fd00::5]:443").get().contains(v6, port: 444))
        #expect(try AddressBlock.parse("[fd00::/16]:443").get().contains(v6, port: 443))
        #expect(try AddressBlock.parse("0.0.0.0/0").get().contains(loopback, port: 1))
        #expect(try !AddressBlock.parse("172.16.0.0/12").get().contains(try #require(IPAddress("172.32.0.1")), port: 1))
    }

    @Test(arguments: ["localhost", "intranet.example.org:80", "10.0.0.0/33", "fd00::/129", "127.0.0.1:0", "127.0.0.1:70000",
                      "[::1", "[::1]x", "10.0.0.0/x", "", "1.2.3"])
    func badEntriesAreRefused(entry: String) {
        guard case .failure = AddressBlock.parse(entry) else {
            Issue.record("\(entry) was accepted")
            return
        }
    }

    @Test func originsAreReadAsCurlReadsThem() throws {
        #expect(URLOrigin("https://Social.Example.org/api")?.description == "https://social.example.org:443")
        #expect(URLOrigin("http://127.0.0.1:8080/x?y")?.description == "http://127.0.0.1:8080")
        #expect(URLOrigin("http://[::1]/")?.description == "http://[::1]:80")
        #expect(URLOrigin("not a url") == nil)
    }
}
