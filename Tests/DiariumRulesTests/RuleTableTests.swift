import DiariumCore
import Testing
@testable import DiariumRules

/// One row of DESIGN.md's rule and screening tables: an item and what the rulebook
/// must decide for it.
struct Row: Sendable, CustomTestStringConvertible {
    var name: String
    var profile = "no"
    var text: String
    var kind: ItemKind = .comment
    var agency = false
    var visibility: Visibility? = .public
    var answering: AnsweredItem?
    var journal: Bool
    var type: JournalType
    var retention: Retention
    var rules: [String]
    var restricted = false
    var basis: String?
    var screen: [String] = []

    var testDescription: String { "\(profile): \(name)" }
}

let healthBasisNO = "offl. § 13 jf. fvl. § 13 første ledd nr. 1"
let dmBasisNO = "offl. § 13 jf. fvl. § 13 (to be assessed)"
let journaledOpen = AnsweredItem(journal: true, access: .open)
let journaledHealthNO = AnsweredItem(journal: true, access: Access(restricted: true, basis: healthBasisNO, screen: ["NA", "TRO"]))
let journaledHealthSE = AnsweredItem(journal: true, access: Access(restricted: true, basis: "OSL 21 kap. 1 §", screen: ["NA", "TRO"]))

let norwegianRows: [Row] = [
    // NO-agency-post
    Row(name: "agency post", text: "Vi har åpnet nytt kontor i Tromsø.", kind: .post, agency: true,
        journal: false, type: .U, retention: .B, rules: ["NO-agency-post"]),
    Row(name: "agency share", text: "Les rapporten fra Etaten.", kind: .share, agency: true,
        journal: false, type: .U, retention: .B, rules: ["NO-agency-post"]),
    Row(name: "agency post with a question stays a publication", text: "Hva synes du om nettsiden vår?", kind: .post, agency: true,
        journal: false, type: .U, retention: .B, rules: ["NO-agency-post"]),
    // NO-agency-answer
    Row(name: "agency reply to a journaled item", text: "Søknaden din er mottatt.", kind: .reply, agency: true, answering: journaledOpen,
        journal: true, type: .U, retention: .B, rules: ["NO-agency-answer"]),
    Row(name: "agency comment to a journaled item", text: "Vi svarer innen fredag.", kind: .comment, agency: true, answering: journaledOpen,
        journal: true, type: .U, retention: .B, rules: ["NO-agency-answer"]),
    // NO-agency-reply
    Row(name: "agency reply to an unjournaled item", text: "Takk for hyggelig tilbakemelding!", kind: .reply, agency: true,
        answering: AnsweredItem(journal: false, access: .open),
        journal: false, type: .U, retention: .B, rules: ["NO-agency-reply"]),
    Row(name: "agency reply to an unknown item", text: "Takk!", kind: .reply, agency: true,
        journal: false, type: .U, retention: .B, rules: ["NO-agency-reply"]),
    // NO-spam
    Row(name: "spam phrase", text: "Tjen penger raskt!", journal: false, type: .I, retention: .G, rules: ["NO-spam"]),
    Row(name: "three links", text: "Se https://a.example.org og https://b.example.org og www.c.example.org",
        journal: false, type: .I, retention: .G, rules: ["NO-spam"]),
    Row(name: "a spammy question is spam (rule order)", text: "Hvordan kan du tjene på bitcoin? Spør meg!",
        journal: false, type: .I, retention: .G, rules: ["NO-spam"]),
    Row(name: "a spammy message is spam, still screened as a message", text: "Casino bonus for deg", kind: .message, visibility: .direct,
        journal: false, type: .I, retention: .G, rules: ["NO-spam", "NO-dm"], restricted: true, basis: dmBasisNO, screen: ["NA"]),
    // NO-message (+ NO-dm)
    Row(name: "direct message", text: "Hei, jeg har en kommentar til saken.", kind: .message, visibility: .direct,
        journal: true, type: .I, retention: .B, rules: ["NO-message", "NO-dm"], restricted: true, basis: dmBasisNO, screen: ["NA"]),
    Row(name: "private-visibility reply is a message", text: "Dette vil jeg ikke skrive offentlig.", kind: .reply, visibility: .private,
        journal: true, type: .I, retention: .B, rules: ["NO-message", "NO-dm"], restricted: true, basis: dmBasisNO, screen: ["NA"]),
    // NO-access
    Row(name: "innsynskrav", text: "Jeg ber om innsyn i dokumentene i saken.",
        journal: false, type: .I, retention: .G, rules: ["NO-access"]),
    Row(name: "innsynskrav with a complaint is a case", text: "Jeg klager på at innsynskravet mitt ble avslått.",
        journal: true, type: .I, retention: .B, rules: ["NO-case"]),
    // NO-case
    Row(name: "question", text: "Hvordan søker jeg om parkeringstillatelse?",
        journal: true, type: .I, retention: .B, rules: ["NO-case"]),
    Row(name: "request", text: "Jeg vil klage på vedtaket.", journal: true, type: .I, retention: .B, rules: ["NO-case"]),
    Row(name: "nynorsk question", text: "Kvifor er kontoret stengt i dag?", journal: true, type: .I, retention: .B, rules: ["NO-case"]),
    // NO-comment
    Row(name: "plain comment", text: "Flott arrangement i går!", journal: false, type: .I, retention: .G, rules: ["NO-comment"]),
    Row(name: "question mark without a question word", text: "Flott arrangement?", journal: false, type: .I, retention: .G, rules: ["NO-comment"]),
    // NO-id
    Row(name: "fødselsnummer in a question", text: "Mitt fødselsnummer er \(TestNumbers.fnr), hvorfor er saken ikke behandlet?",
        journal: true, type: .I, retention: .B, rules: ["NO-case", "NO-id"], restricted: true, basis: "offl. § 26 femte ledd", screen: ["TRO"]),
    Row(name: "D-number in a comment", text: "D-nummeret \(TestNumbers.dnr) står på kortet.",
        journal: false, type: .I, retention: .G, rules: ["NO-comment", "NO-id"], restricted: true, basis: "offl. § 26 femte ledd", screen: ["TRO"]),
    // NO-health
    Row(name: "health data in a question", text: "Jeg har kreft og lurer på hvorfor dere avslo søknaden?",
        journal: true, type: .I, retention: .B, rules: ["NO-case", "NO-health"], restricted: true, basis: healthBasisNO, screen: ["NA", "TRO"]),
    Row(name: "health data in a comment", text: "Broren min har depresjon.",
        journal: false, type: .I, retention: .G, rules: ["NO-comment", "NO-health"], restricted: true, basis: healthBasisNO, screen: ["NA", "TRO"]),
    Row(name: "agency post about health is not screened", text: "Kreftforeningen har aksjon i dag.", kind: .post, agency: true,
        journal: false, type: .U, retention: .B, rules: ["NO-agency-post"]),
    // NO-dm + NO-id + NO-health together: bases add up in file order, codes in stable order
    Row(name: "message with health data and a number", text: "Jeg har diagnosen diabetes, fnr \(TestNumbers.fnr).", kind: .message, visibility: .direct,
        journal: true, type: .I, retention: .B, rules: ["NO-message", "NO-id", "NO-health", "NO-dm"], restricted: true,
        basis: "offl. § 26 femte ledd; \(healthBasisNO); \(dmBasisNO)", screen: ["NA", "TRO"]),
    // NO-answer
    Row(name: "agency answer to a restricted item", text: "Vi har sendt deg et brev.", kind: .reply, agency: true, answering: journaledHealthNO,
        journal: true, type: .U, retention: .B, rules: ["NO-agency-answer", "NO-answer"], restricted: true, basis: healthBasisNO, screen: ["NM"]),
    Row(name: "agency message answering a restricted message", text: "Takk, vi ser på saken.", kind: .message, agency: true, visibility: .direct,
        answering: AnsweredItem(journal: true, access: Access(restricted: true, basis: dmBasisNO, screen: ["NA"])),
        journal: true, type: .U, retention: .B, rules: ["NO-agency-answer", "NO-answer"], restricted: true, basis: dmBasisNO, screen: ["NM"]),
    Row(name: "agency reply to a restricted, unjournaled comment", text: "God bedring!", kind: .reply, agency: true,
        answering: AnsweredItem(journal: false, access: Access(restricted: true, basis: healthBasisNO, screen: ["NA", "TRO"])),
        journal: false, type: .U, retention: .B, rules: ["NO-agency-reply", "NO-answer"], restricted: true, basis: healthBasisNO, screen: ["NM"]),
]

