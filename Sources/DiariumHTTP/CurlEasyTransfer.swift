import CCurl
import DiariumCore
import Foundation

/// curl_global_init is not thread-safe and must run once per process: a global
/// `let` is initialised lazily, exactly once, under the runtime's own lock.
let curlGlobalInit: Void = {
    let rc = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    precondition(rc == CURLE_OK, "curl_global_init failed: \(rc.rawValue)")
}()

/// The settings one transfer needs, copied out of the configuration so the engine
/// thread never touches anything shared.
struct TransferOptions: Sendable {
    var connectTimeout: Duration
    var totalTimeout: Duration
    var maxBodyBytes: Int
    var maxRedirects: Int
    var userAgent: String
    var caFile: String?
    var addressPolicy: AddressPolicy
    var proxy: HTTPProxy

    init(_ configuration: HTTPClientConfiguration) {
        connectTimeout = configuration.connectTimeout
        totalTimeout = configuration.totalTimeout
        maxBodyBytes = configuration.maxBodyBytes
        maxRedirects = configuration.maxRedirects
        userAgent = configuration.userAgent
        caFile = configuration.caFile
        addressPolicy = configuration.addressPolicy
        proxy = configuration.proxy
    }
}

/// One finished exchange, before the client wraps it into an `HTTPResponse`.
struct RawResponse: Sendable {
    var status: Int
    var headers: [HTTPHeader]
    var body: Data
    var effectiveURL: String
    var redirects: [RedirectHop] = []
}

/// A transfer that ended without a response, classified for the retry loop.
struct CurlFailure: Error, Sendable {
    var code: HTTPError.Code
    var detail: String
    var retryable: Bool

    static let cancelled = CurlFailure(code: .cancelled, detail: "", retryable: false)
}

/// One easy handle and the buffers its callbacks fill. Lives only on the engine
/// thread (handles are not thread-safe), which is why it is not `Sendable`.
final class CurlEasyTransfer {
    let handle: UnsafeMutableRawPointer
    private let maxBodyBytes: Int
    private var body = Data()
    private var headers: [HTTPHeader] = []
    /// The response whose header lines are arriving: its status and the URL it answers.
    private var blockStatus = 0
    private var blockURL = ""
    private let requestURL: String
    private var redirects: [RedirectHop] = []
    private var bodyTooLarge = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let addressPolicy: AddressPolicy
    /// Why the address policy refused the last connection curl tried, if it did.
    private var refusal: String?
    /// Set when the transfer goes through a proxy: each `Location` is checked before curl
    /// follows it, and a connection on `proxyPort` is taken to be the proxy.
    private let proxied: Bool
    private let proxyPort: Int?

