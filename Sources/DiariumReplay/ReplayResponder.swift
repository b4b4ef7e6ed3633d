import Foundation
import Glibc

/// Writes the answer for one request: the route's response (with `{{base}}`
/// substituted, conditional 304s, and any fault), or the 404 for unmatched requests.
struct ReplayResponder {
    let connection: ReplayConnection
    let baseURL: String

    /// Returns false when the connection can carry no further request (the peer left).
    /// `answering` runs once the request has been held (its route's delay) and before a
    /// byte of the answer goes out: until then the client cannot have it.
    @discardableResult
    func answer(_ request: ParsedRequest, route: ReplayRoute?, keepAlive: Bool = false, answering: () -> Void = {}) -> Bool {
        var told = false
        func tell() {
            guard !told else { return }
            told = true
            answering()
        }
        defer { tell() }
        guard let route else {
            tell()
            return send(status: 404, headers: [ReplayHeader("Content-Type", "application/json")], body: Data(#"{"error":"Record not found"}"#.utf8), head: request.method == "HEAD", keepAlive: keepAlive)
        }
        if let delay = route.delay, !connection.pause(delay) { return false }
        tell()
        if route.fault == .closeWithoutResponse { return false }

        var headers = route.headers.map { ReplayHeader($0.name, substitute($0.value)) }
        if let etag = route.etag { headers.append(ReplayHeader("ETag", etag)) }
        if let lastModified = route.lastModified { headers.append(ReplayHeader("Last-Modified", lastModified)) }
        if let etag = route.etag, let sent = request.header("If-None-Match"),
           sent.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return send(status: 304, headers: headers, body: Data(), head: true, keepAlive: keepAlive)
        }
        if route.etag == nil || request.header("If-None-Match") == nil,
           let lastModified = route.lastModified, request.header("If-Modified-Since") == lastModified {
            return send(status: 304, headers: headers, body: Data(), head: true, keepAlive: keepAlive)
        }

        var body = substitute(route.body)
        if route.fault == .gzip {
            body = Gzip.storedOnly(body)
            headers.append(ReplayHeader("Content-Encoding", "gzip"))
        }
        return send(status: route.status, headers: headers, body: body, head: request.method == "HEAD", fault: route.fault, keepAlive: keepAlive)
    }

    private func substitute(_ text: String) -> String {
        text.replacingOccurrences(of: "{{base}}", with: baseURL)
    }

    /// Replaces every `{{base}}`; memchr and memcmp, since a page of a generated account is
    /// tens of kilobytes and Foundation's `Data.range(of:)` walks it slowly.
    private func substitute(_ body: Data) -> Data {
        let marker = Array("{{base}}".utf8)
        let base = Array(baseURL.utf8)
        return body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            guard let start = raw.baseAddress, raw.count >= marker.count else { return body }
            var offsets: [Int] = []
            var from = 0
            while from <= raw.count - marker.count,
                  let hit = memchr(start + from, Int32(marker[0]), raw.count - marker.count + 1 - from) {
                let offset = start.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, marker, marker.count) == 0 {
                    offsets.append(offset)
                    from = offset + marker.count
                } else {
                    from = offset + 1
                }
            }
            guard !offsets.isEmpty else { return body }
            var result = Data(capacity: raw.count + offsets.count * (base.count - marker.count))
            var last = 0
            for offset in offsets {
                result.append(start.assumingMemoryBound(to: UInt8.self) + last, count: offset - last)
                result.append(contentsOf: base)
                last = offset + marker.count
            }
            result.append(start.assumingMemoryBound(to: UInt8.self) + last, count: raw.count - last)
            return result
        }
    }

    @discardableResult
    private func send(status: Int, headers: [ReplayHeader], body: Data, head: Bool, fault: ReplayFault? = nil, keepAlive: Bool = false) -> Bool {
        var lines = ["HTTP/1.1 \(status) \(Self.reason(status))", "Date: \(Self.httpDate(Date()))", keepAlive ? "Connection: keep-alive" : "Connection: close"]
        let hasLength = headers.contains { $0.name.caseInsensitiveCompare("Content-Length") == .orderedSame }
        if !hasLength && status != 304 && status != 204 && status >= 200 {
            lines.append("Content-Length: \(body.count)")
        }
        lines += headers.map { "\($0.name): \($0.value)" }
        let headData = Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        let payload = head || status == 304 || status == 204 ? Data() : body

        switch fault {
        case .resetMidBody:
            guard connection.write(headData + payload.prefix(payload.count / 2)) else { return false }
            connection.armReset()
        case .stall(let duration):
            guard connection.write(headData + payload.prefix(payload.count / 2)), connection.pause(duration) else { return false }
            connection.write(payload.dropFirst(payload.count / 2))
        case .drip(let bytesPerSecond):
            guard connection.write(headData) else { return false }
            let perTick = max(1, bytesPerSecond / 20)
            var offset = payload.startIndex
            while offset < payload.endIndex {
                let end = min(payload.endIndex, offset + perTick)
                guard connection.write(payload[offset..<end]), connection.pause(.milliseconds(50)) else { return false }
                offset = end
            }
        case .interim(let interimStatus, let interimHeaders):
            let interim = ["HTTP/1.1 \(interimStatus) \(Self.reason(interimStatus))"] + interimHeaders.map { "\($0.name): \(substitute($0.value))" }
            return connection.write(Data((interim.joined(separator: "\r\n") + "\r\n\r\n").utf8) + headData + payload)
        default:
            return connection.write(headData + payload)
        }
        return false
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 103: "Early Hints"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }

    /// RFC 9110 IMF-fixdate, formatted by hand: no shared formatter, no locale.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
