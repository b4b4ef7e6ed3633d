#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One IP address as 16 bytes; an IPv4 address is held in its IPv4-mapped IPv6 form
/// (`::ffff:a.b.c.d`), so one comparison covers both families.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d]
    }

    /// Parses a literal address: `192.0.2.7` or `2001:db8::1` (no brackets, no zone).
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// The IPv4 address this one stands for: a mapped address, or one embedded in the
    /// NAT64 prefix `64:ff9b::/96` (which a NAT64 gateway turns back into that IPv4).
    public var ipv4: [UInt8]? {
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Array(bytes[12..<16]) }
        if Array(bytes[0..<12]) == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return Array(bytes[12..<16]) }
        return nil
    }

    /// Loopback, private (RFC 1918), link-local (cloud metadata lives there), unique-local,
    /// "this host" (0.0.0.0/8, which Linux connects to loopback), carrier-grade NAT and the
    /// IPv6 unspecified/loopback/site-local addresses: everything that reaches this machine
    /// or the agency's own network rather than the public internet.
    public var isInward: Bool {
        if let v4 = ipv4 {
            switch v4[0] {
            case 0, 10, 127: return true
            case 100: return (64...127).contains(v4[1])
            case 169: return v4[1] == 254
            case 172: return (16...31).contains(v4[1])
            case 192: return v4[1] == 168
            default: return false
            }
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && (bytes[15] == 0 || bytes[15] == 1) { return true } // :: and ::1
        if bytes[0] & 0xfe == 0xfc { return true } // fc00::/7 unique-local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true } // fe80::/10 link-local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return true } // fec0::/10 old site-local
        return false
    }

    public var description: String {
        if let v4 = ipv4, bytes[10] == 0xff { return v4.map(String.init).joined(separator: ".") }
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(cString: buffer)
    }
}

/// An entry of `[poll] allow_addresses`: an address or a CIDR block, optionally limited to
/// one port. Written `127.0.0.1`, `10.0.0.0/8`, `192.0.2.7:8443`, `::1`, `fd00::/8`,
/// `[::1]:8443` or `[fd00::/8]:443`. It names addresses, not host names, because the
/// check is made on the address a connection actually goes to.
public struct AddressBlock: Sendable, Hashable, CustomStringConvertible {
    public var network: IPAddress
    /// Leading bits that must match, counted on the 16-byte form (an IPv4 /8 is 104).
    public var prefixLength: Int
    public var port: Int?
    public let text: String

    /// Parses one entry; the error is a phrase saying what is wrong with it.
    public static func parse(_ text: String) -> Result<AddressBlock, AddressBlockError> {
        var rest = Substring(text)
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return .failure(.init("has '[' without ']'")) }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    return .failure(.init("must end in ]:PORT with PORT from 1 to 65535"))
                }
                port = p
            }
            rest = rest[rest.index(after: rest.startIndex)..<close]
        } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.firstIndex(of: ":") {
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                return .failure(.init("has a port that is not a number from 1 to 65535"))
            }
            port = p
            rest = rest[..<colon]
        }
        var bits: Int?
        if let slash = rest.firstIndex(of: "/") {
            guard let b = Int(rest[rest.index(after: slash)...]) else { return .failure(.init("has a prefix length that is not a number")) }
            bits = b
            rest = rest[..<slash]
        }
        guard let address = IPAddress(String(rest)) else {
            return .failure(.init("is not an IP address or CIDR block (host names are not accepted: the check is made on addresses)"))
        }
        let isV4 = address.ipv4 != nil && address.bytes[10] == 0xff
        let width = isV4 ? 32 : 128
        let length = bits ?? width
        guard (0...width).contains(length) else { return .failure(.init("has a prefix length outside 0 to \(width)")) }
        return .success(AddressBlock(network: address, prefixLength: length + (isV4 ? 96 : 0), port: port, text: text))
    }

    private init(network: IPAddress, prefixLength: Int, port: Int?, text: String) {
        self.network = network
        self.prefixLength = prefixLength
        self.port = port
        self.text = text
    }

    public func contains(_ address: IPAddress, port: Int) -> Bool {
        if let own = self.port, own != port { return false }
        var remaining = prefixLength
        for index in 0..<16 where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xff : ~(0xff >> UInt8(take))
            if address.bytes[index] & mask != network.bytes[index] & mask { return false }
            remaining -= take
        }
        return true
    }

    public var description: String { text }
}

public struct AddressBlockError: Error, Sendable, Equatable {
    /// What is wrong, as a phrase that follows the entry: `"x" is not an IP address …`.
    public var problem: String
    init(_ problem: String) { self.problem = problem }
}
