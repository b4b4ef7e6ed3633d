import DiariumConfig
@testable import DiariumWeb
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Connections that send nothing, or a request head a line at a time, are closed by the
/// server; so is a kept-alive connection left idle. Each wait has a deadline well beyond
/// the timeout; nothing sleeps for a fixed time.
@Suite("Web page: connection timeouts and cap")
struct ConnectionLimitTests {
    @Test("[web] reads header_timeout, idle_timeout and max_connections; safe defaults; nonsense is named")
    func settings() throws {
        let defaults = WebSettings()
        #expect(defaults.headerTimeoutSeconds == 10 && defaults.idleTimeoutSeconds == 60 && defaults.maxConnections == 256)
        let custom = try #require(try DiariumConfiguration.parse("[web]\nheader_timeout = \"5s\"\nidle_timeout = \"2m\"\nmax_connections = 50\n", file: "t.toml").web)
        #expect(custom.headerTimeoutSeconds == 5 && custom.idleTimeoutSeconds == 120 && custom.maxConnections == 50)
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nheader_timeout = \"0s\"\n", file: "t.toml") }
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nidle_timeout = 60\n", file: "t.toml") }
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nheader_timeout = \"2h\"\n", file: "t.toml") }
        #expect(throws: (any Error).self) { try DiariumConfiguration.parse("[web]\nmax_connections = 0\n", file: "t.toml") }
    }

    @Test("a connection that sends nothing, one that sends its head a line at a time, and one that never finishes its body are closed after header_timeout")
    func headerTimeout() async throws {
        let f = try await WebFixture.make(settings: WebSettings(headerTimeoutSeconds: 1, idleTimeoutSeconds: 600))
        let port = f.port
        let silent = try RawConnection(port: port)
        let slow = try RawConnection(port: port)
        let started = Date()
        // The trickler sends a header line every 200 ms until the server hangs up; the
        // idle timeout (10 minutes) cannot be what closes it.
        let trickled = await onThread { () -> Bool in
            guard slow.send("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n") else { return false }
            for n in 0..<600 {
                if slow.isClosed(waitingMilliseconds: 200) { return true }
                _ = slow.send("X-Slow-\(n): 1\r\n")
            }
            return false
        }
        #expect(trickled, "the server closed the half-sent request")
        #expect(await onThread { silent.isClosed(waitingMilliseconds: 30_000) }, "the server closed the silent connection")
        let halfBody = try RawConnection(port: port)
        let bodyCut = await onThread { () -> Bool in
            _ = halfBody.send("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=")
            return halfBody.isClosed(waitingMilliseconds: 30_000)
        }
        #expect(bodyCut, "a form body that never finishes is cut off too")
        halfBody.close()
        // Far above what a loaded machine adds to a 1 s timeout, far below the 600 s idle one.
        #expect(Date().timeIntervalSince(started) < 150)
        // A complete request is still answered.
        #expect(await TestBrowser(base: f.base).get("/login").status == 200)
        silent.close()
        slow.close()
        await f.stop()
    }

    @Test("a kept-alive connection is closed after idle_timeout without a new request")
    func idleTimeout() async throws {
        let f = try await WebFixture.make(settings: WebSettings(headerTimeoutSeconds: 600, idleTimeoutSeconds: 1))
        let connection = try RawConnection(port: f.port)
        let answered = await onThread { () -> String in
            _ = connection.send("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return connection.readSome(waitingMilliseconds: 10_000)
        }
        #expect(answered.hasPrefix("HTTP/1.1 200"))
        #expect(await onThread { connection.isClosed(waitingMilliseconds: 30_000) }, "closed after the idle timeout")
        connection.close()
        await f.stop()
    }

    @Test("a connection beyond max_connections is closed at once; the others are served")
    func connectionCap() async throws {
        let f = try await WebFixture.make(settings: WebSettings(headerTimeoutSeconds: 600, idleTimeoutSeconds: 600, maxConnections: 2))
        let connections = try (0..<3).map { _ in try RawConnection(port: f.port) }
        // Which one is refused depends on which event loop sets its connection up first;
        // exactly one is, long before the 10-minute timeouts.
        let closed = await onThread { () -> [Int] in
            var closed: [Int] = []
            let deadline = Date().addingTimeInterval(20)
            while closed.isEmpty, Date() < deadline {
                for (index, connection) in connections.enumerated() where connection.isClosed(waitingMilliseconds: 50) { closed.append(index) }
            }
            return closed
        }
        #expect(closed.count == 1)
        for (index, connection) in connections.enumerated() where !closed.contains(index) {
            let answer = await onThread { () -> String in
                _ = connection.send("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                return connection.readSome(waitingMilliseconds: 20_000)
            }
            #expect(answer.hasPrefix("HTTP/1.1 200"), "connection \(index) is served")
        }
        connections.forEach { $0.close() }
        // Once the server has seen them go, new connections are served again.
        let deadline = Date().addingTimeInterval(20)
        var status = 0
        while status != 200, Date() < deadline { status = await TestBrowser(base: f.base).get("/login").status }
        #expect(status == 200)
        await f.stop()
    }
}

/// A plain TCP client for what libcurl will not do: send half a request, or nothing.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, result == 0 else { throw FixtureError("cannot connect to 127.0.0.1:\(port)") }
    }

    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Waits up to `waitingMilliseconds` for the server to close (or reset) the
    /// connection; bytes it sends meanwhile are read and dropped.
    func isClosed(waitingMilliseconds: Int) -> Bool {
        let deadline = Date().addingTimeInterval(Double(waitingMilliseconds) / 1000)
        repeat {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
            guard poll(&poller, 1, left) > 0 else { return false }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return true }
        } while Date() < deadline
        return false
    }

    /// What the server sends within the wait (until it pauses or closes).
    func readSome(waitingMilliseconds: Int) -> String {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(waitingMilliseconds)) > 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
    }

    func close() { _ = Glibc.close(fd) }
}
