import Foundation
import Glibc
import Synchronization

/// The server could not start (no free port, out of file descriptors …).
public struct ReplayServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port that answers from a
/// script of `ReplayRoute`s. Every test of the project and `diarium demo` talk to
/// it instead of the internet; it never binds anything but the loopback address
/// and never opens an outgoing connection.
///
/// Matching: method, exact path, and every query parameter the route lists; a route
/// is active when `stage >= route.stage` and it has `times` left. Among matches the
/// highest stage wins, then the route listing more query parameters, then a route
/// with a `times` limit over an unlimited one (so "one 429, then the 200" works in
/// any order), then the route added first. Unmatched requests get 404
/// `{"error":"Record not found"}`.
///
/// One thread per connection, `Connection: close` on every response unless
/// `Options.keepAlive` is set. Keep a reference for as long as you use it
/// (`defer { server.stop() }`): it stops on deinit.
public final class ReplayServer: Sendable {
    /// How the server behaves beyond its script. The defaults are what every test stands
    /// on; the benchmark opts into the rest to serve a large generated account.
    public struct Options: Sendable {
        /// Answers many requests per connection (HTTP/1.1 persistent connections), as a
        /// real server does; off by default so every test sees one request per connection.
        public var keepAlive: Bool
        /// Keeps every request for `requests`; off for a long benchmark whose
        /// hundreds of thousands of requests nobody reads back.
        public var recordsRequests: Bool
        /// Asked when no scripted route matches, so a large generated account is answered
        /// as it is requested instead of being held as a route per page.
        public var generated: (@Sendable (RecordedRequest) -> ReplayRoute?)?

        public init(keepAlive: Bool = false, recordsRequests: Bool = true, generated: (@Sendable (RecordedRequest) -> ReplayRoute?)? = nil) {
            self.keepAlive = keepAlive
            self.recordsRequests = recordsRequests
            self.generated = generated
        }
    }

    private let core: ReplayCore

    /// Binds 127.0.0.1:0 and starts serving at once.
    public init(routes: [ReplayRoute] = [], options: Options = Options()) throws {
        core = try ReplayCore(routes: routes, options: options)
        let core = self.core
        let thread = Thread { core.acceptLoop() }
        thread.name = "diarium.replay.accept"
        guard core.registerThread() else { throw ReplayServerError(description: "replay server stopped while starting") }
        thread.start()
    }

    deinit { core.stop() }

    public var port: Int { core.port }
    public var baseURL: String { "http://127.0.0.1:\(core.port)" }

    public func add(_ routes: [ReplayRoute]) { core.add(routes) }
    public func add(_ route: ReplayRoute) { core.add([route]) }
    public func setStage(_ stage: Int) { core.setStage(stage) }
    public var stage: Int { core.stage }

    /// Requests answered so far (counted even when they are not recorded).
    public var requestCount: Int { core.requestCount }

    /// Every request received, in order of arrival (empty unless `Options.recordsRequests`).
    public var requests: [RecordedRequest] { core.requests }

    /// The most requests this server held at one moment (received, answer not yet begun):
    /// a test proves that a client works in parallel (or keeps to a cap) by what the server
    /// saw, not by a clock.
    public var peakInFlight: Int { core.peakInFlight }

    /// Requests to one path, in order.
    public func requests(to path: String) -> [RecordedRequest] { core.requests.filter { $0.path == path } }

    /// Closes the socket and ends every connection thread (waiting up to two seconds
    /// for them). Idempotent; also runs on deinit.
    public func stop() { core.stop() }
}

/// Everything the server's threads share. Threads hold this, not the `ReplayServer`,
/// so dropping the last reference to the server still stops it.
final class ReplayCore: Sendable {
    private struct StoredRoute {
        var route: ReplayRoute
        var served = 0
        var order: Int
    }

    private struct State {
        var routes: [StoredRoute] = []
        var stage = 0
        var requests: [RecordedRequest] = []
        var requestCount = 0
        var inFlight = 0
        var peakInFlight = 0
        var connections: Set<Int32> = []
        var threads = 0
        var stopped = false
        var closed = false
    }

    let port: Int
    private let options: ReplayServer.Options
    private let listenFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = Mutex(State())

