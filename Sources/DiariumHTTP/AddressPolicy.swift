import CCurl
import DiariumCore

/// The scheme, host and port of a URL, as curl reads it (the same parser as the transfer,
/// so a URL cannot mean one host to the check and another to curl). Host lowercased, IPv6
/// in brackets, the port filled in from the scheme when the URL has none.
/// CURLU_DEFAULT_PORT, `(1<<0)` in urlapi.h.
private let defaultPortFlag: UInt32 = 1

public struct URLOrigin: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int

    public init?(_ url: String) {
        _ = curlGlobalInit
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &out, flags) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        guard let scheme = part(CURLUPART_SCHEME), let host = part(CURLUPART_HOST),
              let portText = part(CURLUPART_PORT, defaultPortFlag), let port = Int(portText) else { return nil }
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
    }

    public var description: String { "\(scheme)://\(host):\(port)" }
}

/// Which internal addresses a transfer may connect to. Every address curl is about to
/// connect to passes through it (the first URL, every redirect it follows, every paging
/// link and media URL a connector sends), so the check sees the address actually used,
/// after DNS: a public-looking name that resolves to 127.0.0.1 is caught too.
///
/// A public address is always allowed. An inward one (`IPAddress.isInward`: loopback,
/// private, link-local, unique-local) only when the URL being fetched has the scheme, host
/// and port of a trusted origin (a configured account's own API or feed, the time-stamping
/// authority), or when the address is in `allowed` (`[poll] allow_addresses`). Without
/// this, a post whose media URL is `http://127.0.0.1:9000/internal` or
/// `http://169.254.169.254/…` would make the archiver fetch the agency's own internal
/// services and keep the answer as a public record.
public struct AddressPolicy: Sendable {
    public var trustedOrigins: Set<URLOrigin>
    public var allowed: [AddressBlock]

    /// `trustedURLs` are full URLs (an account's `base_url` or feed `url`); only their
    /// scheme, host and port count. Unparseable ones are ignored (the configuration checks
    /// account URLs itself).
    public init(trustedURLs: [String] = [], allowed: [AddressBlock] = []) {
        trustedOrigins = Set(trustedURLs.compactMap(URLOrigin.init))
        self.allowed = allowed
    }

    /// Nil when a connection to `address`:`port` for `url` may go ahead; otherwise the
    /// reason, as a clause naming the host, the address and the setting that would allow it.
    public func refusal(connectingTo address: IPAddress, port: Int, for url: String) -> String? {
        guard address.isInward else { return nil }
        if allowed.contains(where: { $0.contains(address, port: port) }) { return nil }
        let origin = URLOrigin(url)
        if let origin, trustedOrigins.contains(origin) { return nil }
        let host = origin?.host ?? "the host"
        return "\(host) is \(address) port \(port), an internal address (loopback, private, link-local or unique-local), "
            + "and \(redactedURL(url)) is neither a configured account's own API or feed nor listed in [poll] allow_addresses"
    }
}
