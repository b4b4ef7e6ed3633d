import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A port on 127.0.0.1 that refuses every connection for as long as it is held: a socket
/// bound to it but never listening. A port taken from a server that was then stopped
/// is free for any other test to bind meanwhile (seen in a full run: a "refused" account
/// was answered by another suite's server and quarantined); a held port cannot be.
public final class RefusedPort: @unchecked Sendable {
    public let port: Int
    private let lock = NSLock()
    private var fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RefusedPortError(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc.close(fd)
            throw RefusedPortError(description: "cannot bind 127.0.0.1: \(message)")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// An http URL on the port, for an account that must fail to connect.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Lets the port go; a test calls it (in a `defer`) once nothing connects to it any more.
    public func close() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    deinit { close() }
}

public struct RefusedPortError: Error, CustomStringConvertible {
    public var description: String
}
