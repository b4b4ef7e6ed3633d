import DiariumCore
import Testing

@Suite("HTML to plain text")
struct HTMLTextTests {
    @Test("paragraphs, breaks and entities")
    func paragraphs() {
        #expect(HTMLText.plainText("<p>Hei &amp; velkommen!</p><p>Linje 1<br>Linje 2 &#8211; &#x263A;</p>") == "Hei & velkommen!\n\nLinje 1\nLinje 2 – ☺")
    }

    @Test("a link whose label hides the address keeps the address")
    func links() {
        #expect(HTMLText.plainText(#"<p>Se <a href="https://etaten.example.org/skjema">skjemaet</a>.</p>"#) == "Se skjemaet (https://etaten.example.org/skjema).")
        // Mastodon's shortened links and hashtags keep their visible text only.
        #expect(HTMLText.plainText(#"<a href="https://etaten.example.org/bostotte"><span class="invisible">https://</span><span>etaten.example.org/bostotte</span></a> <a href="https://social.example.org/tags/nav">#<span>nav</span></a>"#) == "https://etaten.example.org/bostotte #nav")
    }

    @Test("scripts and styles are dropped, markup is never kept")
    func hostile() {
        let text = HTMLText.plainText("<p>Hei<script>alert('x')</script><style>p{}</style> <b>du</b></p><img src=x alt=\"et bilde\">")
        #expect(text == "Hei du\n\n[et bilde]")
        #expect(!text.contains("<"))
    }

    @Test("text without markup passes through; a lone < is text")
    func plain() {
        #expect(HTMLText.plainText("3 < 4  and   so") == "3 < 4 and so")
    }
}