    /// Creates and configures the handle. Fails for setups curl rejects outright.
    init(request: HTTPRequest, options: TransferOptions) throws(CurlFailure) {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else {
            throw CurlFailure(code: .transport, detail: "curl_easy_init failed (out of memory?)", retryable: true)
        }
        self.handle = handle
        self.maxBodyBytes = options.maxBodyBytes
        self.requestURL = request.url
        self.addressPolicy = options.addressPolicy
        let proxy = options.proxy.proxy(for: request.url)
        self.proxied = proxy != nil
        self.proxyPort = proxy.map(HTTPProxy.port(of:))
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request: request, options: options)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func check(_ rc: CURLcode, _ what: String) throws(CurlFailure) {
        guard rc == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(rc))
            throw CurlFailure(code: rc == CURLE_UNSUPPORTED_PROTOCOL ? .invalidURL : .transport, detail: "\(what): \(text)", retryable: false)
        }
    }

    private func configure(request: HTTPRequest, options: TransferOptions) throws(CurlFailure) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_string(handle, CURLOPT_URL, request.url), "URL")
        // Only web schemes, for the first URL and every redirect: a hostile
        // redirect to file:// or gopher:// must not be followed.
        try check(ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "redirect protocols")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        // Not CURLOPT_PIPEWAIT: against HTTP/1.1 hosts it serialises every transfer
        // to the host behind one connection (measured: 64 requests went one by one).
        try check(ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1), "FOLLOWLOCATION")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, options.maxRedirects), "MAXREDIRS")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.wholeMilliseconds), "CONNECTTIMEOUT")
        try check(ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, options.totalTimeout.wholeMilliseconds), "TIMEOUT")
        try check(ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent), "USERAGENT")
        if let caFile = options.caFile {
            // Replaces the system store: certificates are still verified, only against this bundle.
            try check(ccurl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile), "CAINFO")
        }
        // "" = every encoding this libcurl can decode (gzip, deflate, br, zstd);
        // the body handed to us is already decoded.
        try check(ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING")
        // Refuse early when the server announces an oversized body; the write
        // callback catches the rest (chunked or compressed bodies).
        try check(ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodyBytes)), "MAXFILESIZE")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try check(ccurl_easy_setopt_write_callback(handle, curlWriteBody), "WRITEFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, this), "WRITEDATA")
        try check(ccurl_easy_setopt_header_callback(handle, curlWriteHeader), "HEADERFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, this), "HEADERDATA")
        // Every connection curl opens, for the first URL and each redirect, is checked
        // against the address policy with the address it is about to connect to (after
        // DNS), so nothing can change between the check and the connect.
        try check(ccurl_easy_setopt_opensocket_callback(handle, curlOpenSocket), "OPENSOCKETFUNCTION")
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, this), "OPENSOCKETDATA")
        // The proxy is set explicitly ("" = none), never left to curl's own reading of the
        // environment, so `proxied` says what curl does.
        try check(ccurl_easy_setopt_string(handle, CURLOPT_PROXY, options.proxy.proxy(for: request.url) ?? ""), "PROXY")

        let method = request.method.uppercased()
        switch method {
        case "GET":
            break
        case "HEAD":
            try check(ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
        default:
            try check(ccurl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST")
        }
        if let payload = request.body {
            try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count)), "POSTFIELDSIZE")
            // COPYPOSTFIELDS copies, so the Data need not outlive this call.
            let rc = payload.withUnsafeBytes { bytes in
                ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
            }
            try check(rc, "COPYPOSTFIELDS")
        }

        var lines = request.headers.map { "\($0.name): \($0.value)" }
        if let etag = request.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        // No "Expect: 100-continue" round trip for request bodies.
        lines.append("Expect:")
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw CurlFailure(code: .transport, detail: "curl_slist_append failed", retryable: true)
            }
            headerList = appended
        }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "HTTPHEADER")
    }

    /// Opens the socket for a connection curl is about to make, unless the address policy
    /// refuses the address for the URL being fetched (curl's current URL: after a redirect,
    /// the redirect's target). A refused address makes curl try the name's next address,
    /// then fail with CURLE_COULDNT_CONNECT, which `classify` reports as `addressRefused`.
    fileprivate func openSocket(purpose: curlsocktype, address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        var port: Int32 = 0
        guard purpose == CURLSOCKTYPE_IPCXN, ccurl_sockaddr_decode(address, &bytes, &port) == 1, let ip = IPAddress(bytes: bytes) else {
            refusal = "curl asked for a connection of a kind the archiver never makes (not TCP over IPv4 or IPv6)"
            return -1 // CURL_SOCKET_BAD
        }
        // Through a proxy the connection on the proxy's port is the proxy, configured by the
        // sysadmin; the target was checked before sending (`CurlHTTPClient.send`) and each
        // Location is checked in `receiveHeader`. Any other connection (a host `no_proxy`
        // sends direct) is checked as always.
        if proxyPort != Int(port), let reason = addressPolicy.refusal(connectingTo: ip, port: Int(port), for: currentURL()) {
            refusal = reason
            return -1 // CURL_SOCKET_BAD
        }
        // A refused address followed by one that is let through (a name with an internal
        // and a public address) is no refusal: a later failure is that failure.
        refusal = nil
        return ccurl_open_socket(address)
    }

    /// Body bytes (already content-decoded). Returning less than offered makes curl
    /// abort with CURLE_WRITE_ERROR, which `finish` reports as `bodyTooLarge`.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > maxBodyBytes {
            bodyTooLarge = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// One header line. A status line starts a new response (after a redirect or a
    /// 100 Continue), so only the final response's headers are kept, in order; a
    /// redirect that was followed leaves a hop behind (status, URL, Location).
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Trim CR/LF as bytes: in a Swift String "\r\n" is one character.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            closeBlock()
            headers.removeAll()
            body.removeAll()
            // "HTTP/1.1 301 Moved Permanently", "HTTP/2 301".
            blockStatus = line.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            blockURL = currentURL()
        } else if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name, value))
            // A redirect through a proxy: its target is checked here, before curl follows it
            // (returning less than offered aborts the transfer as refused).
            if proxied, (300..<400).contains(blockStatus), name.lowercased() == "location",
               let target = Self.resolve(value, against: currentURL()), let reason = addressPolicy.refusal(throughProxyTo: target) {
                refusal = reason
                return 0
            }
        }
        return bytes.count
    }

    /// Records the response whose headers just ended as a hop when curl is following it:
    /// a 3xx with a Location, since another status line came after it. An interim 1xx
    /// (100 Continue, 103 Early Hints) precedes the real answer to the same request and
    /// is no hop; neither is a proxy's CONNECT answer.
    private func closeBlock() {
        guard (300..<400).contains(blockStatus), let location = headers.value(for: "Location") else { return }
        // The first hop is the URL the connector asked for, as it wrote it; curl's
        // effective URL is the same address in curl's normalised spelling. Every later
        // hop is the URL curl actually requested after resolving the previous Location.
        redirects.append(RedirectHop(url: redirects.isEmpty ? requestURL : blockURL, status: blockStatus, location: location))
    }

    /// `location` made absolute against `base`, as curl will resolve it.
    static func resolve(_ location: String, against base: String) -> String? {
        _ = curlGlobalInit
        guard let url = curl_url() else { return nil }
        defer { curl_url_cleanup(url) }
        guard curl_url_set(url, CURLUPART_URL, base, 0) == CURLUE_OK, curl_url_set(url, CURLUPART_URL, location, 0) == CURLUE_OK else { return nil }
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(url, CURLUPART_URL, &out, 0) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }

    /// The URL of the request curl is performing: during a transfer, CURLINFO_EFFECTIVE_URL
    /// is the URL of the current request, updated when curl follows a Location.
    private func currentURL() -> String {
        var urlPointer: UnsafePointer<CChar>? = nil
        _ = ccurl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &urlPointer)
        return urlPointer.map { String(cString: $0) } ?? ""
    }

    /// Turns curl's verdict into a response or a classified failure.
    func finish(_ rc: CURLcode) -> Result<RawResponse, CurlFailure> {
        guard rc == CURLE_OK else { return .failure(classify(rc)) }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(RawResponse(status: status, headers: headers, body: body, effectiveURL: currentURL(), redirects: redirects))
    }

    private func classify(_ rc: CURLcode) -> CurlFailure {
        let buffered = String(cString: errorBuffer)
        let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(rc)) : buffered
        if let refusal {
            // Not retried: the address will be just as internal in a second.
            return CurlFailure(code: .addressRefused, detail: refusal, retryable: false)
        }
        if bodyTooLarge || rc == CURLE_FILESIZE_EXCEEDED {
            return CurlFailure(code: .bodyTooLarge, detail: "limit \(maxBodyBytes) bytes", retryable: false)
        }
        switch rc {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return CurlFailure(code: .connectFailed, detail: detail, retryable: true)
        case CURLE_OPERATION_TIMEDOUT:
            return CurlFailure(code: .timedOut, detail: detail, retryable: true)
        case CURLE_TOO_MANY_REDIRECTS:
            return CurlFailure(code: .tooManyRedirects, detail: detail, retryable: false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return CurlFailure(code: .invalidURL, detail: detail, retryable: false)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            // A certificate problem will not fix itself within seconds.
            return CurlFailure(code: .transport, detail: detail, retryable: false)
        default:
            return CurlFailure(code: .transport, detail: detail, retryable: true)
        }
    }
}

/// C callbacks: closures that capture nothing convert to `@convention(c)`. The
/// user-data pointer is the transfer, kept alive by the engine's table.
private let curlWriteBody: curl_write_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlEasyTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

private let curlOpenSocket: curl_opensocket_callback = { clientp, purpose, address in
    guard let clientp, let address else { return -1 }
    let transfer = Unmanaged<CurlEasyTransfer>.fromOpaque(clientp).takeUnretainedValue()
    return transfer.openSocket(purpose: purpose, address: address)
}

private let curlWriteHeader: curl_write_callback = { pointer, size, count, userdata in
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlEasyTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
}