let swedishRows: [Row] = [
    // SE-agency-post
    Row(name: "agency post", profile: "se", text: "Vi har öppnat ett nytt kontor i Malmö.", kind: .post, agency: true,
        journal: false, type: .U, retention: .B, rules: ["SE-agency-post"]),
    Row(name: "agency share", profile: "se", text: "Läs rapporten.", kind: .share, agency: true,
        journal: false, type: .U, retention: .B, rules: ["SE-agency-post"]),
    // SE-agency-answer
    Row(name: "agency reply to a registered item", profile: "se", text: "Din ansökan har kommit in.", kind: .reply, agency: true, answering: journaledOpen,
        journal: true, type: .U, retention: .B, rules: ["SE-agency-answer"]),
    // SE-agency-reply
    Row(name: "agency reply to an unregistered item", profile: "se", text: "Tack för de fina orden!", kind: .comment, agency: true,
        answering: AnsweredItem(journal: false, access: .open),
        journal: false, type: .U, retention: .B, rules: ["SE-agency-reply"]),
    // SE-spam
    Row(name: "spam phrase", profile: "se", text: "Tjäna pengar hemifrån!", journal: false, type: .I, retention: .G, rules: ["SE-spam"]),
    Row(name: "a spammy question is spam", profile: "se", text: "Vill du tjäna pengar? Hur? Casino!",
        journal: false, type: .I, retention: .G, rules: ["SE-spam"]),
    // SE-secret (+ SE-health)
    Row(name: "health data", profile: "se", text: "Min son har cancer och behöver stöd.",
        journal: true, type: .I, retention: .B, rules: ["SE-secret", "SE-health"], restricted: true, basis: "OSL 21 kap. 1 §", screen: ["NA", "TRO"]),
    Row(name: "health data in a question is secret first", profile: "se", text: "Varför får personer med psykisk ohälsa vänta så länge?",
        journal: true, type: .I, retention: .B, rules: ["SE-secret", "SE-health"], restricted: true, basis: "OSL 21 kap. 1 §", screen: ["NA", "TRO"]),
    // SE-case
    Row(name: "question", profile: "se", text: "Hur ansöker jag om bygglov?", journal: true, type: .I, retention: .B, rules: ["SE-case"]),
    Row(name: "appeal", profile: "se", text: "Jag vill överklaga beslutet.", journal: true, type: .I, retention: .B, rules: ["SE-case"]),
    Row(name: "request for documents is a request", profile: "se", text: "Jag begär att få ta del av allmänna handlingar i ärendet.",
        journal: true, type: .I, retention: .B, rules: ["SE-case"]),
    // SE-comment
    Row(name: "plain comment", profile: "se", text: "Bra jobbat!", journal: false, type: .I, retention: .G, rules: ["SE-comment"]),
    Row(name: "direct message without a question", profile: "se", text: "Tack för igår.", kind: .message, visibility: .direct,
        journal: false, type: .I, retention: .G, rules: ["SE-comment"]),
    Row(name: "plain access request is only kept", profile: "se", text: "Utlämnande av handlingar, tack.",
        journal: false, type: .I, retention: .G, rules: ["SE-comment"]),
    // SE-answer
    Row(name: "agency answer to a secret item", profile: "se", text: "Vi har skickat ett brev till dig.", kind: .reply, agency: true, answering: journaledHealthSE,
        journal: true, type: .U, retention: .B, rules: ["SE-agency-answer", "SE-answer"], restricted: true, basis: "OSL 21 kap. 1 §", screen: ["NM"]),
    // SE-id: fires, but access stays open with no screen code
    Row(name: "personnummer in a question", profile: "se", text: "Mitt personnummer är \(TestNumbers.personnummer.prefix(6))-\(TestNumbers.personnummer.suffix(4)), när får jag svar?",
        journal: true, type: .I, retention: .B, rules: ["SE-case", "SE-id"]),
    Row(name: "samordningsnummer with health data", profile: "se", text: "Samordningsnummer \(TestNumbers.samordningsnummer), diagnos diabetes.",
        journal: true, type: .I, retention: .B, rules: ["SE-secret", "SE-health", "SE-id"], restricted: true, basis: "OSL 21 kap. 1 §", screen: ["NA", "TRO"]),
]

