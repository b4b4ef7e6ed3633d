import Foundation
import Glibc
import Synchronization

public struct MetricsServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The smallest HTTP/1.1 responder that Prometheus can scrape: `GET /metrics` on a
/// loopback address, one request per connection, answered on one thread. A web
/// framework would bring swift-nio into the daemon for one endpoint; this is the same
/// socket pattern as DiariumReplay's server, and it refuses to bind anything but
/// 127.0.0.1 because the metrics name the agency's accounts.
public final class MetricsServer: Sendable {
    public let port: Int
    private let listenFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopped = Mutex(false)
    private let finished = Mutex(false)
    private let render: @Sendable () -> String

    /// Binds 127.0.0.1:`port` (0 picks a free one) and starts serving on a thread.
    public init(port: Int, render: @escaping @Sendable () -> String) throws {
        self.render = render
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MetricsServerError(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw MetricsServerError(description: "The metrics endpoint cannot listen on 127.0.0.1:\(port): \(message).")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) } }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw MetricsServerError(description: "pipe() failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in pipeFDs { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        listenFD = fd
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in serveLoop() }
        thread.name = "diarium.metrics"
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting and waits (up to a second) for the serving thread to leave.
    public func stop() {
        let first = stopped.withLock { value in defer { value = true }; return !value }
        guard first else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
        let deadline = Date().addingTimeInterval(1)
        while !finished.withLock({ $0 }) && Date() < deadline { usleep(1000) }
        if finished.withLock({ $0 }) {
            close(listenFD)
            close(wakeRead)
            close(wakeWrite)
        }
    }

    private func serveLoop() {
        defer { finished.withLock { $0 = true } }
        var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let rc = poll(&fds, 2, -1)
            if rc < 0 && errno == EINTR { continue }
            if rc < 0 || fds[1].revents != 0 { return }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            answer(client)
            close(client)
        }
    }

    /// Reads the request head (at most 8 KiB, two seconds) and answers it.
    private func answer(_ fd: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 2048)
        while head.count < 8192 {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            head += buffer[0..<n]
            if head.count >= 4, head.suffix(4) == [13, 10, 13, 10] { break }
        }
        let requestLine = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let status: String
        var body: String
        var type = "text/plain; charset=utf-8"
        if requestLine.count >= 2, requestLine[0] == "GET" || requestLine[0] == "HEAD", requestLine[1].split(separator: "?").first == "/metrics" {
            status = "200 OK"
            body = render()
            type = "text/plain; version=0.0.4; charset=utf-8"
        } else {
            status = "404 Not Found"
            body = "Diarium serves only /metrics here.\n"
        }
        if requestLine.first == "HEAD" { body = "" }
        let payload = Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        var offset = 0
        while offset < payload.count {
            let n = payload.withUnsafeBytes { send(fd, $0.baseAddress! + offset, payload.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}
