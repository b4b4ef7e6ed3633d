import DiariumCore

extension Messages {
    /// The journal's words, internal and public, in the terms a records officer uses:
    /// journalpost, saksnummer, avskjerma, journalføres; diarienummer, ärende, sekretess,
    /// diarieförs. English keeps the words the journal had before it spoke other
    /// languages, so an English agency's journal and CSV header are unchanged.
    static let journalTable: [MessageKey: [Language: String]] = [
        .journalHeading: [.nb: "Journal for {0}, {1}", .nn: "Journal for {0}, {1}", .sv: "Diarium för {0}, {1}", .en: "Journal of {0} for {1}"],
        .journalPublicHeading: [.nb: "Offentlig journal for {0}, {1}", .nn: "Offentleg journal for {0}, {1}", .sv: "Offentligt diarium för {0}, {1}",
                                .en: "Public journal of {0} for {1}"],
        .journalWord: [.nb: "Journal", .nn: "Journal", .sv: "Diarium", .en: "Journal"],
        .journalPublicWord: [.nb: "Offentlig journal", .nn: "Offentleg journal", .sv: "Offentligt diarium", .en: "Public journal"],
        .journalJournaled: [.nb: "Journalført ({0}):", .nn: "Journalført ({0}):", .sv: "Diarieförda ({0}):", .en: "Journaled ({0}):"],
        .journalNotJournaled: [.nb: "Arkivert, ikke journalført ({0}):", .nn: "Arkivert, ikkje journalført ({0}):", .sv: "Bevarade, inte diarieförda ({0}):",
                               .en: "Captured, not journaled ({0}):"],
        .journalNone: [.nb: "(ingen)", .nn: "(ingen)", .sv: "(inga)", .en: "(none)"],
        .journalStatus: [.nb: "status {0}", .nn: "status {0}", .sv: "status {0}", .en: "status {0}"],
        .journalCorrespondent: [.nb: "Avsender/mottaker", .nn: "Avsendar/mottakar", .sv: "Avsändare/mottagare", .en: "Correspondent"],
        .journalTitle: [.nb: "Tittel", .nn: "Tittel", .sv: "Rubrik", .en: "Title"],
        .journalRestricted: [.nb: "avskjermet", .nn: "skjerma", .sv: "sekretess", .en: "restricted"],
        .journalAccessLine: [.nb: "Skjerming: unntatt offentlighet ({0}){1}", .nn: "Skjerming: unnateke frå offentlegheit ({0}){1}",
                             .sv: "Sekretess ({0}){1}", .en: "Access: restricted ({0}){1}"],
        .journalScreened: [.nb: "; avskjermet: {0}", .nn: "; skjerma: {0}", .sv: "; utelämnat: {0}", .en: "; screened: {0}"],
        // What each skjermingskode (Noark 5 M502) hides, in words; the code follows in
        // brackets for the registrator who knows it.
        .screenNA: [.nb: "avsenderens navn", .nn: "namnet til avsendaren", .sv: "avsändarens namn", .en: "the sender's name"],
        .screenNM: [.nb: "mottakerens navn", .nn: "namnet til mottakaren", .sv: "mottagarens namn", .en: "the recipient's name"],
        .screenNPS: [.nb: "navn på part i saken", .nn: "namn på part i saka", .sv: "partens namn", .en: "the name of a party to the case"],
        .screenTRO: [.nb: "utvalgte ord i tittelen", .nn: "utvalde ord i tittelen", .sv: "vissa ord i rubriken", .en: "chosen words of the title"],
        .screenTR1: [.nb: "tittelen unntatt første linje", .nn: "tittelen unnateke første linja", .sv: "rubriken utom första raden",
                     .en: "the title but its first line"],
        .screenTMO: [.nb: "utvalgte ord i sakstittelen", .nn: "utvalde ord i sakstittelen", .sv: "vissa ord i ärendemeningen",
                     .en: "chosen words of the case title"],
        .screenTM1: [.nb: "sakstittelen unntatt første linje", .nn: "sakstittelen unnateke første linja", .sv: "ärendemeningen utom första raden",
                     .en: "the case title but its first line"],
        .screenTKL: [.nb: "klassetittelen", .nn: "klassetittelen", .sv: "klassens rubrik", .en: "the class title"],
        .screenKID: [.nb: "klasse-ID", .nn: "klasse-ID", .sv: "klassens id", .en: "the class ID"],
        .screenTD: [.nb: "dokumenttittelen", .nn: "dokumenttittelen", .sv: "handlingens rubrik", .en: "the document title"],
        .screenMT: [.nb: "merknadsteksten", .nn: "merknadsteksten", .sv: "anteckningen", .en: "the remark"],
        .screenM: [.nb: "midlertidig skjerming", .nn: "mellombels skjerming", .sv: "tillfälligt utelämnat", .en: "temporarily screened"],
        .journalBasisToAssess: [.nb: "hjemmel skal vurderes", .nn: "heimel skal vurderast", .sv: "stöd ska prövas", .en: "basis to be assessed"],
        .journalCase: [.nb: "Saksnummer", .nn: "Saksnummer", .sv: "Ärende", .en: "Case"],
        .journalItem: [.nb: "Element", .nn: "Element", .sv: "Post", .en: "Item"],
        .journalVersions: [.nb: "Versjoner", .nn: "Versjonar", .sv: "Versioner", .en: "Versions"],
        .journalDeleted: [.nb: "SLETTET på plattformen", .nn: "SLETTA på plattforma", .sv: "RADERAD på plattformen", .en: "DELETED on platform"],
        .journalWhy: [.nb: "Begrunnelse", .nn: "Grunngiving", .sv: "Motivering", .en: "Why"],
        .journalBy: [.nb: "{0} fra {1}", .nn: "{0} frå {1}", .sv: "{0} från {1}", .en: "{0} by {1}"],
        .journalColumnNumber: [.nb: "Nr.", .nn: "Nr.", .sv: "Nr", .en: "No."],
        .journalColumnType: [.nb: "Type", .nn: "Type", .sv: "Typ", .en: "Type"],
        .journalColumnStatus: [.nb: "Status", .nn: "Status", .sv: "Status", .en: "Status"],
        .journalColumnDate: [.nb: "Dato", .nn: "Dato", .sv: "Datum", .en: "Date"],
        .journalColumnAccess: [.nb: "Skjerming", .nn: "Skjerming", .sv: "Sekretess", .en: "Access"],
        .journalThePublic: [.nb: "Allmennheten", .nn: "Ålmenta", .sv: "Allmänheten", .en: "The public"],
        .journalUnreadable: [.nb: "(kunne ikke leses)", .nn: "(kunne ikkje lesast)", .sv: "(kunde inte läsas)", .en: "(could not be read)"],
        .journalDecisionUnreadable: [
            .nb: "Den lagrede avgjørelsen kunne ikke leses (se `diarium show`); avskjermet til arkivaren avgjør.",
            .nn: "Den lagra avgjerda kunne ikkje lesast (sjå `diarium show`); skjerma til arkivaren avgjer.",
            .sv: "Det sparade beslutet kunde inte läsas (se `diarium show`); sekretessmarkerat tills registratorn beslutar.",
            .en: "The stored decision could not be read (see `diarium show`); screened until an officer decides.",
        ],
        .journalNotDecided: [.nb: "Ikke avgjort.", .nn: "Ikkje avgjort.", .sv: "Inte beslutat.", .en: "Not decided."],
        .journalVia: [.nb: "{0} via {1}", .nn: "{0} via {1}", .sv: "{0} via {1}", .en: "{0} via {1}"],
        .journalViaScreened: [.nb: "{0} via {1} (avskjermet)", .nn: "{0} via {1} (skjerma)", .sv: "{0} via {1} (sekretess)", .en: "{0} via {1} (screened)"],
        .kindPost: [.nb: "Innlegg", .nn: "Innlegg", .sv: "Inlägg", .en: "Post"],
        .kindReply: [.nb: "Svar", .nn: "Svar", .sv: "Svar", .en: "Reply"],
        .kindComment: [.nb: "Kommentar", .nn: "Kommentar", .sv: "Kommentar", .en: "Comment"],
        .kindMessage: [.nb: "Melding", .nn: "Melding", .sv: "Meddelande", .en: "Message"],
        .kindShare: [.nb: "Deling", .nn: "Deling", .sv: "Delning", .en: "Share"],
        // CSV column names: lower-case words, English as the header always was.
        .csvJournalNumber: [.nb: "journalpostnummer", .nn: "journalpostnummer", .sv: "diarienummer", .en: "journalNumber"],
        .csvStatus: [.nb: "status", .nn: "status", .sv: "status", .en: "status"],
        .csvType: [.nb: "type", .nn: "type", .sv: "typ", .en: "type"],
        .csvDate: [.nb: "dato", .nn: "dato", .sv: "datum", .en: "date"],
        .csvAccount: [.nb: "konto", .nn: "konto", .sv: "konto", .en: "account"],
        .csvPlatform: [.nb: "plattform", .nn: "plattform", .sv: "plattform", .en: "platform"],
        .csvID: [.nb: "id", .nn: "id", .sv: "id", .en: "id"],
        .csvKind: [.nb: "art", .nn: "art", .sv: "slag", .en: "kind"],
        .csvCorrespondent: [.nb: "avsender/mottaker", .nn: "avsendar/mottakar", .sv: "avsändare/mottagare", .en: "correspondent"],
        .csvTitle: [.nb: "tittel", .nn: "tittel", .sv: "rubrik", .en: "title"],
        .csvRestricted: [.nb: "unntatt offentlighet", .nn: "unnateke frå offentlegheit", .sv: "sekretess", .en: "restricted"],
        .csvBasis: [.nb: "hjemmel", .nn: "heimel", .sv: "stöd", .en: "basis"],
        .csvScreen: [.nb: "skjermingskoder", .nn: "skjermingskodar", .sv: "utelämnat", .en: "screen"],
        .csvRetention: [.nb: "bevaring", .nn: "bevaring", .sv: "gallring", .en: "retention"],
        .csvRules: [.nb: "regler", .nn: "reglar", .sv: "regler", .en: "rules"],
        .csvReason: [.nb: "begrunnelse", .nn: "grunngiving", .sv: "motivering", .en: "reason"],
        .yes: [.nb: "ja", .nn: "ja", .sv: "ja", .en: "yes"],
        .no: [.nb: "nei", .nn: "nei", .sv: "nej", .en: "no"],
    ]

    /// An item's access for a person, one wording for the web page and `review list`:
    /// "offentlig", or "unntatt offentlighet (offl. § 13); avskjermet: avsenderens navn (NA)".
    public static func access(_ access: Access, _ language: Language) -> String {
        guard access.restricted else { return text(.webOpen, language) }
        return text(.webRestrictedBasis, language, access.basis ?? text(.journalBasisToAssess, language)) + screened(access, language)
    }

    /// What a restriction screens, for a person: "; avskjermet: avsenderens navn (NA),
    /// utvalgte ord i tittelen (TRO)", or nothing when it names no part. One wording for
    /// the journal, the web page and `show`; the CSV keeps the bare codes for machines.
    public static func screened(_ access: Access, _ language: Language) -> String {
        guard !access.screen.isEmpty else { return "" }
        let parts = access.screen.map { code in
            MessageKey(rawValue: "screen" + code).map { "\(text($0, language)) (\(code))" } ?? code
        }
        return text(.journalScreened, language, parts.joined(separator: ", "))
    }
}