@Suite("DESIGN.md rule and screening tables")
struct RuleTableTests {
    @Test(arguments: norwegianRows + swedishRows)
    func row(_ row: Row) {
        let book = Books.named(row.profile)
        let item = makeItem(row.text, kind: row.kind, agency: row.agency, visibility: row.visibility, inReplyTo: row.answering == nil ? nil : "999")
        let d = book.decide(item, answering: row.answering)
        #expect(d.rules == row.rules)
        #expect(d.journal == row.journal)
        #expect(d.type == row.type)
        #expect(d.retention == row.retention)
        #expect(d.status == (row.journal ? JournalStatus.M : nil))
        #expect(d.access.restricted == row.restricted)
        #expect(d.access.basis == row.basis)
        #expect(d.access.screen == row.screen)
        #expect(d.profile == "\(row.profile)@2026.1")
        #expect(d.id == item.id && d.account == item.account)
    }

    /// Every rule and screening in the default files has at least one row above.
    @Test(arguments: ["no", "se"])
    func everyRuleHasARow(_ profile: String) {
        let book = Books.named(profile)
        let covered = Set((norwegianRows + swedishRows).filter { $0.profile == profile }.flatMap(\.rules))
        for id in book.ruleIDs + book.screeningIDs {
            #expect(covered.contains(id), "no test row for \(id)")
        }
    }

