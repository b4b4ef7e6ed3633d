import Glibc
import Foundation

/// A parsed HTTP/1.1 request head plus its Content-Length body.
struct ParsedRequest {
    var method: String
    var target: String
    var headers: [ReplayHeader]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Blocking socket I/O for one accepted connection. Every wait is a `poll` that also
/// watches the server's wake pipe, so `stop()` ends a connection thread at once,
/// whatever it is doing (reading, delaying, stalling, dripping).
struct ReplayConnection {
    let fd: Int32
    let wakeFD: Int32
    static let maxHeadBytes = 64 * 1024
    static let maxBodyBytes = 16 * 1024 * 1024
    static let idleTimeoutMs: Int32 = 30_000

    enum Readiness { case ready, woken, timedOut }

    /// Waits until the socket is readable (or writable), the server stops, or the timeout passes.
    func wait(forWriting: Bool = false, timeoutMs: Int32) -> Readiness {
        var fds = [
            pollfd(fd: fd, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let rc = poll(&fds, 2, timeoutMs)
            if rc < 0 && errno == EINTR { continue }
            if rc < 0 { return .woken }
            if rc == 0 { return .timedOut }
            if fds[1].revents != 0 { return .woken }
            return .ready
        }
    }

    /// Sleeps for the duration unless the server stops first; returns false if it stopped.
    func pause(_ duration: Duration) -> Bool {
        var wakeOnly = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        let deadline = ContinuousClock.now + duration
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return true }
            let (s, atto) = left.components
            let ms = Int32(min(Int64(Int32.max), s * 1000 + atto / 1_000_000_000_000_000 + 1))
            let rc = poll(&wakeOnly, 1, ms)
            if rc > 0 { return false }
            if rc < 0 && errno != EINTR { return false }
        }
    }

    /// Reads one request, or nil when the peer went away, sent garbage, or the server stopped.
    /// Bytes past the request (the next one on a kept-alive connection) stay in `leftover`.
    func readRequest(leftover: inout [UInt8]) -> ParsedRequest? {
        var buffer = leftover
        leftover = []
        var headEnd: Int? = Self.findHeadEnd(buffer)
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while headEnd == nil {
            guard buffer.count < Self.maxHeadBytes, wait(timeoutMs: Self.idleTimeoutMs) == .ready else { return nil }
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<n])
            headEnd = Self.findHeadEnd(buffer)
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [ReplayHeader] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(ReplayHeader(
                String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        var request = ParsedRequest(method: String(requestLine[0]).uppercased(), target: String(requestLine[1]), headers: headers, body: Data())
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        guard length >= 0, length <= Self.maxBodyBytes else { return nil }
        var body = Array(buffer[(headEnd + 4)...])
        while body.count < length {
            guard wait(timeoutMs: Self.idleTimeoutMs) == .ready else { return nil }
            let n = recv(fd, &chunk, min(chunk.count, length - body.count), 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            body.append(contentsOf: chunk[0..<n])
        }
        request.body = Data(body.prefix(length))
        if body.count > length { leftover = Array(body[length...]) }
        return request
    }

    private static func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// Writes everything, or returns false if the peer or the server went away.
    /// MSG_NOSIGNAL: a client hanging up must not kill the test process with SIGPIPE.
    @discardableResult
    func write(_ data: Data) -> Bool {
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            guard wait(forWriting: true, timeoutMs: Self.idleTimeoutMs) == .ready else { return false }
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Makes the following close send RST instead of FIN ("connection reset by peer").
    func armReset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }
}
