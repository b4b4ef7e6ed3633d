import Foundation

/// The two messages of RFC 3161 that Diarium needs, in DER: a time-stamp request for a
/// SHA-256 digest, and the status of the authority's answer.
///
/// What is stamped is the change log's head hash itself (already a SHA-256 digest of the
/// whole chain), so an auditor checks a kept answer with nothing but OpenSSL:
/// `openssl ts -verify -digest HEADHASH -in ANSWER.tsr -CAfile TSA.pem`. Checking the
/// authority's signature is that tool's job; Diarium checks what it can without a trust
/// store: the answer grants the request and carries the digest and nonce it asked for.
public enum TimeStampProtocol {
    /// A `TimeStampReq` (RFC 3161 §2.4.1): version 1, the SHA-256 message imprint, the
    /// nonce, and certReq so the answer carries the authority's certificate.
    public static func request(sha256 digest: [UInt8], nonce: [UInt8]) -> Data {
        precondition(digest.count == 32, "a SHA-256 digest has 32 bytes")
        let sha256OID: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
        let algorithm = der(0x30, sha256OID + [0x05, 0x00])
        let imprint = der(0x30, algorithm + der(0x04, digest))
        // A positive INTEGER: a leading 0x00 when the first byte has its high bit set.
        let nonceValue = (nonce.first.map { $0 & 0x80 != 0 } ?? false) ? [0x00] + nonce : nonce
        let body = der(0x02, [0x01]) + imprint + der(0x02, nonceValue) + [0x01, 0x01, 0xFF]
        return Data(der(0x30, body))
    }

    /// The answer's `PKIStatus`: 0 granted, 1 granted with modifications, 2 rejection,
    /// 3 waiting, 4 and 5 revocation notices; nil when the bytes are not a TimeStampResp.
    public static func status(of response: Data) -> Int? {
        let bytes = [UInt8](response)
        guard let outer = element(bytes, at: 0), outer.tag == 0x30,
              let info = element(bytes, at: outer.contentStart), info.tag == 0x30,
              let status = element(bytes, at: info.contentStart), status.tag == 0x02,
              status.length >= 1, status.length <= 2 else { return nil }
        return bytes[status.contentStart..<status.contentStart + status.length].reduce(0) { $0 << 8 | Int($1) }
    }

    /// Whether the answer holds a token for exactly this digest and nonce: both appear in
    /// the signed TSTInfo as the request gave them.
    public static func answer(_ response: Data, matches digest: [UInt8], nonce: [UInt8]) -> Bool {
        guard let status = status(of: response), status == 0 || status == 1 else { return false }
        let bytes = [UInt8](response)
        return contains(bytes, der(0x04, digest)) && (nonce.isEmpty || contains(bytes, nonce))
    }

    private static func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var digits: [UInt8] = []
            while length > 0 {
                digits.insert(UInt8(length & 0xFF), at: 0)
                length >>= 8
            }
            out.append(0x80 | UInt8(digits.count))
            out.append(contentsOf: digits)
        }
        return out + content
    }

    /// One DER element's tag, where its content starts and how long it is.
    private static func element(_ bytes: [UInt8], at offset: Int) -> (tag: UInt8, contentStart: Int, length: Int)? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        let first = Int(bytes[offset + 1])
        var start = offset + 2
        var length = first
        if first & 0x80 != 0 {
            let count = first & 0x7F
            guard count >= 1, count <= 4, start + count <= bytes.count else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= bytes.count else { return nil }
        return (tag, start, length)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        let first = needle[0]
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first, Array(haystack[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}

extension SHA256 {
    /// The bytes of a hex digest (a change-log hash, a body's name); nil for anything
    /// that is not 64 hex digits.
    public static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
