import Testing
@testable import DiariumRules

/// One text and whether a detector should fire on it.
struct DetectorCase: Sendable, CustomTestStringConvertible {
    var detector: Detector
    var language: String
    var text: String
    var fires: Bool
    var testDescription: String { "\(detector.rawValue) \(language) \(fires ? "+" : "-"): \(text)" }

    init(_ detector: Detector, _ language: String, _ text: String, _ fires: Bool) {
        self.detector = detector
        self.language = language
        self.text = text
        self.fires = fires
    }
}

let detectorCases: [DetectorCase] = [
    // question: a "?" AND an interrogative or a word addressing the agency
    .init(.question, "nb", "Hvordan søker jeg?", true),
    .init(.question, "nb", "Når åpner dere?", true),
    .init(.question, "nb", "Hvordan det gikk vet ingen.", false),           // no "?"
    .init(.question, "nb", "Flott dag?", false),                             // no question word
    .init(.question, "nb", "Kanskje i morgen?", false),                      // "kanskje" is not "kan"
    .init(.question, "nn", "Korleis går det med saka?", true),
    .init(.question, "nn", "Kven har ansvaret?", true),
    .init(.question, "nn", "Korleis det gjekk.", false),
    .init(.question, "sv", "Varför stängde ni biblioteket?", true),
    .init(.question, "sv", "Vem ansvarar?", true),
    .init(.question, "sv", "Bra dag idag?", false),
    .init(.question, "en", "Why is the office closed?", true),
    .init(.question, "en", "Could you help me?", true),
    .init(.question, "en", "Nice day?", false),
    .init(.question, "en", "Who knows.", false),
    // request
    .init(.request, "nb", "Jeg sender en søknad om støtte.", true),
    .init(.request, "nb", "Jeg vil søke om plass i barnehagen.", true),
    .init(.request, "nb", "Jeg vil søke   om plass.", true),                 // any whitespace inside a phrase
    .init(.request, "nb", "Jeg vil søke. Om du vil.", false),                // not across punctuation
    .init(.request, "nb", "Naboen klager på støyen.", true),
    .init(.request, "nb", "Vi har et krav på refusjon.", true),
    .init(.request, "nb", "Kravet er oppfylt.", false),                      // "krav" is a whole word
    .init(.request, "nb", "Takk for hjelpen!", false),
    .init(.request, "nn", "Eg vil klage på vedtaket.", true),                // shared stem klag*
    .init(.request, "nn", "Takk for hjelpa!", false),
    .init(.request, "sv", "Jag vill överklaga beslutet.", true),
    .init(.request, "sv", "Jag begär omprövning.", true),
    .init(.request, "sv", "Ansökan skickades i maj.", true),
    .init(.request, "sv", "Tack för hjälpen!", false),
    .init(.request, "en", "I want to appeal the decision.", true),
    .init(.request, "en", "How do I apply?", true),
    .init(.request, "en", "Applying the paint was fun.", false),             // "apply" is a whole word
    .init(.request, "en", "Thanks a lot!", false),
    // access_request
    .init(.access_request, "nb", "Jeg ber om innsyn i saken.", true),
    .init(.access_request, "nb", "Innsynskravet er sendt.", true),
    .init(.access_request, "nb", "Fin utsikt fra kontoret.", false),
    .init(.access_request, "nn", "Eg ber om innsyn i dokumenta.", true),
    .init(.access_request, "sv", "Jag vill se allmänna handlingar.", true),
    .init(.access_request, "sv", "Är detta en allmän handling?", true),
    .init(.access_request, "sv", "Allmänt sett är det bra.", false),
    .init(.access_request, "en", "I ask for access to documents on this.", true),
    .init(.access_request, "en", "This is an FOI request.", true),
    .init(.access_request, "en", "Access to the documents, please.", false),  // not the phrase
    // special_category
    .init(.special_category, "nb", "Hun har fått en diagnose.", true),
    .init(.special_category, "nb", "Kreftsyke barn venter.", true),
    .init(.special_category, "nb", "Psykiske plager er vanlige.", true),
    .init(.special_category, "nb", "Fin sykkeltur i dag.", false),
    .init(.special_category, "nn", "Ho har ein alvorleg sjukdom.", true),    // sjukdom* from the sv list
    .init(.special_category, "sv", "Han lider av psykisk ohälsa.", true),
    .init(.special_category, "sv", "Missbruket började tidigt.", true),
    .init(.special_category, "sv", "Ohälsa i allmänhet.", false),             // only the phrase counts
    .init(.special_category, "en", "My mental health is poor.", true),
    .init(.special_category, "en", "Illnesses spread in winter.", true),
    .init(.special_category, "en", "A mental note.", false),
    // spam
    .init(.spam, "nb", "Tjen penger hjemmefra!", true),
    .init(.spam, "nb", "Penger er ikke alt.", false),
    .init(.spam, "sv", "Tjäna pengar snabbt!", true),
    .init(.spam, "sv", "Pengar är inte allt.", false),
    .init(.spam, "en", "Earn money now", true),
    .init(.spam, "en", "Buy crypto today", true),
    .init(.spam, "en", "Visit the CASINO", true),
    .init(.spam, "en", "Links: https://a.example.org http://b.example.org www.c.example.org", true),
    .init(.spam, "en", "Links: https://a.example.org and https://b.example.org/www.x", false),  // two links
    .init(.spam, "en", "Cryptography is fun.", false),                        // "crypto" is a whole word
]

