import CCurl
import DiariumCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The forward proxy requests go through, read from the environment as curl reads it
/// (`http_proxy`; `https_proxy` or `HTTPS_PROXY`; `all_proxy` or `ALL_PROXY` for either;
/// `no_proxy` is left to curl), and set on every transfer explicitly, so what the client
/// believes and what curl does cannot differ.
///
/// Through a proxy the address check (`AddressPolicy`) cannot see the address a request
/// finally reaches: curl connects to the proxy, and the proxy resolves the target. So a
/// proxied request is checked on the target's own addresses before it is sent, and so is
/// every `Location` curl is about to follow; the connection to the proxy itself, which
/// the sysadmin configured, is allowed. (The proxy resolves the name once more; a name
/// that changes its address between the two lookups is the one case left to the proxy.)
public struct HTTPProxy: Sendable, Hashable {
    public var http: String?
    public var https: String?

    public init(http: String? = nil, https: String? = nil) {
        self.http = http
        self.https = https
    }

    public static let none = HTTPProxy()

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPProxy {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0]?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        }
        let all = value("all_proxy", "ALL_PROXY")
        // curl ignores an upper-case HTTP_PROXY (a CGI program's environment can set it).
        return HTTPProxy(http: value("http_proxy") ?? all, https: value("https_proxy", "HTTPS_PROXY") ?? all)
    }

    /// The proxy for a request to `url`, by its scheme; nil: a direct connection.
    public func proxy(for url: String) -> String? {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        return scheme == "https" ? https : scheme == "http" ? http : nil
    }

    public var isEmpty: Bool { http == nil && https == nil }

    /// The port curl connects to for `proxy`: the one it names, else curl's default (443
    /// for an `https://` proxy, 1080 for any other).
    static func port(of proxy: String) -> Int {
        let rest = proxy.range(of: "://").map { proxy[$0.upperBound...] } ?? proxy[...]
        let authority = rest.prefix { $0 != "/" }
        let hostPort = authority.split(separator: "@").last ?? authority
        if let colon = hostPort.lastIndex(of: ":"), !hostPort[colon...].contains("]"), let port = Int(hostPort[hostPort.index(after: colon)...]) {
            return port
        }
        return proxy.lowercased().hasPrefix("https://") ? 443 : 1080
    }
}

extension AddressPolicy {
    /// The check for a request that goes through a proxy: the target's host resolved here
    /// (a literal address as it is) and every address it has held to the policy, as if the
    /// request were direct. Nil when the request may go; a name that does not resolve here
    /// is left to the proxy (it may know names this host does not).
    public func refusal(throughProxyTo url: String) -> String? {
        guard let origin = URLOrigin(url) else { return nil }
        let host = origin.host.hasPrefix("[") && origin.host.hasSuffix("]") ? String(origin.host.dropFirst().dropLast()) : origin.host
        for address in Self.addresses(of: host) {
            if let reason = refusal(connectingTo: address, port: origin.port, for: url) { return reason + " (checked before sending it to the proxy)" }
        }
        return nil
    }

    /// Every address `host` resolves to (getaddrinfo, both families), or the literal itself.
    static func addresses(of host: String) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var out: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let sockaddr = current.pointee.ai_addr {
                switch Int32(current.pointee.ai_family) {
                case AF_INET:
                    let v4 = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    let bytes = withUnsafeBytes(of: v4) { Array($0) }
                    out.append(IPAddress(ipv4: bytes[0], bytes[1], bytes[2], bytes[3]))
                case AF_INET6:
                    let v6 = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    if let address = IPAddress(bytes: withUnsafeBytes(of: v6) { Array($0) }) { out.append(address) }
                default:
                    break
                }
            }
            node = current.pointee.ai_next
        }
        return out
    }
}
