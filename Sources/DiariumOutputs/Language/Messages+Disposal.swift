import DiariumCore

extension Messages {
    /// The disposal plan as `dispose plan` prints it and the report the archive leader
    /// signs, in the terms of each country's practice: kassasjonsliste and kassert in
    /// Norway, gallringsplan and gallrat in Sweden. The plan's headings are the web
    /// page's (Due for disposal, Held, Awaiting a retention review), so the page and the
    /// command line say the same.
    static let disposalTable: [MessageKey: [Language: String]] = [
        .disposalPlanHeading: [.nb: "Kassasjonsliste {0} per {1} (laget {2} av {3})", .nn: "Kassasjonsliste {0} per {1} (laga {2} av {3})",
                               .sv: "Gallringsplan {0} per {1} (upprättad {2} av {3})", .en: "Disposal plan {0} as of {1} (made {2} by {3})"],
        .disposalPlanExecuted: [.nb: "Utført {0} av {1}: {2}", .nn: "Utført {0} av {1}: {2}", .sv: "Verkställd {0} av {1}: {2}",
                                .en: "Executed {0} by {1}: {2}"],
        .disposalCreated: [.nb: "opprettet {0}", .nn: "oppretta {0}", .sv: "skapad {0}", .en: "created {0}"],
        .disposalReviewDue: [.nb: "vurderes {0}", .nn: "vurderast {0}", .sv: "prövas {0}", .en: "review due {0}"],
        .disposalEnded: [.nb: "utløp {0}", .nn: "gjekk ut {0}", .sv: "löpte ut {0}", .en: "ended {0}"],
        .disposalHeldBy: [.nb: "holdt tilbake av {0}", .nn: "halde tilbake av {0}", .sv: "kvarhållen av {0}", .en: "held by {0}"],
        .disposalDecideReview: [.nb: "Avgjør en vurdering: {0}", .nn: "Avgjer ei vurdering: {0}", .sv: "Avgör en prövning: {0}", .en: "Decide a review: {0}"],
        .disposalNextSteps: [.nb: "Utfør: {0}   Rapport: {1}", .nn: "Utfør: {0}   Rapport: {1}", .sv: "Verkställ: {0}   Rapport: {1}",
                             .en: "Execute: {0}   Report: {1}"],
        .disposalReportTitle: [.nb: "Kassasjonsrapport — kassasjonsliste {0}", .nn: "Kassasjonsrapport — kassasjonsliste {0}",
                               .sv: "Gallringsrapport — gallringsplan {0}", .en: "Disposal report — plan {0}"],
        .disposalReportAsOf: [.nb: "Per dato:    {0} (listen laget {1} av {2})", .nn: "Per dato:    {0} (lista laga {1} av {2})",
                              .sv: "Per datum:   {0} (planen upprättad {1} av {2})", .en: "Due as of:   {0} (plan made {1} by {2})"],
        .disposalReportExecuted: [.nb: "Utført:      {0} av {1}", .nn: "Utført:      {0} av {1}", .sv: "Verkställd:  {0} av {1}",
                                  .en: "Executed:    {0} by {1}"],
        .disposalReportWhy: [.nb: "Begrunnelse: {0}", .nn: "Grunngiving: {0}", .sv: "Motivering:  {0}", .en: "Why:         {0}"],
        .disposalReportNotYet: [.nb: "Utført:      ikke ennå ({0})", .nn: "Utført:      ikkje enno ({0})", .sv: "Verkställd:  inte ännu ({0})",
                                .en: "Executed:    not yet ({0})"],
        .disposalReportDisposedOne: [.nb: "Kassert: 1 element", .nn: "Kassert: 1 element", .sv: "Gallrat: 1 post", .en: "Disposed: 1 item"],
        .disposalReportDisposedMany: [.nb: "Kassert: {0} elementer", .nn: "Kassert: {0} element", .sv: "Gallrat: {0} poster", .en: "Disposed: {0} items"],
        .disposalReportHeld: [.nb: "Bevart på grunn av rettslig bevaringsplikt: {0}", .nn: "Bevart på grunn av rettsleg bevaringsplikt: {0}",
                              .sv: "Bevarade på grund av bevarandebeslut: {0}", .en: "Kept because of legal holds: {0}"],
        .disposalReportNotDisposed: [
            .nb: "Kunne kasseres, men ble ikke kassert da listen ble utført (holdt tilbake siden, journalført eller avgjort på nytt): {0}",
            .nn: "Kunne kasserast, men vart ikkje kassert då lista vart utført (halde tilbake sidan, journalført eller avgjort på nytt): {0}",
            .sv: "Fick gallras men gallrades inte när planen verkställdes (kvarhållna sedan dess, diarieförda eller omprövade): {0}",
            .en: "Due but not disposed at execution (held since, journaled or decided anew): {0}",
        ],
        .disposalReportEvidence: [.nb: "Opptak bevart som bevis for andre elementer: {0}", .nn: "Opptak bevart som prov for andre element: {0}",
                                  .sv: "Inhämtningar bevarade som bevis för andra poster: {0}", .en: "Captures kept as evidence of other items: {0}"],
        .disposalReportCapturedWith: [.nb: "(tatt opp med {0})", .nn: "(teke opp med {0})", .sv: "(inhämtad med {0})", .en: "(captured with {0})"],
        .disposalReportReview: [.nb: "Til bevaringsvurdering (kasseres aldri av en liste): {0}", .nn: "Til bevaringsvurdering (blir aldri kassert av ei liste): {0}",
                                .sv: "För gallringsprövning (gallras aldrig genom en plan): {0}", .en: "For retention review (never disposed by a plan): {0}"],
        .disposalReportApproved: [.nb: "Godkjent for kassasjon:", .nn: "Godkjent for kassasjon:", .sv: "Godkänd för gallring:", .en: "Approved for disposal:"],
        .disposalReportSignature: [.nb: "Arkivleder: ______________________   Dato: ____________", .nn: "Arkivleiar: ______________________   Dato: ____________",
                                   .sv: "Arkivansvarig: ______________________   Datum: ____________",
                                   .en: "Archive leader: ______________________   Date: ____________"],
        .disposalColumnSection: [.nb: "del", .nn: "del", .sv: "avsnitt", .en: "section"],
        .disposalColumnAccount: [.nb: "konto", .nn: "konto", .sv: "konto", .en: "account"],
        .disposalColumnRule: [.nb: "regel", .nn: "regel", .sv: "regel", .en: "rule"],
        .disposalColumnItem: [.nb: "element", .nn: "element", .sv: "post", .en: "item"],
        .disposalColumnCount: [.nb: "antall", .nn: "tal", .sv: "antal", .en: "count"],
        .disposalColumnDetail: [.nb: "detaljer", .nn: "detaljar", .sv: "detaljer", .en: "detail"],
        .disposalSectionPlan: [.nb: "kassasjonsliste", .nn: "kassasjonsliste", .sv: "gallringsplan", .en: "plan"],
        .disposalSectionDisposed: [.nb: "kassert", .nn: "kassert", .sv: "gallrat", .en: "disposed"],
        .disposalSectionHeld: [.nb: "holdt tilbake", .nn: "halde tilbake", .sv: "kvarhållen", .en: "held"],
        .disposalSectionNotDisposed: [.nb: "ikke kassert", .nn: "ikkje kassert", .sv: "inte gallrad", .en: "not disposed"],
        .disposalSectionEvidence: [.nb: "bevis", .nn: "prov", .sv: "bevis", .en: "evidence"],
        .disposalPlanDetail: [.nb: "per {0}; utført {1} av {2}; begrunnelse: {3}", .nn: "per {0}; utført {1} av {2}; grunngiving: {3}",
                              .sv: "per {0}; verkställd {1} av {2}; motivering: {3}", .en: "as of {0}; executed {1} by {2}; why: {3}"],
    ]
}