extension Detector {
    static let access_request = Detector.accessRequest
    static let special_category = Detector.specialCategory
}

@Suite("Detectors")
struct DetectorTests {
    @Test(arguments: detectorCases)
    func detector(_ c: DetectorCase) {
        #expect(Books.no.detect(c.text).contains(c.detector) == c.fires)
        // Both profiles share the word lists.
        #expect(Books.se.detect(c.text).contains(c.detector) == c.fires)
    }

    @Test func everyDetectorAndLanguageHasPositiveAndNegativeCases() {
        for d in Detector.allCases where d.usesWords {
            for fires in [true, false] {
                #expect(detectorCases.contains { $0.detector == d && $0.fires == fires }, "\(d) \(fires)")
            }
        }
        for language in ["nb", "nn", "sv", "en"] {
            for d in [Detector.question, .request, .accessRequest] {
                #expect(detectorCases.contains { $0.detector == d && $0.language == language && $0.fires })
            }
        }
    }

    @Test func wholeWordsAndStems() {
        let book = Books.no
        #expect(book.detect("klager").contains(.request))         // klag* matches klager
        #expect(book.detect("klage").contains(.request))
        #expect(book.detect("klagemur").contains(.request))       // stems are plain prefixes, by choice
        #expect(!book.detect("reklame").contains(.request))       // only at the start of a word
        #expect(!book.detect("kanskje?").contains(.question))     // kan is a whole word
        #expect(book.detect("kan?").contains(.question))
        #expect(!book.detect("søkeord").contains(.request))       // "søke om" is a phrase
    }

    @Test func caseAndUnicode() {
        let book = Books.no
        #expect(book.detect("HVORDAN?").contains(.question))
        #expect(book.detect("NÅR kommer bussen?").contains(.question))
        #expect(book.detect("Na\u{30A}r kommer bussen?").contains(.question))   // decomposed å
        #expect(book.detect("ÖVERKLAGANDE").contains(.request))
        #expect(book.detect("Varför？").contains(.question))                   // fullwidth question mark
        #expect(!book.detect("hvordanmann?").contains(.question))
        #expect(book.detect("«Hvorfor»?").contains(.question))
    }

    @Test func nationalIDDetector() {
        let book = Books.no
        #expect(book.detect("fnr \(TestNumbers.fnr)").contains(.nationalID))
        #expect(!book.detect("fnr \(TestNumbers.flipped(TestNumbers.fnr, at: 4))").contains(.nationalID))
        #expect(book.detect("pnr \(TestNumbers.personnummer)").contains(.nationalID))
        #expect(!book.detect("tlf 12345678").contains(.nationalID))
        #expect(book.detect("").isEmpty)
    }
}
