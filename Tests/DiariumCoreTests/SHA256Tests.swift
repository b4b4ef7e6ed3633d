import DiariumCore
import Foundation
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test("matches the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func vectors(input: String, expected: String) {
        #expect(SHA256.hexDigest(input) == expected)
        #expect(SHA256.hexDigest(Array(input.utf8)) == expected)
        #expect(SHA256.hexDigest(Data(input.utf8)) == expected)
        #expect(SHA256.hex(SHA256.digest(Data(input.utf8))) == expected)
    }

    @Test("a million 'a' hashes as published")
    func million() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hexDigest(data) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundary (55 bytes fit the length in one block, 56
    /// need a second); digests from coreutils' sha256sum.
    @Test("messages of 'a' around the padding boundary", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundary(count: Int, expected: String) {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
        #expect(SHA256.hexDigest(bytes) == expected)
        var hasher = SHA256()
        for byte in bytes { hasher.update(Data([byte])) }
        #expect(SHA256.hex(hasher.finalize()) == expected)
    }

    @Test("incremental updates across block boundaries give the same digest")
    func incremental() {
        let data = Data((0..<1000).map { UInt8($0 % 251) })
        var hasher = SHA256()
        hasher.update(data.prefix(3))
        hasher.update(data.dropFirst(3).prefix(100))
        hasher.update(Data())
        hasher.update(data.dropFirst(103))
        #expect(SHA256.hex(hasher.finalize()) == SHA256.hexDigest(data))
    }

    /// HMAC (PasswordHash) keys an inner and an outer state once and continues copies.
    @Test("a copied hasher continues independently of the original")
    func copies() {
        var original = SHA256()
        original.update(Data("ab".utf8))
        var copy = original
        copy.update(Data("c".utf8))
        original.update(Data("d".utf8))
        #expect(SHA256.hex(copy.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(original.finalize()) == SHA256.hexDigest("abd"))
    }

    @Test("finalizing leaves the hasher able to take more input")
    func finalizeThenContinue() {
        var hasher = SHA256()
        hasher.update(Data("ab".utf8))
        #expect(SHA256.hex(hasher.finalize()) == SHA256.hexDigest("ab"))
        hasher.update(Data("c".utf8))
        #expect(SHA256.hex(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
