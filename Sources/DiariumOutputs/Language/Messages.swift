import DiariumCore

/// The program's words, by key, in each ``Language``. A key missing in a language falls
/// back to English, so a new text can be added in English first and translated later
/// without any output ever showing a bare key.
///
/// Placeholders are `{0}`, `{1}`, … in the order of the arguments:
///
/// ```swift
/// Messages.text(.page, .nb, "2", "5")   // "Side 2 av 5"
/// ```
public enum MessageKey: String, Sendable, CaseIterable, Hashable {
    // The access-request answer (innsyn).
    case accessTitle, accessAgency, accessDate, accessReference, accessIntro, accessItemsCount
    case accessItem, accessAccount, accessAuthor, accessTime, accessCase, accessJournalNumber, accessThreadRoot, accessInReplyTo
    case accessVersion, accessEdited, accessDeleted, accessAttachments, accessNoText
    case accessWithheldName, accessWithheldText, accessWithheldItem, accessMaskedNumber, accessWithheldAttachments
    case accessScreened, accessWithheldHeading, accessBasis, accessNothingWithheld, accessAppeal, accessHead, accessPage
    case accessReleased, accessPartly, accessWithheld
    // The access-request answer's CSV header.
    case accessColumnRequest, accessColumnDocument, accessColumnOutcome, accessColumnAccount, accessColumnPlatform, accessColumnID
    case accessColumnJournalNumber, accessColumnCase, accessColumnAuthor, accessColumnTime, accessColumnThreadRoot, accessColumnInReplyTo
    case accessColumnVersion, accessColumnEdited, accessColumnText, accessColumnAttachments, accessColumnDeleted, accessColumnWithheld
    case accessColumnBasis
    // The journal (text, HTML, CSV headers; JSON keys are a contract and stay).
    case journalHeading, journalPublicHeading, journalWord, journalPublicWord, journalJournaled, journalNotJournaled, journalNone
    case journalStatus, journalCorrespondent, journalTitle, journalRestricted, journalAccessLine, journalBasisToAssess
    case journalCase, journalItem, journalVersions, journalDeleted, journalWhy, journalBy
    case journalColumnNumber, journalColumnType, journalColumnStatus, journalColumnDate, journalColumnAccess
    case journalThePublic, journalUnreadable, journalDecisionUnreadable, journalNotDecided, journalVia, journalViaScreened
    case kindPost, kindReply, kindComment, kindMessage, kindShare
    case journalScreened, screenNA, screenNM, screenNPS, screenTRO, screenTR1, screenTMO, screenTM1, screenTKL, screenKID, screenTD
    case screenMT, screenM
    case csvJournalNumber, csvStatus, csvType, csvDate, csvAccount, csvPlatform, csvID, csvKind, csvCorrespondent, csvTitle
    case csvRestricted, csvBasis, csvScreen, csvRetention, csvRules, csvReason, yes, no
    // The web page.
    case webNavQueue, webNavAccess, webNavDisposal, webLogOut, webBack, webNotAllowed, webRoleMayRead, webFormExpired
    case webFormExpiredText, webQueueCountOne, webQueueCountMany, webForDay, webAllDays, webColumnAction, webApprove, webOverride
    case webAsProposed, webJournalLabel, webRestrictedLabel, webBasisLabel, webBasisPlaceholder, webReasonLabel, webReasonPlaceholder, webAnswers
    case webAgencyReply, webNoAgencyReply, webAnswerNotArchived, webPublicJournalLink, webProposalsLink, webJournaledHeading, webNotJournaledHeading, webDay
    case webShow, webDeletedOnPlatform, webOpen, webRestrictedBasis, webKind, webFromAgency, webFromPublic
    case webCreated, webAddress, webJournalStatus, webJournalDate, webNotJournaled, webCaseFile, webDeleted, webFoundGone
    case webDamaged, webDecision, webRetention, webReviewDue, webEnds, webRules, webProfile, webOfficerActions
    case webVersions, webVersion, webCaptured, webEdited, webDecided, webDownloadCapture, webThread, webFrom
    case webText, webChangeLog, webNothingYet, webWhen, webWho, webDetails, webItemTitle, webNoItem
    case webAddressNamesNoItem, webFormNamesNoItem, webNotFound, webNoSuchItem, webNoSuchCapture, webNotApproved, webReasonNeeded, webReasonNeededText
    case webNothingToChange, webNothingToChangeText, webNotOverridden, webLoginTitle, webUserName, webPassword, webLogIn, webUsersAdded
    case webLoginFailed, webTooManyAttempts, webLoginExpired
    // The web page: access requests and disposal.
    case webAccessTitle, webSearch, webFromDay, webToDay, webOrCase, webFind, webRelease
    case webRequestReference, webFormat, webAnswerRequest, webAccessExplained, webReferenceNeeded, webReferenceNeededText, webNoItemChosen
    case webNoItemChosenText, webNotAnswered, webAccessRequests, webReference, webAnswered, webOutcome, webWithheld
    case webAnswerForCase, webDisposalPlan, webPlanMade, webPlanExecuted, webDueForDisposal, webHeldItems, webExecuteReason
    case webExecutePlan, webNoPlan, webMakePlan, webAwaitingReview, webColumnItem, webColumnRule, webColumnHolds
    case webLegalHolds, webNoHolds, webColumnName, webColumnCovers, webColumnPlaced, webColumnReleased, webBy
    case webStanding, webNoPlanMade, webNoPlanNamed, webFormNamesNoPlan, webExecuteReasonNeeded, webNotExecuted, webDisposedTitle
    case webDisposedIntro, webDisposed, webUnderPlan, webAtOnce, webRuleRetention, webRuleBasis, webContentHashes
    case webEndsColumn
    // The web page: legal holds placed and released.
    case webCoversItems, webCoversThread, webCoversAccount, webCoversQuery, webCoversFrom, webCoversTo, webPlaceHold, webHoldThread
    case webHoldItem, webHoldAccount, webHoldsOnItem, webNoHoldOnItem, webReleaseHold, webReleaseReason, webHoldNotPlaced
    case webHoldNotReleased, webHoldReasonNeeded, webHoldNameNeeded
    // The disposal plan's text and the disposal report.
    case disposalPlanHeading, disposalPlanExecuted, disposalCreated, disposalReviewDue, disposalEnded, disposalHeldBy, disposalDecideReview
    case disposalNextSteps, disposalReportTitle, disposalReportAsOf, disposalReportExecuted, disposalReportWhy, disposalReportNotYet
    case disposalReportDisposedOne, disposalReportDisposedMany, disposalReportHeld, disposalReportNotDisposed, disposalReportEvidence
    case disposalReportCapturedWith, disposalReportReview, disposalReportApproved, disposalReportSignature
    case disposalColumnSection, disposalColumnAccount, disposalColumnRule, disposalColumnItem, disposalColumnCount, disposalColumnDetail
    case disposalSectionPlan, disposalSectionDisposed, disposalSectionHeld, disposalSectionNotDisposed, disposalSectionEvidence
    case disposalPlanDetail
    // `diarium status`.
    case statusAccount, statusPlatform, statusState, statusLastSuccess, statusNextPoll, statusFailingFor, statusNotConfigured
    case statusAttention, statusFailing, statusDegraded, statusNotYetPolled, statusOK, statusNever, statusAtStart
    case statusLastErrors, statusDegradedHeading, statusAt, statusNoReason, statusAllHealthy, statusNoneFailing, statusNeedsAttention
}

