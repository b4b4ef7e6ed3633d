import DiariumConnectors
import Testing

@Suite struct MastodonIDTests {
    @Test func comparesByLengthThenLexically() {
        #expect(MastodonID.isNewer("100", than: "99"))
        #expect(!MastodonID.isNewer("99", than: "100"))
        #expect(MastodonID.isNewer("113500000000000800", than: "113500000000000700"))
        #expect(!MastodonID.isNewer("113500000000000700", than: "113500000000000700"))
        #expect(MastodonID.newest(["9", "113500000000000100", "113500000000000700", "20"]) == "113500000000000700")
        #expect(MastodonID.newest([String]()) == nil)
    }
}
