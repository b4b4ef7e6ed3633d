import DiariumCore
import Foundation

/// Passwords as PBKDF2-HMAC-SHA256 (RFC 8018) with a random 16-byte salt, on top of the
/// project's own `SHA256`, so the web page needs no crypto package (swift-crypto would
/// add BoringSSL to the build). The iteration count is stored with each hash, so it can
/// be raised later without invalidating existing passwords.
///
/// Encoded as `pbkdf2-sha256$ITERATIONS$SALT$HASH` (salt and hash in hex).
public enum PasswordHash {
    public static let scheme = "pbkdf2-sha256"
    /// Slow enough to make guessing offline expensive, fast enough for a login (a
    /// fraction of a second in a release build on one core).
    public static let defaultIterations = 100_000
    /// A stored hash asking for more than this is refused, so a tampered row cannot
    /// make one login attempt take minutes.
    static let maximumIterations = 5_000_000

    /// Hashes `password` with a fresh salt.
    public static func make(_ password: String, iterations: Int = defaultIterations) -> String {
        let salt = SecureRandom.bytes(16)
        let derived = pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
        return "\(scheme)$\(iterations)$\(SHA256.hex(salt))$\(SHA256.hex(derived))"
    }

    /// Whether `password` matches `encoded`; false for any malformed encoding.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme,
              let iterations = Int(parts[1]), iterations >= 1, iterations <= maximumIterations,
              let salt = Hex.decode(parts[2]), let expected = Hex.decode(parts[3]), expected.count == 32
        else { return false }
        let derived = pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
        return constantTimeEqual(derived, expected)
    }

    /// A stand-in hash, checked when the user name is unknown, so a failed login costs
    /// the same work whether or not the user exists. Its "hash" is random bytes: the KDF
    /// runs in full and no password matches it.
    static func decoy(iterations: Int = defaultIterations) -> String {
        "\(scheme)$\(iterations)$\(SHA256.hex(SecureRandom.bytes(16)))$\(SHA256.hex(SecureRandom.bytes(32)))"
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? digest(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        update(&inner, block.map { $0 ^ 0x36 } + message)
        var outer = SHA256()
        update(&outer, block.map { $0 ^ 0x5c } + inner.finalize())
        return outer.finalize()
    }

    /// PBKDF2 with HMAC-SHA256 and a 32-byte output (one block).
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var key = password
        if key.count > 64 { key = digest(key) }
        key += [UInt8](repeating: 0, count: 64 - key.count)
        // The keyed inner and outer states are computed once; each iteration then
        // costs two compressions instead of four.
        var inner = SHA256()
        var outer = SHA256()
        update(&inner, key.map { $0 ^ 0x36 })
        update(&outer, key.map { $0 ^ 0x5c })

        func hmac(_ message: [UInt8]) -> [UInt8] {
            var i = inner
            update(&i, message)
            var o = outer
            update(&o, i.finalize())
            return o.finalize()
        }

        var u = hmac(salt + [0, 0, 0, 1])
        var result = u
        if iterations > 1 {
            for _ in 2...iterations {
                u = hmac(u)
                for index in 0..<32 { result[index] ^= u[index] }
            }
        }
        return result
    }

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        update(&hasher, bytes)
        return hasher.finalize()
    }

    static func update(_ hasher: inout SHA256, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { hasher.update($0) }
    }

    /// Compares without stopping at the first difference, so timing reveals nothing
    /// about how much of a guess was right.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }
}

/// Random bytes from the system's cryptographic generator (`getrandom` on Linux).
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A token of `count` random bytes, as hex (cookie- and form-safe).
    static func token(_ count: Int = 32) -> String { SHA256.hex(bytes(count)) }
}

enum Hex {
    static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
