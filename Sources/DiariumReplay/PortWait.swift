import Foundation
import Glibc

/// Nothing accepted connections on the port in time, or the server's process ended first.
public struct PortWaitError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Returns once something accepts TCP connections on 127.0.0.1:`port`. A server started
/// as a process of its own (socat, `openssl s_server`) binds when it gets round to it and
/// says nothing, so a connection that succeeds is the only sign it is ready; sleeping a
/// fixed while instead was either slow or flaky. Between attempts it pauses `interval`
/// and asks `serverIsAlive`, so a server that died fails now rather than at the deadline.
public func waitUntilAccepting(
    port: Int,
    within timeout: Duration,
    interval: Duration = .milliseconds(10),
    serverIsAlive: () -> Bool = { true }
) throws(PortWaitError) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    while true {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PortWaitError("socket() failed: \(String(cString: strerror(errno)))") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return }
        guard serverIsAlive() else { throw PortWaitError("the server for 127.0.0.1:\(port) ended before it accepted a connection") }
        guard clock.now < deadline else { throw PortWaitError("nothing accepted connections on 127.0.0.1:\(port) within \(timeout)") }
        let (seconds, attoseconds) = interval.components
        usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
    }
}
