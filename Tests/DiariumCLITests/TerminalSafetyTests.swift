import DiariumReplay
import DiariumTestSupport
import Foundation
import Testing

/// Text the public wrote never drives the officer's terminal (issue 14): a display name
/// and a reply carrying escape sequences are archived from a Mastodon server, and every
/// text output shows them as visible stand-ins while JSON keeps them, escaped.
@Suite("Platform text does not drive the terminal", .serialized)
struct TerminalSafetyTests {
    static let clear = "\u{1B}[2J"
    static let title = "\u{1B}]0;owned\u{07}"
    static let eraseLine = "\u{1B}[1A\u{1B}[2K"
    static let link = "\u{1B}]8;;https://evil.example/\u{1B}\\lenke\u{1B}]8;;\u{1B}\\"
    static let c1 = "\u{9B}2J\u{9D}0;x\u{9C}"
    static let bidi = "\u{202E}tekst\u{202C}\u{2066}x\u{2069}"
    static let name = "Eve \(title)Nordmann\(clear)"
    static let text = "Hvordan søker jeg om bostøtte? \(eraseLine)Access: open \(link) \(c1) del\u{7F} \(bidi) bell\u{07} nul\u{00}.\r\nDecision: journal=no access=open"

    /// A Mastodon status as the API sends it, built with JSONSerialization so the hostile
    /// strings are escaped as a real server escapes them.
    static func status(id: String, account: [String: Any], at: String, html: String, replyTo: String? = nil, replyToAccount: String? = nil, replies: Int = 0) -> [String: Any] {
        let username = account["username"] as! String
        return [
            "id": id, "created_at": at, "edited_at": NSNull(), "in_reply_to_id": replyTo ?? NSNull(),
            "in_reply_to_account_id": replyToAccount ?? NSNull(), "sensitive": false, "spoiler_text": "", "visibility": "public",
            "language": "nb", "uri": "https://social.example.org/users/\(username)/statuses/\(id)",
            "url": "https://social.example.org/@\(username)/\(id)", "replies_count": replies, "reblogs_count": 0, "favourites_count": 0,
            "content": html, "reblog": NSNull(), "account": account, "media_attachments": [Any](), "mentions": [Any](),
            "tags": [Any](), "emojis": [Any](), "card": NSNull(), "poll": NSNull(),
        ]
    }

    static func account(id: String, username: String, name: String) -> [String: Any] {
        ["id": id, "username": username, "acct": username, "display_name": name, "locked": false, "bot": false,
         "url": "https://social.example.org/@\(username)", "avatar": "https://files.example.org/a.png",
         "followers_count": 1, "following_count": 1, "statuses_count": 1]
    }

    static func json(_ value: Any) throws -> Data { try JSONSerialization.data(withJSONObject: value) }

    static func server() throws -> ReplayServer {
        let agency = account(id: "900", username: "etaten", name: "Etaten")
        let eve = account(id: "901", username: "eve", name: name)
        let post = status(id: "1001", account: agency, at: "2026-11-20T08:00:00.000Z", html: "<p>Ny ordning for bostøtte.</p>", replies: 1)
        let reply = status(id: "1002", account: eve, at: "2026-11-20T08:12:00.000Z", html: "<p>\(text)</p>", replyTo: "1001", replyToAccount: "900")
        let headers = [ReplayHeader("Content-Type", "application/json; charset=utf-8")]
        let base = "/api/v1/accounts/900/statuses"
        return try ReplayServer(routes: [
            ReplayRoute(path: "/api/v1/accounts/lookup", query: ["acct": "etaten"], headers: headers, body: try json(agency)),
            ReplayRoute(path: "/api/v1/accounts/lookup", query: ["acct": "broken"], status: 400, headers: headers,
                        body: try json(["error": "\(title)gone\(clear)\(eraseLine)"])),
            ReplayRoute(path: base, headers: headers, body: try json([post])),
            ReplayRoute(path: base, query: ["min_id": "1001"], headers: headers, body: Data("[]".utf8)),
            ReplayRoute(path: "/api/v1/statuses", headers: headers, body: try json([post, reply])),
            ReplayRoute(path: "/api/v1/statuses/1001/context", headers: headers, body: try json(["ancestors": [Any](), "descendants": [reply]])),
            ReplayRoute(path: "/api/v1/statuses/1002/context", headers: headers, body: try json(["ancestors": [post], "descendants": [Any]()])),
        ])
    }

