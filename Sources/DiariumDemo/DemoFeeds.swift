import DiariumReplay
import Foundation

/// Sample web feeds: an RSS 2.0 news feed, an Atom notice feed with a withdrawn entry,
/// and a JSON Feed 1.1 blog. The RSS feed answers conditional requests with 304.
extension DemoScenario {
    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
          <channel>
            <title>Etaten – nyheter</title>
            <link>https://etaten.example.org/nyheter</link>
            <description>Nyheter og kunngjøringer fra Etaten.</description>
            <language>nb</language>
            <item>
              <title>Ny digital søknad om bostøtte</title>
              <link>https://etaten.example.org/nyheter/2026/11/bostotte</link>
              <guid isPermaLink="false">etaten-nyhet-2026-0412</guid>
              <pubDate>Fri, 20 Nov 2026 07:30:00 +0000</pubDate>
              <description>&lt;p&gt;Fra mandag 23. november kan alle søke om bostøtte digitalt.&lt;/p&gt;</description>
              <media:content url="{{base}}/media/hus.png" type="image/png" medium="image">
                <media:description>Illustrasjon av et hus</media:description>
              </media:content>
            </item>
            <item>
              <title>Endrede åpningstider i desember</title>
              <link>https://etaten.example.org/nyheter/2026/11/apningstider</link>
              <guid isPermaLink="false">etaten-nyhet-2026-0413</guid>
              <pubDate>Fri, 20 Nov 2026 12:00:00 +0000</pubDate>
              <description><![CDATA[<p>Se de nye åpningstidene for <b>desember</b>.</p>]]></description>
            </item>
          </channel>
        </rss>
        """

    static let atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:at="http://purl.org/atompub/tombstones/1.0">
          <id>tag:etaten.example.org,2026:kunngjoringer</id>
          <title>Etaten – kunngjøringer</title>
          <updated>2026-11-20T11:00:00Z</updated>
          <author><name>Etaten</name></author>
          <at:deleted-entry ref="tag:etaten.example.org,2026:kunngjoringer/0099" when="2026-11-20T10:30:00Z">
            <at:comment>Trukket tilbake: erstattet av ny kunngjøring</at:comment>
          </at:deleted-entry>
          <entry>
            <id>tag:etaten.example.org,2026:kunngjoringer/0100</id>
            <title>Høring: nye retningslinjer for tilskudd</title>
            <published>2026-11-20T09:00:00Z</published>
            <updated>2026-11-20T11:00:00Z</updated>
            <link rel="alternate" type="text/html" href="https://etaten.example.org/horing/tilskudd"/>
            <content type="html">&lt;p&gt;Etaten sender nye retningslinjer på høring. Frist 15. januar.&lt;/p&gt;</content>
          </entry>
        </feed>
        """

    static let jsonFeed = """
        {
          "version": "https://jsonfeed.org/version/1.1",
          "title": "Etaten – blogg",
          "home_page_url": "https://etaten.example.org/blogg",
          "feed_url": "https://etaten.example.org/blogg/feed.json",
          "language": "nb",
          "authors": [{"name": "Etaten"}],
          "items": [
            {
              "id": "https://etaten.example.org/blogg/2026/11/digitalisering",
              "url": "https://etaten.example.org/blogg/2026/11/digitalisering",
              "title": "Slik digitaliserer vi søknadene",
              "content_html": "<p>Direktøren forteller om arbeidet med nye digitale tjenester.</p>",
              "date_published": "2026-11-20T14:00:00Z",
              "date_modified": "2026-11-20T15:30:00Z"
            }
          ]
        }
        """

    /// A 1×1 PNG, standing in for the agency's pictures.
    public static let png = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
        0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
        0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ])

    static func mediaRoutes() -> [ReplayRoute] {
        ["/media/bostotte.png", "/media/hus.png"].map {
            ReplayRoute(path: $0, headers: [ReplayHeader("Content-Type", "image/png")], body: png)
        }
    }

    static func feedRoutes() -> [ReplayRoute] {
        [
            ReplayRoute(path: "/news/rss.xml", headers: [ReplayHeader("Content-Type", "application/rss+xml; charset=utf-8")],
                        body: Data(rss.utf8), etag: "\"etaten-news-1\"", lastModified: "Fri, 20 Nov 2026 12:00:00 GMT"),
            ReplayRoute(path: "/notices/atom.xml", headers: [ReplayHeader("Content-Type", "application/atom+xml")], body: Data(atom.utf8)),
            ReplayRoute(path: "/blog/feed.json", headers: [ReplayHeader("Content-Type", "application/feed+json")], body: Data(jsonFeed.utf8)),
        ]
    }
}
