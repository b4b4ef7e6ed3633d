import DiariumCore
import DiariumStore
import Foundation

/// Builds WARC 1.1 records (ISO 28500:2017): a warcinfo record, then for each capture a
/// `request` record (the GET line and Host header, reconstructed: the registry keeps
/// the method and URL, not the request bytes) and a `response` record holding the HTTP
/// response as captured. Records are uncompressed; a `.warc` file needs no zlib.
///
/// The response block is the status line, the stored headers in their order, a blank
/// line and the body **as the registry holds it**. That body was stored after libcurl
/// removed any content and transfer coding (the sha256 of every capture is over those
/// bytes, invariant 2), so the block drops `Content-Encoding`, `Transfer-Encoding` and
/// the original `Content-Length`, and states the real `Content-Length`; otherwise a
/// reader would try to gunzip or de-chunk plain bytes. Everything else is as received.
///
/// A capture that came after redirects is filed under the URL its bytes came from
/// (request and response records both target it), and its hops go into one `metadata`
/// record (`application/warc-fields`) that refers to the response. We do not write a
/// `response` record per hop: the registry keeps a hop's status and Location, not the
/// response it came in (its other headers, its body, which libcurl discards while
/// following), and a response record claims to hold what the server sent. A replay
/// tool therefore finds the capture under its final URL, not under the one asked for;
/// the metadata record and `diarium show` say how one led to the other.
struct WARCWriter {
    /// A finished record: the bytes to append to the file.
    struct Record {
        var id: String
        var bytes: Data
    }

    static func recordID() -> String { "<urn:uuid:\(UUID().uuidString.lowercased())>" }

    static func warcinfo(id: String, filename: String, date: Date, description: String, chainHead: ChainHead? = nil) -> Record {
        var fields = [
            "software: Diarium \(diariumExportVersion)",
            "format: WARC File Format 1.1",
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description: \(oneLine(description))",
        ]
        // The registry's change-log head the file was made from (`diarium verify --anchor`).
        if let chainHead { fields.append("diarium-chain-head: \(chainHead)") }
        let text = fields.joined(separator: "\r\n") + "\r\n"
        return record(type: "warcinfo", id: id, date: date, extra: [("WARC-Filename", oneLine(filename))],
                      contentType: "application/warc-fields", block: Data(text.utf8))
    }

    /// The request and response records of one capture, linked by WARC-Concurrent-To,
    /// and after redirects the metadata record that lists them.
    static func exchange(_ capture: CaptureInfo, body: Data, warcinfoID: String) -> [Record] {
        let date = capture.capturedAt ?? Date(timeIntervalSince1970: 0)
        let requestID = recordID()
        let responseID = recordID()
        let target = oneLine(capture.url)
        let response = responseBlock(capture, body: body)
        let payloadDigest = digest(body)
        let responseRecord = record(
            type: "response", id: responseID, date: date,
            extra: [("WARC-Target-URI", target), ("WARC-Warcinfo-ID", warcinfoID),
                    ("WARC-Concurrent-To", requestID), ("WARC-Payload-Digest", payloadDigest)],
            contentType: "application/http;msgtype=response", block: response)
        let requestRecord = record(
            type: "request", id: requestID, date: date,
            extra: [("WARC-Target-URI", target), ("WARC-Warcinfo-ID", warcinfoID), ("WARC-Concurrent-To", responseID)],
            contentType: "application/http;msgtype=request", block: requestBlock(capture))
        guard !capture.redirects.isEmpty else { return [requestRecord, responseRecord] }
        return [requestRecord, responseRecord, redirectMetadata(capture, target: target, date: date, responseID: responseID, warcinfoID: warcinfoID)]
    }

    /// The hops of a redirected capture as WARC fields: `via`, the URL whose Location
    /// led to the target (WARC 1.1's field for the URI an archived URI was found from),
    /// then one `redirect` per hop in the order followed, `STATUS URL Location: VALUE`
    /// with the Location exactly as sent. WARC-Concurrent-To ties it to the response's
    /// capture event (one libcurl transfer followed every hop), WARC-Refers-To names the
    /// response it describes; its Target-URI is the response's, as WARC 1.1 asks.
    static func redirectMetadata(_ capture: CaptureInfo, target: String, date: Date, responseID: String, warcinfoID: String) -> Record {
        var fields = capture.redirects.last.map { "via: \(oneLine($0.url))\r\n" } ?? ""
        for hop in capture.redirects {
            fields += "redirect: \(hop.status) \(oneLine(hop.url)) Location: \(oneLine(hop.location))\r\n"
        }
        return record(
            type: "metadata", id: recordID(), date: date,
            extra: [("WARC-Target-URI", target), ("WARC-Warcinfo-ID", warcinfoID),
                    ("WARC-Concurrent-To", responseID), ("WARC-Refers-To", responseID)],
            contentType: "application/warc-fields", block: Data(fields.utf8))
    }

    /// `GET /path?query HTTP/1.1` and `Host`, from the captured URL.
    static func requestBlock(_ capture: CaptureInfo) -> Data {
        let components = URLComponents(string: capture.url)
        var target = components?.percentEncodedPath ?? ""
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        var host = components?.host ?? ""
        if let port = components?.port { host += ":\(port)" }
        var text = "\(oneLine(capture.method.isEmpty ? "GET" : capture.method)) \(oneLine(target)) HTTP/1.1\r\n"
        if !host.isEmpty { text += "Host: \(oneLine(host))\r\n" }
        text += "\r\n"
        return Data(text.utf8)
    }

    static let droppedHeaders: Set<String> = ["content-encoding", "transfer-encoding", "content-length"]

    static func responseBlock(_ capture: CaptureInfo, body: Data) -> Data {
        var text = "HTTP/1.1 \(capture.status) \(reason(capture.status))\r\n"
        for header in capture.headers where !droppedHeaders.contains(header.name.lowercased()) {
            text += "\(oneLine(header.name)): \(oneLine(header.value))\r\n"
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        var block = Data(text.utf8)
        block.append(body)
        return block
    }

    private static func record(type: String, id: String, date: Date, extra: [(String, String)], contentType: String, block: Data) -> Record {
        var head = "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Record-ID: \(id)\r\nWARC-Date: \(Timestamp.format(date))\r\n"
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        head += "WARC-Block-Digest: \(digest(block))\r\n"
        head += "Content-Type: \(contentType)\r\nContent-Length: \(block.count)\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(block)
        bytes.append(contentsOf: [13, 10, 13, 10])
        return Record(id: id, bytes: bytes)
    }

    /// `sha256:` and the digest in RFC 4648 base32 (upper case, padded), the form warcio
    /// and other WARC tools compute and compare.
    static func digest(_ data: Data) -> String { "sha256:" + base32(SHA256.digest(data)) }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = ""
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append("=") }
        return out
    }

    /// A header value on one line: CR and LF from platform data would split a header.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// The payload digest form of WARC records, public so tools and tests can compare.
public enum WARCDigest {
    /// `sha256:` and the base32 of the SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String { WARCWriter.digest(data) }
}

/// The version written into warcinfo records.
let diariumExportVersion = "0.1.0"
