import DiariumHTTP
import DiariumReplay
import DiariumTestSupport
import Foundation
import Glibc
import Testing

/// `HTTPClientConfiguration.caFile` against a local TLS server (`openssl s_server -www`,
/// which answers any GET with a status page) holding a certificate made for the test.
@Suite struct CAFileTests {
    /// A self-signed certificate for 127.0.0.1 and a TLS server using it, on a free port.
    final class LocalTLSServer {
        let directory: URL
        let certificate: String
        let port: Int
        private let process = Process()

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("diarium-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            certificate = directory.appendingPathComponent("cert.pem").path
            let key = directory.appendingPathComponent("key.pem").path
            let make = Process()
            make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            make.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", key, "-out", certificate,
                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
            make.standardOutput = FileHandle.nullDevice
            make.standardError = FileHandle.nullDevice
            try make.run()
            make.waitUntilExit()
            guard make.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
            port = try Self.freePort()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"]
            process.standardInput = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = process
            try waitUntilAccepting(port: port, within: .seconds(30), serverIsAlive: { server.isRunning })
        }

        func stop() {
            // SIGKILL: s_server does not end on SIGTERM, and waiting on it would hang the run.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }

        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    @Test func aServerSignedByTheGivenBundleIsTrustedAndVerificationStaysOnOtherwise() async throws {
        let server = try LocalTLSServer()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/"

        let trusting = CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), totalTimeout: .seconds(20), retry: RetryPolicy(maxAttempts: 1), caFile: server.certificate,
            addressPolicy: AddressPolicy(allowed: replayServerAddresses)))
        let response = try await trusting.send(HTTPRequest(url: url))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("s_server"))

        // The system store does not know the made certificate: refused, not ignored.
        let system = CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), totalTimeout: .seconds(20), retry: RetryPolicy(maxAttempts: 1),
            addressPolicy: AddressPolicy(allowed: replayServerAddresses)))
        await #expect(throws: HTTPError.self) { try await system.send(HTTPRequest(url: url)) }
    }
}
