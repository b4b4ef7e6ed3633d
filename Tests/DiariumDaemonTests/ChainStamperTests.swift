import DiariumCore
import DiariumDaemon
import DiariumHTTP
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// The daily time-stamp against a real RFC 3161 authority: OpenSSL's `ts -reply`, behind
/// a small HTTP server on 127.0.0.1, with a certificate made for the test. The kept
/// answer is then checked by `openssl ts -verify`, which nobody here wrote.
@Suite("Time-stamped chain heads", .serialized)
struct ChainStamperTests {
    /// A local time-stamping authority: a key and certificate for time-stamping, OpenSSL's
    /// TSA configuration, and a Python HTTP server answering each query with `ts -reply`.
    final class LocalAuthority {
        let dir: TemporaryDirectory
        let server: Process
        let url: String
        var certificate: URL { dir.file("tsa.pem") }

        init(answerGarbage: Bool = false) throws {
            dir = try TemporaryDirectory(prefix: "diarium-tsa")
            try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.file("tsa.key").path,
                                         "-out", dir.file("tsa.pem").path, "-days", "2", "-subj", "/CN=Diarium Test TSA",
                                         "-addext", "extendedKeyUsage=critical,timeStamping", "-addext", "keyUsage=critical,digitalSignature"])
            try Data("01\n".utf8).write(to: dir.file("serial"))
            try Data("""
                [ tsa ]
                default_tsa = tsa_config
                [ tsa_config ]
                dir = \(dir.url.path)
                serial = $dir/serial
                signer_cert = $dir/tsa.pem
                signer_key = $dir/tsa.key
                signer_digest = sha256
                default_policy = 1.2.3.4.1
                digests = sha256
                accuracy = secs:1
                ess_cert_id_alg = sha256
                crypto_device = builtin
                tsa_name = no
                ess_cert_id_chain = no

                """.utf8).write(to: dir.file("tsa.cnf"))
            try Data("""
                import http.server, os, subprocess, sys
                d, garbage = sys.argv[1], sys.argv[2] == "garbage"
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        query = self.rfile.read(int(self.headers["Content-Length"]))
                        with open(os.path.join(d, "q.tsq"), "wb") as f:
                            f.write(query)
                        if garbage:
                            answer = b"this is not DER"
                        else:
                            subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(d, "tsa.cnf"), "-queryfile",
                                            os.path.join(d, "q.tsq"), "-out", os.path.join(d, "r.tsr")], check=True, capture_output=True)
                            answer = open(os.path.join(d, "r.tsr"), "rb").read()
                        self.send_response(200)
                        self.send_header("Content-Type", "application/timestamp-reply")
                        self.send_header("Content-Length", str(len(answer)))
                        self.end_headers()
                        self.wfile.write(answer)
                    def log_message(self, *args):
                        pass
                server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
                print(server.server_address[1], flush=True)
                server.serve_forever()

                """.utf8).write(to: dir.file("tsa.py"))
            server = Process()
            server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            server.arguments = ["python3", dir.file("tsa.py").path, dir.url.path, answerGarbage ? "garbage" : "ok"]
            let out = Pipe()
            server.standardOutput = out
            try server.run()
            // The first line is the port the server listens on; reading blocks until then.
            var line = Data()
            while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else {
                kill(server.processIdentifier, SIGKILL)
                throw SetupFailed(what: "the local time-stamping authority to tell its port")
            }
            url = "http://127.0.0.1:\(port)/tsa"
        }

        deinit {
            // SIGKILL: a child of Foundation's Process on Linux inherits a mask that
            // blocks SIGTERM (swift-notes, pitfall 10).
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            dir.remove()
        }
    }

    struct SetupFailed: Error { var what: String }

    static func run(_ program: String, _ arguments: [String]) throws {
        guard runProgram(program, arguments) == 0 else { throw SetupFailed(what: "\(program) \(arguments.joined(separator: " "))") }
    }

    @Test("the head is stamped by the authority, the answer kept and sealed, and `openssl ts -verify` accepts it for the head's hash")
    func stamp() async throws {
        let authority = try LocalAuthority()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("registry.sqlite").path)
        try registry.setUser(name: "kari", role: .officer, passwordHash: "x", actor: "root")
        let stamper = ChainStamper(registry: registry, client: CurlHTTPClient(configuration: HTTPClientConfiguration(addressPolicy: AddressPolicy(trustedURLs: [authority.url]))), authority: authority.url)
        let head = try #require(try await stamper.stamp())
        let kept = try registry.timestamps()
        #expect(kept.count == 1)
        #expect(kept.first?.head == ChainHead(id: head.id, hash: head.hash))
        let answer = dir.file("answer.tsr")
        try #require(kept.first).answer.write(to: answer)
        try Self.run("/usr/bin/openssl", ["ts", "-verify", "-digest", head.hash, "-in", answer.path, "-CAfile", authority.certificate.path])
        #expect(throws: (any Error).self) {
            try Self.run("/usr/bin/openssl", ["ts", "-verify", "-digest", String(repeating: "0", count: 64), "-in", answer.path, "-CAfile", authority.certificate.path])
        }
        try registry.setUser(name: "ola", role: .auditor, passwordHash: "y", actor: "root")
        #expect(try registry.verify().problems == [])
    }

    @Test("an answer that is not a granted RFC 3161 response is refused and nothing is kept")
    func garbage() async throws {
        let authority = try LocalAuthority(answerGarbage: true)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("registry.sqlite").path)
        try registry.setUser(name: "kari", role: .officer, passwordHash: "x", actor: "root")
        await #expect(throws: ChainStamper.Failure.self) { try await ChainStamper(registry: registry, client: CurlHTTPClient(configuration: HTTPClientConfiguration(addressPolicy: AddressPolicy(trustedURLs: [authority.url]))), authority: authority.url).stamp() }
        #expect(try registry.timestamps().isEmpty)
    }

    @Test("the request is a DER TimeStampReq for SHA-256 that OpenSSL reads back")
    func requestShape() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let digest = Array(repeating: UInt8(0xAB), count: 32)
        let file = dir.file("q.tsq")
        try TimeStampProtocol.request(sha256: digest, nonce: [0x81, 2, 3, 4, 5, 6, 7, 8]).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["ts", "-query", "-in", file.path, "-text"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("sha256"))
        #expect(text.contains("ab ab ab ab"))
        #expect(text.contains("Certificate required: yes"))
        #expect(text.contains("0x8102030405060708"))
    }
}
