import DiariumCore
@testable import DiariumOutputs
import DiariumStore
import Foundation
import Testing

/// Issue 16 item 1: the journal in the agency's language, and a catalogue with no gap.
@Suite("Language")
struct LanguageTests {
    /// Keys deliberately left without a text in some language (they fall back to
    /// English). Reviewed: none so far — every key is written in every language, even
    /// where the words are the same ("Status", "id").
    static let allowedGaps: [MessageKey: Set<Language>] = [:]

    @Test("every message has a text in every language, with the same placeholders as the English")
    func catalogueHasNoGap() {
        var gaps: [String] = []
        for key in MessageKey.allCases {
            let english = Messages.table[key]?[.en]
            #expect(english.map { !$0.isEmpty } == true, "\(key) has no English text")
            for language in Language.allCases where !(Self.allowedGaps[key]?.contains(language) ?? false) {
                guard let text = Messages.table[key]?[language], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    gaps.append("\(key).\(language)")
                    continue
                }
                #expect(Self.placeholders(text) == Self.placeholders(english ?? ""), "\(key).\(language): \(text)")
            }
        }
        #expect(gaps.isEmpty, "no translation: \(gaps.joined(separator: ", "))")
    }

    static func placeholders(_ text: String) -> Set<String> {
        Set((0..<10).map { "{\($0)}" }.filter(text.contains))
    }

    /// An incoming question created 08:12 UTC, 09:12 in Oslo, journaled; and a
    /// restricted one from a person whose name the public journal leaves out.
    @Test("times follow the agency's zone through summer time and across midnight")
    func zoneArithmetic() throws {
        let summer = try #require(Timestamp.parse("2026-07-01T08:12:00Z"))
        let night = try #require(Timestamp.parse("2026-11-20T23:30:00Z"))
        #expect(Language.nb.dateTime(summer, in: Self.oslo) == "01.07.2026 10:12")
        #expect(Language.sv.dateTime(night, in: TimeZone(identifier: "Europe/Stockholm")!) == "2026-11-21 00:30")
        #expect(Language.nn.date(night, in: TimeZone(identifier: "UTC")!) == "20.11.2026")
        #expect(Language.en.dateTime(night, in: TimeZone(identifier: "America/New_York")!) == "2026-11-20 18:30")
    }

    @Test("the public title masks a national identity number that crosses the 120-character cut; no digit of it shows")
    func numberAcrossTheCut() throws {
        // 113 characters, then the fødselsnummer at 113–123: the cut (119 + "…") falls inside it.
        let text = String(repeating: "Hei etaten ", count: 10) + "nr 15038710041 og mer tekst etter"
        let item = Item(platform: .mastodon, account: "etaten", id: "n1", kind: .comment, author: Author(id: "9", name: "Kari", agency: false),
                        createdAt: Timestamp.parse("2026-11-20T08:12:00Z"), text: text)
        let decision = Decision(id: "n1", account: "etaten", journal: true, type: .I, status: .M, access: .open, retention: .B,
                                rules: ["NO-id"], reason: "r", profile: "no@test")
        let record = ItemRecord(item: item, decision: decision, versions: 1, journalNumber: "2026/000009", status: .M,
                                journalDate: nil, caseNumber: "2026/000009", answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: nil)
        let title = JournalEntryView(record: record, isPublic: true).title
        #expect(!title.contains("1503") && title.contains("nr ******"), "\(title)")
        #expect(JournalEntryView(record: record, isPublic: false).title.hasSuffix("nr 150387…"), "the internal journal keeps the text")
    }

    static var records: [ItemRecord] {
        func record(_ id: String, text: String, access: Access, journalNumber: String?) -> ItemRecord {
            let item = Item(platform: .mastodon, account: "etaten", id: id, kind: .comment,
                            author: Author(id: "9", name: "Kari Nordmann", agency: false),
                            createdAt: Timestamp.parse("2026-11-20T08:12:00Z"), text: text)
            let decision = Decision(id: id, account: "etaten", journal: journalNumber != nil, type: .I, status: journalNumber == nil ? nil : .M,
                                    access: access, retention: .B, rules: ["NO-case"], reason: "NO-case: grunn.", profile: "no@test")
            return ItemRecord(item: item, decision: decision, versions: 1, journalNumber: journalNumber, status: decision.status,
                              journalDate: nil, caseNumber: journalNumber, answeredAuthor: nil, day: "2026-11-20", firstCapturedAt: nil)
        }
        return [
            record("1", text: "Hvordan søker jeg om bostøtte?", access: .open, journalNumber: "2026/000001"),
            record("2", text: "Jeg har diabetes og spør om støtte.", access: Access(restricted: true, basis: "offl. § 13", screen: ["NA", "TRO"]),
                   journalNumber: "2026/000002"),
            record("3", text: "Fin dag!", access: .open, journalNumber: nil),
        ]
    }

    static let oslo = TimeZone(identifier: "Europe/Oslo")!

    func render(_ language: Language, isPublic: Bool, _ format: OutputFormat) throws -> String {
        try JournalRenderer(agencyName: "Etaten", day: "2026-11-20", isPublic: isPublic, language: language, timeZone: Self.oslo)
            .render(Self.records, as: format)
    }

    @Test("the internal journal's text in each language, times in the agency's zone in the language's form")
    func text() throws {
        let nb = try render(.nb, isPublic: false, .text)
        #expect(nb.hasPrefix("Journal for Etaten, 20.11.2026\n"), "\(nb)")
        for words in ["Journalført (2):", "20.11.2026 09:12", "Avsender/mottaker: Kari Nordmann", "Tittel: Hvordan søker jeg om bostøtte?",
                      "Skjerming: unntatt offentlighet (offl. § 13); avskjermet: avsenderens navn (NA), utvalgte ord i tittelen (TRO)", "Saksnummer: 2026/000001", "Begrunnelse: NO-case: grunn.",
                      "Arkivert, ikke journalført (1):", "kommentar fra Kari Nordmann"] {
            #expect(nb.contains(words), "nb lacks \(words): \(nb)")
        }
        let nn = try render(.nn, isPublic: false, .text)
        #expect(nn.contains("Arkivert, ikkje journalført (1):") && nn.contains("Grunngiving:") && nn.contains("Avsendar/mottakar:"), "\(nn)")
        let sv = try render(.sv, isPublic: false, .text)
        #expect(sv.hasPrefix("Diarium för Etaten, 2026-11-20\n"), "\(sv)")
        for words in ["Diarieförda (2):", "2026-11-20 09:12", "Avsändare/mottagare:", "Rubrik:", "Ärende: 2026/000001", "Motivering:",
                      "Bevarade, inte diarieförda (1):", "Sekretess (offl. § 13); utelämnat: avsändarens namn (NA), vissa ord i rubriken (TRO)"] {
            #expect(sv.contains(words), "sv lacks \(words): \(sv)")
        }
        // A restriction that names no part ends at its basis, with no empty list after it.
        #expect(Messages.screened(Access(restricted: true, basis: "offl. § 13"), .nb) == "")
        #expect(Messages.screened(Access(restricted: true, screen: ["NA", "XYZ"]), .en) == "; screened: the sender's name (NA), XYZ")
        let en = try render(.en, isPublic: false, .text)
        #expect(en.hasPrefix("Journal of Etaten for 2026-11-20\n") && en.contains("Captured, not journaled (1):") && en.contains("2026-11-20 09:12"), "\(en)")
    }

    @Test("the public journal screens in the language's words")
    func publicText() throws {
        let nb = try render(.nb, isPublic: true, .text)
        #expect(nb.hasPrefix("Offentlig journal for Etaten, 20.11.2026"), "\(nb)")
        #expect(nb.contains("Kommentar via mastodon (avskjermet)") && nb.contains(JournalEntryView.screened) && !nb.contains("diabetes"), "\(nb)")
        #expect(!nb.contains("Begrunnelse"), "the public journal gives no reasons")
        let sv = try render(.sv, isPublic: true, .text)
        #expect(sv.hasPrefix("Offentligt diarium för Etaten, 2026-11-20") && sv.contains("Kommentar via mastodon (sekretess)"), "\(sv)")
    }

    @Test("HTML says its language and writes its headers in it", arguments: Language.allCases)
    func html(language: Language) throws {
        let html = try render(language, isPublic: false, .html)
        #expect(html.contains("<html lang=\"\(language.tag)\">"))
        for key in [MessageKey.journalColumnNumber, .journalColumnDate, .journalCorrespondent, .journalTitle, .journalColumnAccess, .journalWhy] {
            #expect(html.contains("<th>\(Escape.html(Messages.text(key, language)))</th>"), "\(language) \(key)")
        }
        #expect(html.contains(language == .nb || language == .nn ? "20.11.2026 09:12" : "2026-11-20 09:12"))
    }

    @Test("CSV headers and yes/no are in the language; JSON keys stay the contract's")
    func csvAndJSON() throws {
        let header = { (language: Language) in try render(language, isPublic: false, .csv).components(separatedBy: "\r\n")[0] }
        #expect(try header(.en) == "journalNumber,status,type,date,account,platform,id,kind,correspondent,title,restricted,basis,screen,retention,rules,reason")
        #expect(try header(.nb) == "journalpostnummer,status,type,dato,konto,plattform,id,art,avsender/mottaker,tittel,unntatt offentlighet,hjemmel,skjermingskoder,bevaring,regler,begrunnelse")
        #expect(try header(.sv).hasPrefix("diarienummer,status,typ,datum,konto,plattform,id,slag,avsändare/mottagare,rubrik,sekretess,stöd"))
        #expect(try render(.sv, isPublic: false, .csv).contains(",nej,"))
        let keys = { (language: Language) in
            try render(language, isPublic: false, .json).split(separator: "\n").map {
                Set((try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]).keys)
            }
        }
        #expect(try keys(.nb) == keys(.en) && keys(.sv) == keys(.en))
    }
}
