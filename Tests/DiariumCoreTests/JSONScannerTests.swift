import DiariumCore
import Testing

/// The grammar both hand-written JSON readers (Mastodon pages, registry records) stand on.
/// Each reader's own tests compare it with JSONDecoder; these pin the pieces, above all
/// the places where the two readers' modes differ.
@Suite("JSON byte scanner")
struct JSONScannerTests {
    func scan<T>(_ json: String, _ body: (inout JSONScanner) throws -> T) throws -> T {
        try scan(Array(json.utf8), body)
    }

    func scan<T>(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> T) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            return try body(&scanner)
        }
    }

    func string(_ json: String, _ mode: JSONScanner.LoneSurrogates) throws -> String {
        try scan(json) { try $0.string(mode) }
    }

    /// The reason a scan failed, or nil when it did not.
    func failure<T>(_ json: String, _ body: (inout JSONScanner) throws -> T) -> String? {
        do {
            _ = try scan(json, body)
            return nil
        } catch let error as JSONScanner.SyntaxError {
            return "\(error.reason)"
        } catch {
            return "not a SyntaxError: \(error)"
        }
    }

    @Test("short escapes, plain text and multibyte UTF-8 read the same in both modes")
    func escapes() throws {
        for mode in [JSONScanner.LoneSurrogates.replace, .reject] {
            #expect(try string(#" "a\"b\\c\/d\b\f\n\r\t" "#, mode) == "a\"b\\c/d\u{8}\u{C}\n\r\t")
            #expect(try string(#""æøå 👍🏽""#, mode) == "æøå 👍🏽")
            #expect(try string(#""før \n etter æ""#, mode) == "før \n etter æ")
            #expect(try string(#""\u00e6\u00C6\u0041""#, mode) == "æÆA")
            #expect(try string(#""\ud83d\udc4D!""#, mode) == "👍!")
            #expect(try string(#""""#, mode) == "")
        }
    }

    @Test("a lone surrogate is U+FFFD when replacing and a failure when rejecting, in read and skipped strings")
    func loneSurrogates() throws {
        #expect(try string(#""\ud800""#, .replace) == "\u{FFFD}")
        #expect(try string(#""\udc00x""#, .replace) == "\u{FFFD}x")
        // A high half followed by an escape that is no low half: the next escape stands on its own.
        #expect(try string(#""\ud800\u0041""#, .replace) == "\u{FFFD}A")
        #expect(try string(#""\ud800\n""#, .replace) == "\u{FFFD}\n")
        for lone in [#""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, #""\ud800\n""#] {
            #expect(failure(lone) { try $0.string(.reject) } == "a lone surrogate in a string", "\(lone)")
            #expect(failure(lone) { try $0.skipValue(.reject) } == "a lone surrogate in a string", "\(lone)")
            #expect(failure(lone) { try $0.skipValue(.replace) } == nil, "\(lone)")
        }
        // A bad low half is a bad escape in either mode.
        #expect(failure(#""\ud800\uZZZZ""#) { try $0.string(.replace) } == "a bad \\u escape")
        #expect(failure(#""\ud800\uZZZZ""#) { try $0.string(.reject) } == "a bad \\u escape")
    }

    @Test("bytes that are not UTF-8 are repaired, with escapes or without")
    func invalidUTF8() throws {
        #expect(try scan([0x22, 0x61, 0xFF, 0x22]) { try $0.string(.reject) } == "a\u{FFFD}")
        #expect(try scan([0x22, 0xFF, 0x5C, 0x6E, 0x22]) { try $0.string(.replace) } == "\u{FFFD}\n")
    }

    @Test("malformed and truncated strings fail with their reason and where")
    func malformedStrings() throws {
        #expect(failure(#""\q""#) { try $0.string(.replace) } == "an unknown escape in a string")
        #expect(failure("\"a\u{1}\"") { try $0.string(.replace) } == "a control character in a string")
        #expect(failure("\"a\\n\nb\"") { try $0.string(.replace) } == "a control character in a string")
        #expect(failure(#""abc"#) { try $0.string(.replace) } == "unterminated string")
        #expect(failure(#""ab\"#) { try $0.string(.replace) } == "unterminated string")
        #expect(failure(#""\u00"#) { try $0.string(.replace) } == "a short \\u escape")
        #expect(failure("5") { try $0.string(.replace) } == "expected a string")
        do {
            _ = try scan(#"  "ab"#) { try $0.string(.reject) }
            Issue.record("an unterminated string was read")
        } catch let error as JSONScanner.SyntaxError {
            #expect(error.offset == 5)
        }
        // A skipped string is only stepped over when replacing, checked when rejecting.
        #expect(failure(#""\q""#) { try $0.skipValue(.replace) } == nil)
        #expect(failure(#""\q""#) { try $0.skipValue(.reject) } == "an unknown escape in a string")
        #expect(failure(#""abc"#) { try $0.skipValue(.replace) } == "unterminated string")
    }

    @Test("literals, optional strings and booleans")
    func literals() throws {
        #expect(try scan(" null") { try $0.null() })
        #expect(try scan("\"x\"") { try $0.null() } == false)
        #expect(try scan("null") { try $0.optionalString(.reject) } == nil)
        #expect(try scan(#" "x""#) { try $0.optionalString(.reject) } == "x")
        #expect(try scan("true") { try $0.bool() })
        #expect(try scan("\tfalse") { try $0.bool() } == false)
        #expect(failure("nul") { try $0.null() } == "unexpected end")
        #expect(failure("nulL") { try $0.null() } == "an unknown literal")
        #expect(failure("tru") { try $0.bool() } == "unexpected end")
        #expect(failure("1") { try $0.bool() } == "expected true or false")
    }

    @Test("whole numbers read in place; other values answer nil and stay unread")
    func wholeNumbers() throws {
        #expect(try scan(" 42 ") { try $0.wholeNumber(.replace) } == 42)
        #expect(try scan("-0") { try $0.wholeNumber(.replace) } == 0)
        #expect(try scan("007") { try $0.wholeNumber(.replace) } == 7)
        #expect(try scan("9223372036854775807") { try $0.wholeNumber(.replace) } == Int.max)
        #expect(try scan("-9223372036854775808") { try $0.wholeNumber(.replace) } == Int.min)
        for other in ["9223372036854775808", "1.5", "1e3", "-", "\"4\"", "true", "null", "{\"a\":1}", "1-2"] {
            let (value, index) = try scan(" " + other) { s in (try s.wholeNumber(.replace), s.index) }
            #expect(value == nil, "\(other)")
            #expect(index == 1, "\(other)")
        }
        #expect(failure("+1") { try $0.wholeNumber(.replace) } == "unexpected character")
    }

    @Test("object keys are compared where they stand, decoded only when escaped")
    func keys() throws {
        let keys = try scan(#"{ "id" : 1, "na\u006de": "x", "k": {"nested": [1]} }"#) { s -> [String] in
            let opened = s.consume(UInt8(ascii: "{"))
            #expect(opened)
            var names: [String] = []
            var next = try s.firstKey(.replace)
            while let key = next {
                switch key {
                case "id":
                    #expect(!key.escaped && key.count == 2)
                    let value = try s.wholeNumber(.replace)
                    #expect(value == 1)
                case "name":
                    #expect(key.escaped && key.name == "name" && key.count == 4 && key.is("name"))
                    let value = try s.string(.replace)
                    #expect(value == "x")
                default:
                    #expect(!key.is("id") && !key.is("kk"))
                    try s.skipValue(.replace)
                }
                names.append(key.name)
                next = try s.nextKey(.replace)
            }
            let ended = s.atEnd()
            #expect(ended)
            return names
        }
        #expect(keys == ["id", "name", "k"])
        #expect(try scan("{ }") { s in _ = s.consume(UInt8(ascii: "{")); return try s.firstKey(.reject) == nil })
        #expect(failure(#"{"a":1,}"#) { try $0.skipValue(.reject) } == "expected a key in an object")
        #expect(failure(#"{"a" 1}"#) { try $0.skipValue(.reject) } == "expected ':' after a key")
        #expect(failure(#"{"a":1 "b":2}"#) { try $0.skipValue(.reject) } == "expected ',' or '}' in an object")
        #expect(failure("{\"a\u{1}\":1}") { try $0.skipValue(.replace) } == "a control character in a string")
        #expect(failure(#"{"ab"#) { try $0.skipValue(.replace) } == "unterminated string")
    }

    @Test("skipValue steps over nested values whole and stops at what follows")
    func skipNested() throws {
        let rest = try scan(#" {"a": [1, -2.5e3, true, false, null, {"b": "c\"d", "e": {}}, []], "f": "\u00e6"} , 7"#) { s -> UInt8? in
            try s.skipValue(.reject)
            return s.peek()
        }
        #expect(rest == UInt8(ascii: ","))
        let elements = try scan("[[1, 2], {}, \"x\"]") { s -> Int in
            let opened = s.consume(UInt8(ascii: "["))
            #expect(opened)
            var count = 0
            var more = s.firstElement()
            while more {
                try s.skipValue(.reject)
                count += 1
                more = try s.nextElement()
            }
            return count
        }
        #expect(elements == 3)
        #expect(try scan("[]") { s in _ = s.consume(UInt8(ascii: "[")); return s.firstElement() } == false)
        #expect(failure(#"{"a": [1, 2"#) { try $0.skipValue(.reject) } == "expected ',' or ']' in an array")
        #expect(failure(#"{"a": [1, 2,"#) { try $0.skipValue(.reject) } == "unexpected end")
        #expect(failure("[1 2]") { try $0.skipValue(.reject) } == "expected ',' or ']' in an array")
        #expect(failure("-x") { try $0.skipValue(.reject) } == "a bad number")
        #expect(failure("@") { try $0.skipValue(.reject) } == "unexpected character")
        #expect(failure("") { try $0.skipValue(.reject) } == "unexpected end")
    }

    @Test("nesting is bounded at 511 levels so a hostile body cannot exhaust the stack")
    func depth() throws {
        let deepest = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(failure(deepest) { try $0.skipValue(.replace) } == nil)
        let deeper = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(failure(deeper) { try $0.skipValue(.replace) } == "nested too deeply")
        let objects = String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 512)
        #expect(failure(objects) { try $0.skipValue(.reject) } == "nested too deeply")
    }

    @Test("atEnd allows only whitespace after the value")
    func end() throws {
        #expect(try scan(" 1 \n\t") { s in try s.skipValue(.reject); return s.atEnd() })
        #expect(try scan("1 x") { s in try s.skipValue(.reject); return s.atEnd() } == false)
    }
}
