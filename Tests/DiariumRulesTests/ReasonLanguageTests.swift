import DiariumCore
import Foundation
import Testing
@testable import DiariumRules

/// Reasons in the agency's language (issue 16 item 1): the default profiles carry every
/// reason in the languages of their country and English, a decision keeps the chosen
/// language's text, and a rule file may still give one plain reason for every language.
@Suite struct ReasonLanguageTests {
    /// The languages each default profile must give every reason in.
    static let required = ["no": ["nb", "nn", "en"], "se": ["sv", "en"]]

    @Test(arguments: ["no", "se"]) func everyDefaultReasonHasItsCountrysLanguagesAndEnglish(profile: String) throws {
        let book = try Rulebook.load(profile: profile, defaults: rulesDirectory)
        let reasons = book.rules.map { ($0.id, $0.reason) } + book.screenings.map { ($0.id, $0.reason) }
        for (id, reason) in reasons {
            for language in Self.required[profile]! {
                #expect(!(reason.texts[language] ?? "").isEmpty, "\(id) has no reason in \(language)")
            }
        }
    }

    @Test func norwegianAgencyReadsBokmalByDefaultAndNynorskWhenChosen() throws {
        let item = makeItem("Hvorfor avslo dere søknaden min?")
        let nb = try Rulebook.load(profile: "no", defaults: rulesDirectory).decide(item, answering: nil)
        #expect(nb.reason == "NO-case: Et spørsmål eller en henvendelse fra publikum til etaten er et saksdokument og skal journalføres (arkivforskrifta § 9).")
        let nn = try Rulebook.load(profile: "no", defaults: rulesDirectory, language: "nn").decide(item, answering: nil)
        #expect(nn.reason.hasPrefix("NO-case: Eit spørsmål eller ein førespurnad frå publikum"), "\(nn.reason)")
        let en = Books.no.speaking("en").decide(item, answering: nil)
        #expect(en.reason.hasPrefix("NO-case: A question or request"))
    }

    @Test func swedishAgencyReadsSwedishByDefault() throws {
        let book = try Rulebook.load(profile: "se", defaults: rulesDirectory)
        #expect(book.language == "sv")
        let d = book.decide(makeItem("Varför fick jag avslag på min ansökan?"), answering: nil)
        #expect(d.reason.hasPrefix("SE-case: En fråga eller begäran från allmänheten inleder eller hör till ett ärende och diarieförs"), "\(d.reason)")
    }

    @Test func aLanguageTheProfileLacksFallsBackToEnglish() throws {
        let book = try Rulebook.load(profile: "se", defaults: rulesDirectory, language: "nb")
        let d = book.decide(makeItem("Varför fick jag avslag på min ansökan?"), answering: nil)
        #expect(d.reason.hasPrefix("SE-case: A question or request"), "\(d.reason)")
    }

    @Test func aPlainReasonServesEveryLanguageAndATableMayLeaveLanguagesOut() throws {
        let override = """
            [[rule]]
            id = "ETATEN-plain"
            before = "NO-case"
            any = ["question"]
            journal = true
            type = "I"
            retention = "B"
            reason = "Lokal rutine 2026-4."

            [[screening]]
            id = "ETATEN-table"
            any = ["question"]
            restricted = false
            reason = { nn = "Berre på nynorsk.", en = "Only in English and nynorsk." }
            """
        try withTemporaryDirectory(["no.toml": override]) { dir in
            for language in ["nb", "nn", "sv", "en"] {
                let book = try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: dir, language: language)
                let d = book.decide(makeItem("Hvorfor?"), answering: nil)
                let expected = language == "nn" ? "Berre på nynorsk." : "Only in English and nynorsk."
                #expect(d.reason == "ETATEN-plain: Lokal rutine 2026-4. ETATEN-table: \(expected)", "\(language): \(d.reason)")
            }
        }
    }

    @Test func aReasonTableNamesOnlyKnownLanguagesAndHoldsText() throws {
        let base = "[[rule]]\nid = \"X\"\njournal = false\ntype = \"I\"\nretention = \"B\"\n"
        let unknown = try #require(try overrideError(base + "reason = { nb = \"Hei.\", de = \"Hallo.\" }\n"))
        #expect(unknown.message.contains("unknown key 'rule[1].reason.de'"), "\(unknown.message)")
        let empty = try #require(try overrideError(base + "reason = {}\n"))
        #expect(empty.message.contains("rule[1].reason' must give the reason in at least one language"), "\(empty.message)")
        let blank = try #require(try overrideError(base + "reason = { nb = \" \" }\n"))
        #expect(blank.message.contains("rule[1].reason.nb' must not be empty"), "\(blank.message)")
        let number = try #require(try overrideError(base + "reason = 3\n"))
        #expect(number.message.contains("must be a string or a table of languages"), "\(number.message)")
    }
}