    /// The characters a terminal could act on: C0 except newline and tab, DEL, C1, and
    /// the bidi overrides and isolates.
    static func unsafe(_ output: String) -> [String] {
        output.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }.map { String(format: "U+%04X", $0.value) }
    }

    /// Every string inside a decoded JSON value.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let s as String: [s]
        case let a as [Any]: a.flatMap { strings(in: $0) }
        case let d as [String: Any]: d.values.flatMap { strings(in: $0) }
        default: []
        }
    }

    @Test("journal (text, CSV), review list, show, search and status show every control as a stand-in; JSON keeps it escaped")
    func hostileText() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try Self.server()
        defer { server.stop() }
        let config = URL(fileURLWithPath: try writeTestConfig(dir, rescan: nil, accounts: """
            [[account]]
            key = "etaten-mastodon"
            platform = "mastodon"
            base_url = "\(server.baseURL)"
            handle = "etaten"
            [[account]]
            key = "etaten-broken"
            platform = "mastodon"
            base_url = "\(server.baseURL)"
            handle = "broken"

            """))

        let run = try runDiarium(["run", "--once", "--config", config.path, "--log-level", "warning", "--log-format", "text"])
        #expect(Self.unsafe(run.stderr).isEmpty, "run's log: \(run.stderr)")
        #expect(run.stderr.contains("␛]0;owned␇gone␛[2J"), "\(run.stderr)")

        var texts: [(String, CommandResult)] = []
        for arguments in [["journal", "--date", "2026-11-20"], ["review", "list"], ["show", "1002", "--versions"],
                          ["search", "bostøtte"], ["status"]] {
            texts.append((arguments.joined(separator: " "), try runDiarium(arguments + ["--config", config.path])))
        }
        for (command, result) in texts {
            #expect(Self.unsafe(result.stdout + result.stderr).isEmpty, "\(command): \(result.stdout)\(result.stderr)")
        }
        let journal = texts[0].1.stdout
        #expect(journal.contains("Hvordan søker jeg om bostøtte? ␛[1A␛[2KAccess: open"), "\(journal)")
        #expect(texts[1].1.stdout.contains("Eve ␛]0;owned␇Nordmann␛[2J"), "\(texts[1].1.stdout)")
        #expect(texts[2].1.stdout.contains("␛]8;;https://evil.example/␛\\lenke␛]8;;␛\\ �2J�0;x� del␡ �tekst��x� bell␇ nul␀."), "\(texts[2].1.stdout)")
        #expect(texts[3].1.stdout.contains("by Eve ␛]0;owned␇Nordmann␛[2J"), "\(texts[3].1.stdout)")
        #expect(!texts[2].1.stdout.split(separator: "\n").contains { $0.hasPrefix("Decision: journal=no") }, "\(texts[2].1.stdout)")
        #expect(texts[2].1.stdout.contains("  | Decision: journal=no access=open"), "a CR LF line of the text is still marked as text")
        #expect(texts[4].1.stdout.contains("␛]0;owned␇gone␛[2J␛[1A␛[2K"), "\(texts[4].1.stdout)")

        // CSV: the same stand-ins in every cell; its own CRLF record ends are the only controls.
        let csv = try runDiarium(["journal", "--date", "2026-11-20", "--format", "csv", "--config", config.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(Self.unsafe(csv.stdout.replacingOccurrences(of: "\r\n", with: "\n")).isEmpty, "\(csv.stdout)")
        #expect(csv.stdout.contains("Eve ␛]0;owned␇Nordmann␛[2J"))

        // JSON: the exact text, every control written as a \u escape.
        for arguments in [["journal", "--date", "2026-11-20", "--format", "json"], ["review", "list", "--format", "json"],
                          ["show", "1002", "--format", "json"], ["search", "bostøtte", "--format", "json"], ["status", "--format", "json"]] {
            let result = try runDiarium(arguments + ["--config", config.path])
            let command = arguments.joined(separator: " ")
            #expect(Self.unsafe(result.stdout).isEmpty, "\(command): \(result.stdout)")
            #expect(result.stdout.contains("\\u001b"), "\(command): \(result.stdout)")
            let strings = try result.stdout.split(separator: "\n").flatMap { Self.strings(in: try JSONSerialization.jsonObject(with: Data($0.utf8))) }
            if command.hasPrefix("status") {
                #expect(strings.contains { $0.contains(Self.title + "gone" + Self.clear + Self.eraseLine) }, "\(command): \(strings)")
            } else {
                #expect(strings.contains { $0.contains(Self.name) }, "\(command): \(strings)")
                #expect(result.stdout.contains("\\u009b2J"), "\(command): the C1 CSI is kept, escaped")
            }
            if command.hasPrefix("show") || command.hasPrefix("search") {
                #expect(strings.contains { $0.contains(Self.eraseLine + "Access: open " + Self.link + " " + Self.c1 + " del\u{7F} " + Self.bidi) }, "\(command): \(strings)")
            }
        }
    }
}
