import DiariumHTTP
import DiariumReplay
import Foundation
import Testing

/// Issue 14: the "body exceeded the limit" message told the sysadmin to raise
/// `max_body_bytes`, a key the configuration refuses as unknown. No key sets the limit,
/// so the message names none, and still says the limit.
@Suite struct BodyLimitMessageTests {
    @Test func theBodyLimitMessageNamesNoKeyTheConfigurationRefuses() async throws {
        let server = try ReplayServer(routes: [ReplayRoute(path: "/big", body: Data(repeating: 0x41, count: 200_000))])
        defer { server.stop() }
        let error = await #expect(throws: HTTPError.self) {
            try await quickClient(maxBodyBytes: 100_000).send(HTTPRequest(url: "\(server.baseURL)/big"))
        }
        let message = try #require(error?.description)
        #expect(!message.contains("max_body_bytes"), "\(message)")
        #expect(message.range(of: "[a-z]+_[a-z_]+", options: .regularExpression) == nil, "no configuration key is named: \(message)")
        #expect(message.contains("limit 100000 bytes"), "\(message)")
        #expect(message.contains("exceeded the configured limit"), "the archiver sorts poll errors by these words")
    }
}
