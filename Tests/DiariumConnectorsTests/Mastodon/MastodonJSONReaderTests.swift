@testable import DiariumConnectors
import DiariumTestSupport
import Foundation
import Testing

/// The byte-level reader must read exactly what `JSONDecoder` read from the same bytes.
@Suite struct MastodonJSONReaderTests {
    /// Every field the archive reads, as one comparable string.
    func fields(_ s: MastodonStatus) -> String {
        let media = (s.media_attachments ?? []).map { "\($0.id ?? "-")|\($0.type ?? "-")|\($0.url ?? "-")|\($0.remote_url ?? "-")|\($0.description ?? "-")" }
        let account = "\(s.account.id)|\(s.account.username ?? "-")|\(s.account.acct ?? "-")|\(s.account.display_name ?? "-")|\(s.account.url ?? "-")"
        let own = [s.id, s.created_at, s.edited_at, s.in_reply_to_id, s.in_reply_to_account_id, s.visibility, s.language, s.uri, s.url, s.content, s.spoiler_text]
            .map { $0 ?? "-" }.joined(separator: "|")
        let poll = s.poll.map { p in
            "\(p.multiple.map(String.init) ?? "-")|\(p.expires_at ?? "-")|" + (p.options ?? []).map { $0.title ?? "-" }.joined(separator: ",")
        } ?? "-"
        let quote = s.quote.map { q in "\(q.state ?? "-")|\(q.quoted_status_id ?? "-")|\(q.quoted_status.map(fields) ?? "-")" } ?? "-"
        return "\(own)|\(s.replies_count.map(String.init) ?? "-")|\(account)|\(media)|\(s.reblog.map(fields) ?? "-")|\(poll)|\(quote)"
    }

    @Test(arguments: ["statuses-page1", "statuses-page2", "statuses-new", "statuses-empty", "statuses-edited-and-shared"])
    func statusesMatchTheDecoder(_ name: String) throws {
        let data = try Fixture.data("mastodon/\(name).json")
        let fast = try MastodonNormaliser.decodeStatuses(data).map(fields)
        let decoded = try JSONDecoder().decode([MastodonStatus].self, from: data).map(fields)
        #expect(fast == decoded)
    }

    @Test(arguments: ["context-thread", "context-empty", "context-self-reply"])
    func contextsMatchTheDecoder(_ name: String) throws {
        let data = try Fixture.data("mastodon/\(name).json")
        let fast = try MastodonNormaliser.decodeContext(data)
        let decoded = try JSONDecoder().decode(MastodonContext.self, from: data)
        #expect(fast.ancestors.map(fields) == decoded.ancestors.map(fields))
        #expect(fast.descendants.map(fields) == decoded.descendants.map(fields))
    }

    @Test func escapesAndUnknownFields() throws {
        let json = #"""
        [{"id": "1", "content": "<p>\"Hei\" \u00e5 \ud83d\ude00 a\/b\n\t\\</p>", "spoiler_text": "",
          "extra": {"nested": [1, 2.5e3, -0.1, true, false, null, {"x": "y\"z"}]},
          "account": {"id": "9", "acct": "kari", "fields": []}, "media_attachments": null, "reblog": null}]
        """#
        let data = Data(json.utf8)
        let fast = try MastodonNormaliser.decodeStatuses(data)
        let decoded = try JSONDecoder().decode([MastodonStatus].self, from: data)
        #expect(fast.map(fields) == decoded.map(fields))
        #expect(fast.first?.content == "<p>\"Hei\" å 😀 a/b\n\t\\</p>")
    }

    @Test(arguments: [
        #"{"id": "1"}"#,                                   // not an array
        #"[{"id": 1, "account": {"id": "2"}}]"#,          // id of the wrong type
        #"[{"id": "1"}]"#,                                 // no account
        #"[{"id": null, "account": {"id": "2"}}]"#,       // null id
        #"[{"id": "1", "account": {"id": "2"}}"#,         // cut short
        #"[{"id": "1", "account": {"id": "2"}}] x"#,      // trailing bytes
        #"[{"id": "1", "content": 5, "account": {"id": "2"}}]"#,
        #"[{"id": "1", "replies_count": "4", "account": {"id": "2"}}]"#,  // a count as text
        #"[{"id": "1", "replies_count": 1.5, "account": {"id": "2"}}]"#,  // not a whole number
        #"[{"id": "1", "poll": {"multiple": "no", "options": []}, "account": {"id": "2"}}]"#,  // a flag as text
        #"[{"id": "1", "poll": {"options": [{"title": 3}]}, "account": {"id": "2"}}]"#,     // an option's title as a number
        #"[{"id": "1", "quote": {"state": "accepted", "quoted_status": {"id": "3"}}, "account": {"id": "2"}}]"#,  // a quoted status without account
        "<html></html>",
    ])
    func badBodiesFailAsTheDecoderFails(_ body: String) {
        #expect(throws: DecodingError.self) { try MastodonNormaliser.decodeStatuses(Data(body.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MastodonStatus].self, from: Data(body.utf8)) }
    }
}
