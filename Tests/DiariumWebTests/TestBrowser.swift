import CCurl
import Foundation

/// A response as the test sees it: status, headers in order, body.
struct WebResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    func headers(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    /// The session's CSRF token as the page put it in its forms.
    var csrfToken: String? {
        guard let range = text.range(of: #"name="csrf" value="([0-9a-f]{64})""#, options: .regularExpression) else { return nil }
        return String(text[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }
}

/// A browser's HTTP side over libcurl, for the live-server tests: it keeps cookies the
/// way a browser does (name=value from Set-Cookie, dropped on Max-Age=0), sends them
/// back, and never follows redirects, so each response's own headers can be checked.
/// Every transfer runs on its own thread: a blocking call must not hold one of the
/// few cooperative threads the server's handlers also need.
final class TestBrowser: @unchecked Sendable {
    let base: String
    private let lock = NSLock()
    private var jar: [String: String] = [:]

    init(base: String) { self.base = base }

    var cookies: [String: String] { lock.withLock { jar } }

    func setCookie(_ name: String, _ value: String) { lock.withLock { jar[name] = value } }

    func get(_ path: String) async -> WebResponse {
        await send("GET", path, body: nil)
    }

    /// A HEAD request: status and headers, no body read.
    func head(_ path: String) async -> WebResponse {
        await send("HEAD", path, body: nil)
    }

    func post(_ path: String, _ fields: [(String, String)]) async -> WebResponse {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return await send("POST", path, body: Data(body.utf8))
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private func send(_ method: String, _ path: String, body: Data?) async -> WebResponse {
        let url = path.hasPrefix("http") ? path : base + path
        let cookieLine = lock.withLock { jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = await onThread { Self.perform(method: method, url: url, cookie: cookieLine, body: body) }
        lock.withLock {
            for line in response.headers("Set-Cookie") {
                let pair = line.split(separator: ";", maxSplits: 1)[0]
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                let value = parts.count > 1 ? String(parts[1]) : ""
                if value.isEmpty || line.lowercased().contains("max-age=0") { jar[name] = nil } else { jar[name] = value }
            }
        }
        return response
    }

    final class Sink {
        var body = Data()
        var headers: [(name: String, value: String)] = []
    }

    static func perform(method: String, url: String, cookie: String, body: Data?) -> WebResponse {
        guard let handle = curl_easy_init() else { return WebResponse(status: 0, headers: [], body: Data()) }
        defer { curl_easy_cleanup(handle) }
        let sink = Sink()
        let pointer = Unmanaged.passUnretained(sink).toOpaque()
        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 20_000)
        _ = ccurl_easy_setopt_write_callback(handle) { data, size, count, user in
            let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
            sink.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, pointer)
        _ = ccurl_easy_setopt_header_callback(handle) { data, size, count, user in
            let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let colon = line.firstIndex(of: ":"), !line.hasPrefix("HTTP/") {
                sink.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            return size * count
        }
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, pointer)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        if !cookie.isEmpty { list = curl_slist_append(list, "Cookie: \(cookie)") }
        if method == "HEAD" { _ = ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1) }
        if method == "POST" {
            list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded")
            let payload = body ?? Data()
            _ = ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
            _ = payload.withUnsafeBytes { bytes in
                ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(pointer)))
            }
        }
        if let list { _ = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list) }
        defer { curl_slist_free_all(list) }
        guard curl_easy_perform(handle) == CURLE_OK else { return WebResponse(status: 0, headers: [], body: Data()) }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return WebResponse(status: status, headers: sink.headers, body: sink.body)
    }
}

/// Runs blocking work on a thread of its own and awaits its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.start()
    }
}
