import DiariumCore
import Foundation
import Testing

@Suite("Normalised item JSON")
struct ItemJSONTests {
    @Test("unknown keys are ignored and missing optional keys read as null")
    func lenient() throws {
        let item = try JSONLines.decode(Item.self, from: #"{"id": "1", "kind": "reply", "text": "Hei?", "extra": [1, 2]}"#)
        #expect(item.id == "1")
        #expect(item.kind == .reply)
        #expect(item.inReplyTo == nil)
        #expect(item.author.agency == false)
    }

    @Test("encoding writes every key of the contract, null included")
    func keys() throws {
        let item = Item(platform: .mastodon, account: "etaten", id: "42", kind: .post, author: Author(id: "1", agency: true),
                        createdAt: Timestamp.parse("2026-11-20T09:00:00Z"), text: "Hei")
        let object = try JSONSerialization.jsonObject(with: Data(try JSONLines.encode(item).utf8)) as! [String: Any]
        #expect(Set(object.keys) == ["platform", "account", "id", "url", "kind", "author", "inReplyTo", "threadRoot",
                                     "createdAt", "editedAt", "deletedAt", "visibility", "language", "text", "attachments"])
        #expect(object["createdAt"] as? String == "2026-11-20T09:00:00Z")
        #expect(object["editedAt"] is NSNull)
    }

    @Test("a bad date is an error naming the key")
    func badDate() {
        #expect(throws: DecodingError.self) {
            try JSONLines.decode(Item.self, from: #"{"id": "1", "kind": "post", "createdAt": "tomorrow"}"#)
        }
    }

    @Test("a date parse could not read back is written as null by both writers, so a stored item always reads back")
    func unwritableDates() throws {
        var item = Item(platform: .feed, account: "etaten-news", id: "k", kind: .post, author: Author(id: "f", agency: true), text: "Hei")
        item.createdAt = Timestamp.date(year: 10000, month: 1, day: 1)
        item.editedAt = Timestamp.date(year: -5, month: 1, day: 1)
        for json in [item.jsonText, try JSONLines.encode(item)] {
            #expect(json.contains(#""createdAt":null"#) && json.contains(#""editedAt":null"#), "\(json)")
            let back = try JSONLines.decode(Item.self, from: json)
            #expect(back.createdAt == nil && back.editedAt == nil && back.text == "Hei")
        }
    }

    @Test("every date of an item outside the plausible range is left out and named; the rest stay")
    func plausibleDates() throws {
        let now = try #require(Timestamp.parse("2026-11-20T09:00:00Z"))
        let range = Item.plausibleDates(around: now)
        #expect(Timestamp.format(range.lowerBound) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(range.upperBound) == "2028-01-01T00:00:00Z")
        var item = Item(platform: .feed, account: "etaten-news", id: "k", kind: .post, author: Author(id: "f", agency: true),
                        createdAt: Timestamp.parse("1969-12-31T23:00:00Z"), editedAt: Timestamp.parse("2200-01-01T00:00:00Z"),
                        deletedAt: Timestamp.parse("2027-12-31T23:59:59Z"), text: "Hei")
        let problems = item.clearDates(outside: range)
        #expect(problems == [DateProblem(field: "createdAt", value: "1969-12-31T23:00:00Z"), DateProblem(field: "editedAt", value: "2200-01-01T00:00:00Z")])
        #expect(item.createdAt == nil && item.editedAt == nil)
        #expect(Timestamp.format(try #require(item.deletedAt)) == "2027-12-31T23:59:59Z")
        var sound = item
        #expect(sound.clearDates(outside: range).isEmpty && sound == item)
    }

    @Test("clearDates covers every Date an item has, so a date field added later cannot slip past ingest")
    func everyDateIsChecked() throws {
        let absurd = Timestamp.date(year: 2200, month: 1, day: 1)
        var item = Item(platform: .feed, account: "a", id: "k", kind: .post, author: Author(id: "f", agency: true),
                        createdAt: absurd, editedAt: absurd, deletedAt: absurd, text: "")
        var dates = 0
        for child in Mirror(reflecting: item).children where type(of: child.value) == Date.self || type(of: child.value) == Date?.self {
            dates += 1
        }
        #expect(dates >= 3)
        #expect(item.clearDates(outside: Item.plausibleDates(around: Date())).count == dates)
        for child in Mirror(reflecting: item).children {
            if let date = child.value as? Date { Issue.record("\(child.label ?? "?") is still \(date)") }
        }
    }

    @Test("a stored item whose date does not parse reads without it when asked, naming the text; other faults still fail")
    func skippingBadDates() throws {
        let json = #"{"id":"k","kind":"post","text":"Hei","createdAt":"10000-12-31T23:59:59Z","editedAt":"2026-11-20T09:00:00Z"}"#
        #expect(throws: DecodingError.self) { try JSONLines.decode(Item.self, from: json) }
        let (item, skipped) = try Item.decodeSkippingBadDates(from: json)
        #expect(item.text == "Hei" && item.createdAt == nil && item.editedAt != nil)
        #expect(skipped == [DateProblem(field: "createdAt", value: "10000-12-31T23:59:59Z")])
        #expect(throws: DecodingError.self) { try Item.decodeSkippingBadDates(from: #"{"id":"k","kind":"story"}"#) }
    }

    @Test("ACCOUNT:ID references only split on known account keys")
    func references() {
        let known: Set = ["etaten-mastodon"]
        #expect(ItemReference(parsing: "etaten-mastodon:113", knownAccounts: known) == ItemReference(account: "etaten-mastodon", id: "113"))
        #expect(ItemReference(parsing: "tag:etaten.example.org,2026:x", knownAccounts: known) == ItemReference(account: nil, id: "tag:etaten.example.org,2026:x"))
    }
}
