import DiariumCore
import DiariumStore
@testable import DiariumWeb
import Foundation
import Testing

/// Every page in each language (issue 16 items 1 and 3): `<html lang>`, the words of
/// the navigation, the journal, the queue, the item page, the disposal and
/// access-request pages and an error page, the dates in
/// the language's form, and no English left where the language has its own words.
@Suite("Web page in each language")
struct WebLanguageTests {
    struct Expected: Sendable, CustomStringConvertible {
        var language: String
        var login: [String]
        var journal: [String]
        var queue: [String]
        var publicJournal: [String]
        var item: [String]
        var reasonNeeded: String
        var other: [String]
        /// The rulebook the registry was decided under: a Swedish agency runs `se`.
        var profile = "no"
        /// English that must not remain on this language's pages beyond `englishOnly`:
        /// for a Swedish agency, its rulebook's English reasons.
        var englishReasons: [String] = []
        var description: String { "\(language) (\(profile))" }
    }

    static let cases: [Expected] = [
        Expected(language: "nb", login: ["Brukernavn", "Passord", "Logg inn i journalen til Etaten"],
                 journal: ["Journal for Etaten, 20.11.2026", "Journalført (", "Arkivert, ikke journalført (", "Til kontroll", "Logg ut", "20.11.2026 09:"],
                 queue: ["forslag venter på kontroll", "Godkjenn", "Overstyr", "Avsender/mottaker", "Begrunnelse", "Etatens svar",
                         "skal journalføres (arkivforskrifta § 9)"],
                 publicJournal: ["Offentlig journal", "Avsender/mottaker"],
                 item: ["Avgjørelse", "Versjoner (", "Endringslogg", "Last ned det rå opptaket", "Opprettet"],
                 reasonNeeded: "En overstyring må begrunnes",
                 other: ["Rettslige bevaringsplikter", "Ingen kassasjonsliste ennå.", "Svar på innsynskrav", "Innsynskravets referanse", "Utlever"]),
        Expected(language: "nn", login: ["Brukarnamn", "Passord"],
                 journal: ["Journal for Etaten, 20.11.2026", "Arkivert, ikkje journalført (", "20.11.2026 09:"],
                 queue: ["framlegg ventar på kontroll", "Grunngiving", "Svaret frå etaten", "skal journalførast (arkivforskrifta § 9)"],
                 publicJournal: ["Offentleg journal", "Avsendar/mottakar"],
                 item: ["Avgjerd", "Versjonar (", "Endringslogg", "Oppretta"],
                 reasonNeeded: "Ei overstyring må grunngivast",
                 other: ["Rettslege bevaringsplikter", "Referansen til innsynskravet"]),
        Expected(language: "sv", login: ["Användarnamn", "Lösenord", "Logga in i diariet för Etaten"],
                 journal: ["Diarium för Etaten, 2026-11-20", "Diarieförda (", "Bevarade, inte diarieförda (", "Att granska", "Logga ut", "2026-11-20 09:"],
                 queue: ["förslag väntar på granskning", "Godkänn", "Avsändare/mottagare", "Motivering", "Myndighetens svar",
                         "inleder eller hör till ett ärende och diarieförs (OSL 5 kap. 1 §; TF 2 kap. 9 §)"],
                 publicJournal: ["Offentligt diarium", "Avsändare/mottagare"],
                 item: ["Beslut", "Versioner (", "Ändringslogg", "Skapad"],
                 reasonNeeded: "En ändring måste motiveras",
                 other: ["Bevarandebeslut", "Ingen gallringsplan ännu.", "Besvara en begäran om allmän handling", "Begärans referens", "Lämna ut"],
                 profile: "se", englishReasons: ["is registered", "kept in order", "from the public"]),
        Expected(language: "en", login: ["User name", "Password", "Log in to Etaten&#39;s journal"],
                 journal: ["Journal of Etaten for 2026-11-20", "Journaled (", "Captured, not journaled (", "Review queue", "Log out", "2026-11-20 09:"],
                 queue: ["proposals awaiting review", "Approve", "Override", "Correspondent", "Why", "The agency&#39;s reply", "must be journaled"],
                 publicJournal: ["Public journal", "Correspondent"],
                 item: ["Decision", "Versions (", "Change log", "Created"],
                 reasonNeeded: "An override needs a reason",
                 other: ["Legal holds", "No disposal plan yet.", "Answer an access request", "Request reference", "Release"]),
    ]

    /// English words of the page that must not remain on a page in another language. (The
    /// reasons are the rulebook's: the Norwegian pages run the `no` profile and the Swedish
    /// one the `se` profile, as a Swedish agency would, so each shows its own reasons.)
    static let englishOnly = ["Review queue", "Log out", "Correspondent", "Captured, not journaled", "Change log", "Access requests",
                              "Legal holds", "Answer request", "Request reference", "Place a legal hold", "No standing hold", "this item only"]

    @Test("login, journal, queue, public journal, item and an error page speak the agency's language", arguments: cases)
    func pages(expected: Expected) async throws {
        // Oslo's zone: the demo's 08:xx UTC items show as 09:xx.
        let f = try await WebFixture.make(language: expected.language, timeZone: "Europe/Oslo", profile: expected.profile)
        let browser = TestBrowser(base: f.base)
        let login = await browser.get("/login")
        let token = try #require(login.csrfToken)
        _ = await browser.post("/login", [("csrf", token), ("name", WebFixture.officer.0), ("password", WebFixture.officer.1)])
        let pages: [(String, String, [String])] = [
            ("login", login.text, expected.login),
            ("journal", await browser.get("/journal?day=2026-11-20").text, expected.journal),
            ("queue", await browser.get("/queue").text, expected.queue),
            ("public", await browser.get("/public?day=2026-11-20").text, expected.publicJournal),
            ("item", await browser.get("/item?account=\(LiveServerTests.question.account ?? "")&id=\(LiveServerTests.question.id)").text, expected.item),
            ("disposal and access request", await browser.get("/disposal").text + (await browser.get("/innsyn?q=bost%C3%B8tte")).text, expected.other),
        ]
        for (name, html, words) in pages {
            #expect(html.contains("<html lang=\"\(expected.language)\">"), "\(expected.language) \(name)")
            for word in words {
                #expect(html.contains(word), "\(expected.language) \(name) lacks \"\(word)\"")
            }
            if expected.language != "en" {
                for english in Self.englishOnly + expected.englishReasons {
                    #expect(!html.contains(english), "\(expected.language) \(name) still says \"\(english)\"")
                }
            }
        }
        // An error page: an override without a reason.
        let queue = await browser.get("/queue")
        let refused = await browser.post("/override", [
            ("csrf", try #require(queue.csrfToken)), ("account", LiveServerTests.question.account ?? ""), ("id", LiveServerTests.question.id),
            ("journal", "no"), ("reason", ""),
        ])
        #expect(refused.status == 400 && refused.text.contains(expected.reasonNeeded), "\(expected.language): \(refused.text)")
        await f.stop()
    }
}