    init(routes: [ReplayRoute], options: ReplayServer.Options) throws {
        self.options = options
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ReplayServerError(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian // 127.0.0.1 only, never INADDR_ANY
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ReplayServerError(description: "cannot listen on 127.0.0.1: \(message)")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) } }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw ReplayServerError(description: "pipe() failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in pipeFDs { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        listenFD = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        add(routes)
    }

    // MARK: Script

    func add(_ routes: [ReplayRoute]) {
        state.withLock { state in
            for route in routes {
                state.routes.append(StoredRoute(route: route, order: state.routes.count))
            }
        }
    }

    func setStage(_ stage: Int) { state.withLock { $0.stage = stage } }
    var stage: Int { state.withLock { $0.stage } }
    var requests: [RecordedRequest] { state.withLock { $0.requests } }
    var requestCount: Int { state.withLock { $0.requestCount } }
    var peakInFlight: Int { state.withLock { $0.peakInFlight } }

    /// Records the request and picks (and consumes one use of) the route that answers it.
    private func record(_ request: RecordedRequest) -> ReplayRoute? {
        state.withLock { state in
            state.requestCount += 1
            state.inFlight += 1
            state.peakInFlight = max(state.peakInFlight, state.inFlight)
            if options.recordsRequests { state.requests.append(request) }
            var best: Int? = nil
            for index in state.routes.indices {
                let candidate = state.routes[index]
                guard matches(candidate.route, request, stage: state.stage, served: candidate.served) else { continue }
                if let current = best, !Self.ranksAbove(candidate, state.routes[current]) { continue }
                best = index
            }
            guard let best else { return nil }
            state.routes[best].served += 1
            return state.routes[best].route
        }
    }

    private func matches(_ route: ReplayRoute, _ request: RecordedRequest, stage: Int, served: Int) -> Bool {
        guard route.stage <= stage, route.method == request.method || (route.method == "GET" && request.method == "HEAD"),
              route.path == request.path else { return false }
        if let times = route.times, served >= times { return false }
        return route.query.allSatisfy { name, value in
            request.queryItems.contains { $0.name == name && $0.value == value }
        }
    }

    private static func ranksAbove(_ a: StoredRoute, _ b: StoredRoute) -> Bool {
        if a.route.stage != b.route.stage { return a.route.stage > b.route.stage }
        if a.route.query.count != b.route.query.count { return a.route.query.count > b.route.query.count }
        if (a.route.times != nil) != (b.route.times != nil) { return a.route.times != nil }
        return a.order < b.order
    }

    // MARK: Threads

    /// Counts a thread in; false once stopping, so no thread starts after `stop()` began waiting.
    func registerThread() -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            state.threads += 1
            return true
        }
    }

    private func unregisterThread() { state.withLock { $0.threads -= 1 } }

    func acceptLoop() {
        defer { unregisterThread() }
        var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let rc = poll(&fds, 2, -1)
            if rc < 0 && errno == EINTR { continue }
            if rc < 0 || fds[1].revents != 0 { return }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            // Not inherited by processes other tests spawn (accept4 is not imported).
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            if options.keepAlive {
                // A kept-alive connection answers the next request at once, not after the
                // peer's delayed ACK releases the tail of the last answer (Nagle).
                var one: Int32 = 1
                _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.threads += 1
                state.connections.insert(client)
                return true
            }
            guard admitted else {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.name = "diarium.replay.conn"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(fd)
                close(fd)
                state.threads -= 1
            }
        }
        let connection = ReplayConnection(fd: fd, wakeFD: wakeRead)
        let responder = ReplayResponder(connection: connection, baseURL: "http://127.0.0.1:\(port)")
        var leftover: [UInt8] = []
        while let parsed = connection.readRequest(leftover: &leftover) {
            let request = Self.recorded(parsed)
            let route = record(request) ?? options.generated?(request)
            // A fault or a client asking to close ends the connection as it always did.
            let keepOpen = options.keepAlive && route?.fault == nil && route?.delay == nil
                && parsed.header("Connection")?.lowercased() != "close"
            // Out of flight before the first byte of the answer: once the client has its
            // answer it may send the next request, which must not find this one counted.
            let answered = responder.answer(parsed, route: route, keepAlive: keepOpen) { state.withLock { $0.inFlight -= 1 } }
            guard answered, keepOpen else { return }
        }
    }

    static func recorded(_ parsed: ParsedRequest) -> RecordedRequest {
        let parts = parsed.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        let path = rawPath.removingPercentEncoding ?? rawPath
        var items: [(name: String, value: String)] = []
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String {
                    let spaced = s.replacingOccurrences(of: "+", with: " ")
                    return spaced.removingPercentEncoding ?? spaced
                }
                items.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
            }
        }
        var query: [String: String] = [:]
        for item in items where query[item.name] == nil { query[item.name] = item.value }
        return RecordedRequest(method: parsed.method, path: path, query: query, queryItems: items, headers: parsed.headers, body: parsed.body, receivedAt: Date())
    }

    // MARK: Stopping

    func stop() {
        let first = state.withLock { state in
            guard !state.stopped else { return false }
            state.stopped = true
            return true
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
        // Unblock anything stuck in the kernel; the owning thread still closes its fd.
        state.withLock { state in
            for fd in state.connections { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
        let deadline = Date().addingTimeInterval(2)
        while state.withLock({ $0.threads }) > 0 && Date() < deadline {
            usleep(1000)
        }
        // Close the shared descriptors only when no thread can still poll them;
        // leaking three descriptors beats closing one a thread may reuse.
        state.withLock { state in
            guard state.threads == 0, !state.closed else { return }
            state.closed = true
            close(listenFD)
            close(wakeRead)
            close(wakeWrite)
        }
    }

    deinit {
        stop()
    }
}