    @Test func defaultRuleOrderFollowsDesign() {
        #expect(Books.no.ruleIDs == ["NO-agency-post", "NO-agency-answer", "NO-agency-reply", "NO-spam", "NO-message", "NO-access", "NO-case", "NO-comment"])
        #expect(Books.no.screeningIDs == ["NO-id", "NO-health", "NO-dm", "NO-answer"])
        #expect(Books.se.ruleIDs == ["SE-agency-post", "SE-agency-answer", "SE-agency-reply", "SE-spam", "SE-secret", "SE-case", "SE-comment"])
        #expect(Books.se.screeningIDs == ["SE-health", "SE-answer", "SE-id"])
    }

    @Test func reasonHasOneSentencePerFiredRuleStartingWithItsID() {
        let d = Books.no.decide(makeItem("Jeg har kreft og lurer på hvorfor dere avslo søknaden?"), answering: nil)
        #expect(d.reason.hasPrefix("NO-case: A question or request from the public to the agency is a case document and must be journaled (arkivforskrifta § 9). NO-health: "))
        #expect(d.reason.hasSuffix("(offl. § 13 jf. fvl. § 13 første ledd nr. 1)."))
    }

    @Test func profileMetadata() {
        #expect(Books.no.profileLabel == "no@2026.1")
        #expect(Books.se.profileLabel == "se@2026.1")
        #expect(!Books.no.sources.isEmpty && !Books.se.name.isEmpty)
    }
}
