import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven through its DevTools protocol: a WebSocket to the page
/// target, JSON commands, replies matched by id. Small and blocking on purpose; callers
/// run it on a thread of its own (see `onThread`).
final class Chromium: @unchecked Sendable {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    let process: Process
    let profile: URL
    let socket: WebSocket
    private var nextID = 0

    /// Debian's `chromium` (or `$CHROMIUM`).
    static func executable() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "Chromium is not installed (looked for \(candidates.joined(separator: ", "))). `make test` installs Debian's chromium; or run: apt-get install -y chromium fonts-dejavu-core")
        }
        return found
    }

    /// Starts `chromium --headless=new` with a fresh profile and connects to its first page.
    init(width: Int = 1280, height: Int = 900) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("diarium-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--user-data-dir=\(profile.path)",
                             "--window-size=\(width),\(height)", "--hide-scrollbars", "about:blank"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Chromium writes its DevTools port to the profile once it listens.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        var port: Int?
        for _ in 0..<300 where port == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let first = text.split(separator: "\n").first { port = Int(first) }
            if port == nil { usleep(50_000) }
        }
        guard let port else {
            process.terminate()
            throw Missing(description: "Chromium started but opened no DevTools port within 15 s")
        }
        let targets = TestBrowser.perform(method: "GET", url: "http://127.0.0.1:\(port)/json/list", cookie: "", body: nil)
        let list = (try? JSONSerialization.jsonObject(with: targets.body)) as? [[String: Any]] ?? []
        guard let page = list.first(where: { $0["type"] as? String == "page" }), let ws = page["webSocketDebuggerUrl"] as? String,
              let path = URL(string: ws)?.path
        else {
            process.terminate()
            throw Missing(description: "Chromium's DevTools listed no page target")
        }
        socket = try WebSocket(port: port, path: path)
        _ = try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
    }

    func close() {
        socket.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends one command and returns its `result`, skipping events in between.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
        try socket.sendText(message)
        while true {
            let reply = try socket.receiveText()
            guard let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any], object["id"] as? Int == id else { continue }
            if let error = object["error"] { throw Missing(description: "\(method) failed: \(error)") }
            return object["result"] as? [String: Any] ?? [:]
        }
    }

    /// Evaluates JavaScript in the page (DevTools evaluation is not page script: the
    /// page's CSP forbids scripts, this is the test reaching in from outside).
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits for a newly loaded document (the marker set on the old one is gone).
    func waitForNewDocument() throws {
        for _ in 0..<200 {
            let state = try evaluate("window.__diariumOld === undefined && document.readyState === 'complete'") as? Bool
            if state == true { return }
            usleep(50_000)
        }
        throw Missing(description: "the page did not load within 10 s")
    }

    func navigate(_ url: String) throws {
        _ = try evaluate("window.__diariumOld = true")
        _ = try send("Page.navigate", ["url": url])
        try waitForNewDocument()
    }

    /// Runs an action that submits a form (a click), then waits for the next page.
    func submit(_ expression: String) throws {
        _ = try evaluate("window.__diariumOld = true")
        _ = try evaluate(expression)
        try waitForNewDocument()
    }

    /// Fills the login form on the current page with `user` and submits it; fails when
    /// the browser does not land on the journal (the page every login goes to).
    func logIn(_ user: (String, String)) throws {
        try submit("""
            document.querySelector('input[name=name]').value = \(ChromiumTests.json(user.0));
            document.querySelector('input[name=password]').value = \(ChromiumTests.json(user.1));
            document.querySelector('form[action="/login"] button').click()
            """)
        guard (try evaluate("location.pathname") as? String) == "/journal" else {
            throw FixtureError("login in Chromium failed (is the Secure cookie accepted on http://127.0.0.1?)")
        }
    }

    func screenshot(to url: URL) throws {
        let result = try send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Missing(description: "no screenshot data")
        }
        try data.write(to: url)
    }
}

/// The client side of RFC 6455, just enough for DevTools: masked text frames out,
/// unmasked (possibly fragmented) text frames in.
final class WebSocket: @unchecked Sendable {
    let fd: Int32

    init(port: Int, path: String) throws {
        fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Chromium.Missing(description: "cannot connect to DevTools on port \(port)") }
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try write(Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        var head = Data()
        while !head.ends(with: Data("\r\n\r\n".utf8)) { head.append(contentsOf: try read(1)) }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw Chromium.Missing(description: "DevTools refused the WebSocket: \(String(decoding: head, as: UTF8.self))")
        }
    }

    func close() { Glibc.close(fd) }

    func write(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Chromium.Missing(description: "DevTools connection closed while sending") }
            offset += n
        }
    }

    func read(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            guard n > 0 else { throw Chromium.Missing(description: "DevTools connection closed or timed out") }
            got += n
        }
        return out
    }

    func sendText(_ payload: Data) throws {
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xff)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(Data(frame))
    }

    /// The next whole text message (continuation frames joined; pings and other control frames skipped).
    func receiveText() throws -> Data {
        var message = Data()
        while true {
            let head = try read(2)
            let fin = head[0] & 0x80 != 0
            let opcode = head[0] & 0x0f
            var length = Int(head[1] & 0x7f)
            if length == 126 {
                let ext = try read(2)
                length = Int(ext[0]) << 8 | Int(ext[1])
            } else if length == 127 {
                length = try read(8).reduce(0) { $0 << 8 | Int($1) }
            }
            let mask = head[1] & 0x80 != 0 ? try read(4) : nil
            var payload = length > 0 ? try read(length) : []
            if let mask { for i in 0..<payload.count { payload[i] ^= mask[i % 4] } }
            if opcode == 0x8 { throw Chromium.Missing(description: "DevTools closed the WebSocket") }
            if opcode >= 0x8 { continue }
            message.append(contentsOf: payload)
            if fin { return message }
        }
    }
}

extension Data {
    func ends(with suffix: Data) -> Bool { count >= suffix.count && self.suffix(suffix.count) == suffix }
}
