import DiariumCore
import DiariumOutputs
import Foundation

/// Writes loependeJournal.xml (internal: every field) and offentligJournal.xml (public).
/// Both list every journal post of arkivstruktur.xml with the same systemID, so the
/// three files count the same posts (Arkade N5.59); a screened post is screened, never
/// left out (Noark krav 5.2.5).
///
/// The public journal takes every text from `JournalEntryView(isPublic: true)`, the one
/// place that screens: its title (restricted items show no word of their text, national
/// identity numbers masked) and its correspondent. offentligJournal.xsd requires a
/// korrespondansepartNavn in every korrespondansepart, so a screened name (NA/NM) is
/// written as the screening mark `******`, as the public journal of `diarium journal
/// --public` shows it, never as the name.
struct JournalWriter {
    enum Kind {
        case running, `public`

        var root: String { self == .running ? "loependeJournal" : "offentligJournal" }
        var namespace: String { "http://www.arkivverket.no/standarder/noark5/\(root)" }
        var isPublic: Bool { self == .public }
    }

    let extract: NoarkExtract
    let kind: Kind

    func write() -> Data {
        var x = XMLWriter()
        x.open(kind.root, [
            "xmlns": kind.namespace,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": "\(kind.namespace) \(kind.root).xsd",
        ])
        let dates = extract.journalDates
        x.open("journalhode")
        x.element("journalStartDato", dates.first)
        x.element("journalSluttDato", dates.last)
        x.element("seleksjon", "Journalposter med journaldato \(extract.range.norwegian)")
        x.element("antallJournalposter", extract.journalPosts.count)
        x.open("arkivskaper")
        x.element("arkivskaperID", extract.agencyName)
        x.element("arkivskaperNavn", extract.agencyName)
        x.close()
        x.close()
        for record in extract.journalPosts {
            writeEntry(&x, record)
        }
        x.close()
        return x.data
    }

    private func writeEntry(_ x: inout XMLWriter, _ record: NoarkExtract.Record) {
        guard let entry = record.entry else { return }
        let view = kind.isPublic ? record.publicView : record.internalView
        let file = record.caseFile
        let access = record.access
        let codes = access.map(NoarkExtract.screeningValues) ?? []
        x.open("journalregistrering")
        x.open("klasse")
        x.element("klasseID", file.account)
        x.element("tittel", "Konto \(file.account) (\(record.item.record.item.platform.rawValue))")
        x.close()

        x.open("saksmappe")
        x.element("mappeID", extract.caseNumber(file))
        x.element("saksaar", file.year)
        x.element("sakssekvensnummer", file.sequence)
        let caseTitle = extract.caseTitle(file, isPublic: false)
        let casePublicTitle = extract.caseTitle(file, isPublic: true)
        if kind.isPublic {
            x.element("offentligTittel", casePublicTitle)
            x.element("administrativEnhet", extract.agencyName)
            x.element("saksansvarlig", extract.agencyName)
        } else {
            x.element("tittel", caseTitle)
            if casePublicTitle != caseTitle { x.element("offentligTittel", casePublicTitle) }
            x.element("administrativEnhet", extract.agencyName)
            x.element("saksansvarlig", extract.agencyName)
            x.element("referanseArkivdel", extract.arkivdelID)
        }
        x.close()

        x.open("journalpost")
        x.element("systemID", record.systemID)
        x.element("registreringsID", extract.registrationID(record))
        x.element("journalaar", entry.year)
        x.element("journalsekvensnummer", entry.sequence)
        x.element("journalpostnummer", entry.numberInCase)
        if kind.isPublic {
            x.element("offentligTittel", view.title)
            x.element("skjermingMetadata", codes.first)
        } else {
            x.element("tittel", view.title)
            let publicTitle = record.publicView.title
            if publicTitle != view.title { x.element("offentligTittel", publicTitle) }
            x.element("skjermingMetadata", codes.first)
        }
        x.element("journaldato", extract.journalDate(entry))
        x.element("dokumentetsDato", extract.documentDate(record))
        if !kind.isPublic && !record.attachments.isEmpty { x.element("antallVedlegg", record.attachments.count) }
        x.element("administrativEnhet", extract.agencyName)
        if access != nil {
            x.element("tilgangsrestriksjon", NoarkExtract.restrictedValue)
            x.required("skjermingshjemmel", access?.basis, fallback: NoarkExtract.fallbackBasis)
        }
        x.open("korrespondansepart")
        x.element("korrespondanseparttype", NoarkExtract.correspondentType(entry.type))
        // A display name is platform text: mask any identity number in it, as titles are.
        let name = kind.isPublic ? NationalIdentityNumber.mask(view.correspondent) : view.correspondent
        x.required("korrespondansepartNavn", name, fallback: "Ukjent")
        if !kind.isPublic, let access, access.screensName {
            x.element("skjermingMetadata", NoarkExtract.correspondentScreening(entry.type))
        }
        x.close()
        x.close()
        x.close()
    }
}