public enum Messages {
    /// The text of `key` in `language` (English when that language has none), with the
    /// placeholders filled in.
    public static func text(_ key: MessageKey, _ language: Language, _ arguments: String...) -> String {
        text(key, language, arguments: arguments)
    }

    /// As ``text(_:_:_:)``, with the arguments in an array (for callers that pass theirs on).
    public static func text(_ key: MessageKey, _ language: Language, arguments: [String]) -> String {
        var text = table[key]?[language] ?? table[key]?[.en] ?? key.rawValue
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    /// Every key's text per language, gathered from one table per area (the access-request
    /// answer here, the journal in Messages+Journal.swift, the web page in
    /// Messages+Web.swift). English is complete; a gap in another language falls back to
    /// English and is named by the catalogue test.
    static let table: [MessageKey: [Language: String]] = accessTable
        .merging(journalTable) { first, _ in first }
        .merging(webTable) { first, _ in first }
        .merging(statusTable) { first, _ in first }
        .merging(disposalTable) { first, _ in first }

    /// The access-request answer (innsyn).
    static let accessTable: [MessageKey: [Language: String]] = [
        .accessTitle: [.nb: "Svar på innsynskrav", .nn: "Svar på innsynskrav", .sv: "Svar på begäran om allmän handling",
                       .en: "Answer to an access request"],
        .accessAgency: [.nb: "Fra", .nn: "Frå", .sv: "Från", .en: "From"],
        .accessDate: [.nb: "Dato", .nn: "Dato", .sv: "Datum", .en: "Date"],
        .accessReference: [.nb: "Deres referanse", .nn: "Dykkar referanse", .sv: "Er referens", .en: "Your reference"],
        .accessIntro: [
            .nb: "Vi viser til innsynskravet deres. Nedenfor følger dokumentene dere ba om, slik de ble publisert eller mottatt. Opplysninger som er unntatt offentlighet, er avskjermet, med hjemmelen oppgitt.",
            .nn: "Vi viser til innsynskravet dykkar. Nedanfor følgjer dokumenta de bad om, slik dei vart publiserte eller mottekne. Opplysningar som er unnatekne frå offentlegheit, er skjerma, med heimelen oppgitt.",
            .sv: "Vi hänvisar till er begäran om att ta del av allmänna handlingar. Nedan följer handlingarna så som de publicerades eller kom in. Uppgifter som omfattas av sekretess är maskerade, med stöd angivet.",
            .en: "We refer to your access request. The documents you asked for follow below, as they were published or received. Information exempt from public access is withheld, with its legal basis stated.",
        ],
        .accessItemsCount: [.nb: "Antall dokumenter: {0}", .nn: "Tal på dokument: {0}", .sv: "Antal handlingar: {0}", .en: "Documents: {0}"],
        .accessItem: [.nb: "Dokument {0}", .nn: "Dokument {0}", .sv: "Handling {0}", .en: "Document {0}"],
        .accessAccount: [.nb: "Konto", .nn: "Konto", .sv: "Konto", .en: "Account"],
        .accessAuthor: [.nb: "Avsender", .nn: "Avsendar", .sv: "Avsändare", .en: "Author"],
        .accessTime: [.nb: "Tidspunkt", .nn: "Tidspunkt", .sv: "Tidpunkt", .en: "Time"],
        .accessCase: [.nb: "Sak", .nn: "Sak", .sv: "Ärende", .en: "Case"],
        .accessJournalNumber: [.nb: "Journalpost", .nn: "Journalpost", .sv: "Diarienummer", .en: "Journal number"],
        .accessThreadRoot: [.nb: "Tråd startet av", .nn: "Tråd starta av", .sv: "Tråd startad av", .en: "Thread started by"],
        .accessInReplyTo: [.nb: "Svar på", .nn: "Svar på", .sv: "Svar på", .en: "In reply to"],
        .accessVersion: [.nb: "Versjon {0} av {1}", .nn: "Versjon {0} av {1}", .sv: "Version {0} av {1}", .en: "Version {0} of {1}"],
        .accessEdited: [.nb: "redigert {0}", .nn: "redigert {0}", .sv: "redigerad {0}", .en: "edited {0}"],
        .accessDeleted: [.nb: "Slettet på plattformen {0}; arkivkopien er bevart.", .nn: "Sletta på plattforma {0}; arkivkopien er teken vare på.",
                         .sv: "Raderad på plattformen {0}; arkivexemplaret är bevarat.", .en: "Deleted on the platform {0}; the archived copy is kept."],
        .accessAttachments: [.nb: "Vedlegg", .nn: "Vedlegg", .sv: "Bilagor", .en: "Attachments"],
        .accessNoText: [.nb: "(ingen tekst)", .nn: "(ingen tekst)", .sv: "(ingen text)", .en: "(no text)"],
        .accessWithheldName: [.nb: "Avsenderens navn er avskjermet", .nn: "Namnet til avsendaren er skjerma", .sv: "Avsändarens namn omfattas av sekretess",
                              .en: "The author's name is withheld"],
        .accessWithheldText: [.nb: "Teksten er unntatt offentlighet", .nn: "Teksten er unnateken frå offentlegheit", .sv: "Texten omfattas av sekretess",
                              .en: "The text is withheld"],
        .accessWithheldItem: [.nb: "Dokumentet er unntatt offentlighet", .nn: "Dokumentet er unnateke frå offentlegheit", .sv: "Handlingen omfattas av sekretess",
                              .en: "The document is withheld"],
        .accessMaskedNumber: [.nb: "Fødselsnummer er avskjermet", .nn: "Fødselsnummer er skjerma", .sv: "Personnummer är maskerade",
                              .en: "National identity numbers are masked"],
        .accessWithheldAttachments: [.nb: "Vedlegg er avskjermet", .nn: "Vedlegg er skjerma", .sv: "Bilagor omfattas av sekretess",
                                     .en: "Attachments are withheld"],
        .accessScreened: [.nb: "[avskjermet]", .nn: "[skjerma]", .sv: "[sekretess]", .en: "[withheld]"],
        .accessWithheldHeading: [.nb: "Avskjermet", .nn: "Skjerma", .sv: "Sekretess", .en: "Withheld"],
        .accessBasis: [.nb: "hjemmel: {0}", .nn: "heimel: {0}", .sv: "stöd: {0}", .en: "legal basis: {0}"],
        .accessNothingWithheld: [.nb: "Ingen opplysninger er avskjermet.", .nn: "Ingen opplysningar er skjerma.", .sv: "Inga uppgifter omfattas av sekretess.",
                                 .en: "Nothing is withheld."],
        .accessAppeal: [
            .nb: "Dere kan klage på at opplysninger er unntatt offentlighet. Klagen sendes til oss innen tre uker, jf. offentleglova § 32.",
            .nn: "De kan klage på at opplysningar er unnatekne frå offentlegheit. Klaga blir send til oss innan tre veker, jf. offentleglova § 32.",
            .sv: "Beslutet att inte lämna ut uppgifter kan överklagas till kammarrätten. Överklagandet ska ha kommit in till oss inom tre veckor.",
            .en: "You may appeal the withholding of information within three weeks; send the appeal to us.",
        ],
        .accessHead: [.nb: "Laget fra arkivet ved endringslogg {0}.", .nn: "Laga frå arkivet ved endringslogg {0}.", .sv: "Framställd ur arkivet vid ändringslogg {0}.",
                      .en: "Made from the registry at change-log head {0}."],
        .accessPage: [.nb: "Side {0} av {1}", .nn: "Side {0} av {1}", .sv: "Sida {0} av {1}", .en: "Page {0} of {1}"],
        .accessReleased: [.nb: "utlevert", .nn: "utlevert", .sv: "utlämnad", .en: "released"],
        .accessPartly: [.nb: "delvis utlevert", .nn: "delvis utlevert", .sv: "delvis utlämnad", .en: "released in part"],
        .accessWithheld: [.nb: "unntatt offentlighet", .nn: "unnateke frå offentlegheit", .sv: "sekretess", .en: "withheld"],
        .accessColumnRequest: [.nb: "innsynskrav", .nn: "innsynskrav", .sv: "begäran", .en: "request"],
        .accessColumnDocument: [.nb: "dokument", .nn: "dokument", .sv: "handling", .en: "document"],
        .accessColumnOutcome: [.nb: "utfall", .nn: "utfall", .sv: "utfall", .en: "outcome"],
        .accessColumnAccount: [.nb: "konto", .nn: "konto", .sv: "konto", .en: "account"],
        .accessColumnPlatform: [.nb: "plattform", .nn: "plattform", .sv: "plattform", .en: "platform"],
        .accessColumnID: [.nb: "id", .nn: "id", .sv: "id", .en: "id"],
        .accessColumnJournalNumber: [.nb: "journalnummer", .nn: "journalnummer", .sv: "diarienummer", .en: "journalNumber"],
        .accessColumnCase: [.nb: "saksnummer", .nn: "saksnummer", .sv: "ärende", .en: "case"],
        .accessColumnAuthor: [.nb: "forfatter", .nn: "forfattar", .sv: "författare", .en: "author"],
        .accessColumnTime: [.nb: "tidspunkt", .nn: "tidspunkt", .sv: "tidpunkt", .en: "time"],
        .accessColumnThreadRoot: [.nb: "trådstart", .nn: "trådstart", .sv: "trådstart", .en: "threadRoot"],
        .accessColumnInReplyTo: [.nb: "svar på", .nn: "svar på", .sv: "svar på", .en: "inReplyTo"],
        .accessColumnVersion: [.nb: "versjon", .nn: "versjon", .sv: "version", .en: "version"],
        .accessColumnEdited: [.nb: "endret", .nn: "endra", .sv: "ändrad", .en: "edited"],
        .accessColumnText: [.nb: "tekst", .nn: "tekst", .sv: "text", .en: "text"],
        .accessColumnAttachments: [.nb: "vedlegg", .nn: "vedlegg", .sv: "bilagor", .en: "attachments"],
        .accessColumnDeleted: [.nb: "slettet på plattformen", .nn: "sletta på plattforma", .sv: "borttagen på plattformen", .en: "deletedOnPlatform"],
        .accessColumnWithheld: [.nb: "unntatt", .nn: "unnateke", .sv: "utelämnat", .en: "withheld"],
        .accessColumnBasis: [.nb: "hjemmel", .nn: "heimel", .sv: "lagrum", .en: "basis"],
    ]
}
