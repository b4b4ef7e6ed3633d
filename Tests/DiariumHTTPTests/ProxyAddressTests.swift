import DiariumCore
@testable import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Behind a forward proxy the address curl connects to is the proxy's, so the check on
/// internal addresses moves: a proxied request is held to the policy on its target's own
/// addresses before it is sent, and so is every Location before curl follows it. The
/// "proxy" here is a replay server answering absolute-form requests, as a proxy receives
/// them; it counts what reached it.
@Suite struct ProxyAddressTests {
    /// A client whose every http request goes through `proxy`, allowed to reach only `allowedPort` on 127.0.0.1.
    func client(through proxy: ReplayServer, allowedPort: Int) throws -> CurlHTTPClient {
        CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(2), totalTimeout: .seconds(20),
            retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
            addressPolicy: AddressPolicy(allowed: [try AddressBlock.parse("127.0.0.1:\(allowedPort)").get()]),
            proxy: HTTPProxy(http: proxy.baseURL)))
    }

    @Test func anAllowedTargetGoesThroughTheProxyAnInwardOneIsNeverSent() async throws {
        let allowed = try RefusedPort(), secret = try RefusedPort()
        defer { allowed.close(); secret.close() }
        let proxy = try ReplayServer(routes: [
            ReplayRoute(path: allowed.url("/ok"), body: Data("through the proxy".utf8)),
            ReplayRoute(path: allowed.url("/hop"), status: 302, headers: [ReplayHeader("Location", secret.url("/internal-secret"))]),
            ReplayRoute(path: allowed.url("/relative"), status: 302, headers: [ReplayHeader("Location", "/ok")]),
            ReplayRoute(path: secret.url("/internal-secret"), body: Data("secret".utf8)),
        ])
        defer { proxy.stop() }
        let client = try client(through: proxy, allowedPort: allowed.port)

        // Allowed: the proxy (itself on loopback, as configured) carries it.
        let ok = try await client.send(HTTPRequest(url: allowed.url("/ok")))
        #expect(ok.status == 200 && String(decoding: ok.body, as: UTF8.self) == "through the proxy")
        #expect(proxy.requests.map(\.path) == [allowed.url("/ok")])

        // An internal target the policy does not allow never reaches the proxy, by address or by a name.
        for url in [secret.url("/internal-secret"), "http://localhost:\(secret.port)/internal-secret"] {
            let refused = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: url)) }
            #expect(refused?.code == .addressRefused, "\(url): \(String(describing: refused))")
            #expect(refused?.description.contains("proxy") == true)
        }
        #expect(proxy.requests.count == 1)

        // A redirect to it is refused before curl follows it; a relative one that stays allowed is followed.
        let hop = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: allowed.url("/hop"))) }
        #expect(hop?.code == .addressRefused)
        #expect(!proxy.requests.contains { $0.path == secret.url("/internal-secret") })
        let relative = try await client.send(HTTPRequest(url: allowed.url("/relative")))
        #expect(relative.status == 200 && relative.redirects.count == 1)
    }

    @Test func theProxyIsReadFromTheEnvironmentAsCurlReadsIt() {
        let both = HTTPProxy.fromEnvironment(["http_proxy": "http://proxy.example.org:3128", "HTTPS_PROXY": "http://tls-proxy.example.org:3128"])
        #expect(both.proxy(for: "http://a.example.org/x") == "http://proxy.example.org:3128")
        #expect(both.proxy(for: "https://a.example.org/x") == "http://tls-proxy.example.org:3128")
        // curl ignores an upper-case HTTP_PROXY; all_proxy serves either scheme.
        let upper = HTTPProxy.fromEnvironment(["HTTP_PROXY": "http://cgi.example.org:1", "all_proxy": "http://all.example.org:3128"])
        #expect(upper.proxy(for: "http://a.example.org/") == "http://all.example.org:3128")
        #expect(HTTPProxy.fromEnvironment([:]).isEmpty && HTTPProxy.fromEnvironment(["http_proxy": "  "]).isEmpty)
        // The port the connection to the proxy is recognised by, as curl chooses it.
        #expect(HTTPProxy.port(of: "http://proxy.example.org:3128") == 3128)
        #expect(HTTPProxy.port(of: "http://user:pw@[2001:db8::5]:8080/") == 8080)
        #expect(HTTPProxy.port(of: "proxy.example.org") == 1080 && HTTPProxy.port(of: "http://[2001:db8::5]") == 1080)
        #expect(HTTPProxy.port(of: "https://proxy.example.org") == 443)
    }
}
