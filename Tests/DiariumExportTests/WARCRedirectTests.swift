import DiariumCore
import DiariumExport
import DiariumStore
import DiariumTestSupport
import Foundation
import Testing

/// A capture that came after redirects: its request and response records name the URL
/// the bytes came from, and one metadata record lists the hops without pretending to
/// hold responses the registry never kept.
@Suite("WARC export of redirects")
struct WARCRedirectTests {
    static let final = "https://social.example.org/api/v1/statuses/1"
    static let hops = [
        RedirectHop(url: "https://social.example.org/old/1", status: 301, location: "https://social.example.org/moved/1"),
        RedirectHop(url: "https://social.example.org/moved/1", status: 302, location: "/api/v1/statuses/1"),
    ]

    static func item(_ id: String) -> Item {
        Item(platform: .mastodon, account: "etaten", id: id, kind: .post,
             author: Author(id: "1", handle: "etaten", name: "Etaten", agency: true),
             inReplyTo: nil, threadRoot: id, createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: "Ny ordning \(id)")
    }

    static func decision(_ id: String) -> Decision {
        Decision(id: id, account: "etaten", journal: false, type: .U, status: nil, access: Access(restricted: false, basis: nil, screen: []),
                 retention: .B, rules: ["NO-agency-post"], reason: "test", profile: "no@test")
    }

    @Test("warcio checks the file; the final URI is the target of request, response and metadata; the hops are listed in order")
    func redirectedCapture() throws {
        let dir = try TemporaryDirectory(prefix: "diarium-warc")
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("r.sqlite").path)
        let at = try #require(Timestamp.parse("2026-11-20T09:05:00Z"))
        let json = [HTTPHeader("Content-Type", "application/json")]
        let redirected = Capture(url: Self.final, status: 200, headers: json, body: Data(#"{"id":"1"}"#.utf8), capturedAt: at, redirects: Self.hops)
        let plain = Capture(url: "https://social.example.org/api/v1/statuses/2", status: 200, headers: json, body: Data(#"{"id":"2"}"#.utf8), capturedAt: at)
        _ = try registry.commit(RegistryBatch(
            account: "etaten", platform: .mastodon, checkpoint: Checkpoint(["newestId": "2"]), captures: [redirected, plain],
            versions: [DecidedVersion(item: Self.item("1"), decision: Self.decision("1"), captureIndex: 0),
                       DecidedVersion(item: Self.item("2"), decision: Self.decision("2"), captureIndex: 1)]))

        let summary = try WARCExporter(registry: registry).export(to: dir.file("warc"), range: try ExportRange())
        #expect(summary.captures == 2)
        #expect(summary.records == 1 + 2 * 2 + 1, "warcinfo, a request and a response per capture, one metadata record")
        let check = try Tool.warcio(["check", "-v", summary.file])
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("digest failed"))

        let index = try Tool.warcio(["index", "-f", "warc-type,warc-target-uri,warc-record-id,warc-refers-to,warc-concurrent-to,http:status", summary.file])
        #expect(index.status == 0, "\(index.output)")
        let records = try index.output.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let forFinal = records.filter { $0["warc-target-uri"] as? String == Self.final }
        #expect(forFinal.compactMap { $0["warc-type"] as? String } == ["request", "response", "metadata"])
        #expect(!records.contains { ($0["warc-target-uri"] as? String)?.contains("/old/") == true || ($0["warc-target-uri"] as? String)?.contains("/moved/") == true },
                "no record claims to be a hop's response")
        let response = try #require(forFinal.first { $0["warc-type"] as? String == "response" })
        let metadata = try #require(forFinal.first { $0["warc-type"] as? String == "metadata" })
        #expect(response["http:status"] as? String == "200")
        #expect(metadata["warc-refers-to"] as? String == response["warc-record-id"] as? String)
        #expect(metadata["warc-concurrent-to"] as? String == response["warc-record-id"] as? String)
        #expect(records.filter { $0["warc-type"] as? String == "metadata" }.count == 1, "a capture without redirects gets none")

        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: summary.file)), as: UTF8.self)
        #expect(text.contains("""
            via: https://social.example.org/moved/1\r
            redirect: 301 https://social.example.org/old/1 Location: https://social.example.org/moved/1\r
            redirect: 302 https://social.example.org/moved/1 Location: /api/v1/statuses/1\r

            """))
        #expect(text.contains("GET /api/v1/statuses/1 HTTP/1.1\r\nHost: social.example.org\r\n"), "the request record asks for the final URL")
    }
}
