import DiariumCore
import Testing

@Suite("HTML entities")
struct HTMLEntitiesTests {
    @Test("all of HTML 4's named references are decoded, in text and in attributes")
    func html4() {
        #expect(HTMLEntities.named.count == 253)   // HTML 4's 252, and XML's apos
        #expect(HTMLText.decodeEntities("&frac12; &sup2; &ccedil; &Oacute; &trade; &rarr; &there4; &Omega; &thetasym;") == "½ ² ç Ó ™ → ∴ Ω ϑ")
        #expect(HTMLText.decodeEntities("&oelig;&Scaron;&permil;&lsaquo;&bdquo;&dagger;") == "œŠ‰‹„†")
        #expect(HTMLText.plainText("<p><img alt=\"2&frac12; etasje &middot; kantina\"> <a href=\"https://example.org/a?x=1&amp;y=&copy;\">les</a></p>")
            == "[2½ etasje · kantina] les (https://example.org/a?x=1&y=©)")
        // Unknown names stay as written; nbsp is a space and shy disappears (plain text).
        #expect(HTMLText.decodeEntities("&zzz; a&nbsp;b klage&shy;sak") == "&zzz; a b klagesak")
    }
}
