import CCrypto
import Foundation

/// SHA-256 (FIPS 180-4): every capture is hashed over its bytes as received, and
/// `verify` recomputes them. Ingest hashes every body, content, decision and
/// change-log entry, so the block function is OpenSSL's (libcrypto), which uses the
/// CPU's SHA instructions where it has them: a pure-Swift block function cost about
/// a fifth of ingest's instructions.
///
/// A value: copying a hasher copies its state, so HMAC can key an inner and an
/// outer state once and continue a copy of each per message.
public struct SHA256: Sendable {
    private var state = ccrypto_sha256_state()

    public init() {
        ccrypto_sha256_init(&state)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        ccrypto_sha256_update(&state, base, raw.count)
    }

    /// The digest of everything passed to `update` so far. It finishes a copy of the
    /// state (OpenSSL clears the state it finishes), so more updates may follow.
    public mutating func finalize() -> [UInt8] {
        var finishing = state
        return [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
            ccrypto_sha256_final(&finishing, digest.baseAddress!)
            count = 32
        }
    }

    public static func digest(_ data: Data) -> [UInt8] {
        data.withUnsafeBytes { raw in
            [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
                ccrypto_sha256(raw.baseAddress, raw.count, digest.baseAddress!)
                count = 32
            }
        }
    }

    /// Lower-case hex of the SHA-256 of `data`.
    public static func hexDigest(_ data: Data) -> String {
        data.withUnsafeBytes { hexDigest(raw: $0) }
    }

    public static func hexDigest(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hexDigest(raw: $0) }
    }

    public static func hexDigest(_ text: String) -> String {
        var text = text
        return text.withUTF8 { hexDigest(raw: UnsafeRawBufferPointer($0)) }
    }

    /// Hashes into a stack buffer and writes the hex from there: these hashes end up
    /// as text, so the 32 bytes never need an array of their own.
    private static func hexDigest(raw: UnsafeRawBufferPointer) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            ccrypto_sha256(raw.baseAddress, raw.count, digest.baseAddress!)
            return hex(UnsafeBufferPointer(digest))
        }
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { hex($0) }
    }

    private static func hex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            let d = digits.utf8Start
            var i = 0
            for b in bytes {
                out[i] = d[Int(b >> 4)]
                out[i + 1] = d[Int(b & 0x0f)]
                i += 2
            }
            return i
        }
    }
}
