import DiariumCore
import DiariumStore
import Foundation

/// Writes arkivstruktur.xml (arkivstruktur.xsd, Noark 5 v5.0). The element order is the
/// schema's: in particular a saksmappe's own elements (saksaar … saksstatus) follow its
/// registreringer, and a journalpost's own elements follow its korrespondansepart,
/// because both extend a base type whose sequence comes first.
///
/// Delivery state (records-rules §1.5): saksmapper «Avsluttet», journalposts «Arkivert»
/// (or «Utgår» when an officer rejected the proposal), documents «ferdigstilt».
struct ArkivstrukturWriter {
    static let namespace = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
    /// Platform ids, URLs and rules go under virksomhetsspesifikkeMetadata (M711) in this
    /// namespace. arkivstruktur.xsd accepts any content there; `diariumMetadata.xsd`,
    /// shipped in the extract and named in xsi:schemaLocation and arkivuttrekk.xml,
    /// declares each element, and each carries its type as xsi:type (krav 6.4.32).
    static let diariumNamespace = "urn:x-diarium:noark5"
    static let creator = "diarium"

    let extract: NoarkExtract

    func write() -> Data {
        var x = XMLWriter()
        let closed = extract.dateTime(extract.exportedAt)
        x.open("arkiv", [
            "xmlns": Self.namespace,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xmlns:xs": "http://www.w3.org/2001/XMLSchema",
            "xmlns:diarium": Self.diariumNamespace,
            "xsi:schemaLocation": "\(Self.namespace) arkivstruktur.xsd \(Self.diariumNamespace) \(NoarkSchemas.diariumMetadata)",
        ])
        x.element("systemID", extract.arkivID)
        x.element("tittel", "\(extract.agencyName): sosiale medier")
        x.element("beskrivelse", "Innlegg, svar, kommentarer og meldinger fra etatens kontoer i sosiale medier, arkivert av Diarium med de rå svarene fra plattformene.")
        x.element("arkivstatus", "Avsluttet")
        x.element("dokumentmedium", "Elektronisk arkiv")
        x.element("opprettetDato", closed)
        x.element("opprettetAv", Self.creator)
        x.element("avsluttetDato", closed)
        x.element("avsluttetAv", Self.creator)
        x.open("arkivskaper")
        x.element("arkivskaperID", extract.agencyName)
        x.element("arkivskaperNavn", extract.agencyName)
        x.close()
        writeArchivePart(&x, closed: closed)
        x.close()
        return x.data
    }

    private func writeArchivePart(_ x: inout XMLWriter, closed: String) {
        let period = extract.period
        x.open("arkivdel")
        x.element("systemID", extract.arkivdelID)
        x.element("tittel", "Sosiale medier, journaldato \(period.start) til \(period.end)")
        x.element("arkivdelstatus", "Avsluttet periode")
        x.element("dokumentmedium", "Elektronisk arkiv")
        x.element("opprettetDato", closed)
        x.element("opprettetAv", Self.creator)
        x.element("avsluttetDato", closed)
        x.element("avsluttetAv", Self.creator)
        x.element("arkivperiodeStartDato", period.start)
        x.element("arkivperiodeSluttDato", period.end)
        x.open("klassifikasjonssystem")
        x.element("systemID", extract.classificationID)
        x.element("klassifikasjonstype", "Objekt")
        x.element("tittel", "Kontoer i sosiale medier")
        x.element("opprettetDato", closed)
        x.element("opprettetAv", Self.creator)
        for unit in extract.classes {
            x.open("klasse")
            x.element("systemID", unit.systemID)
            x.element("klasseID", unit.account)
            x.element("tittel", "Konto \(unit.account) (\(unit.platform))")
            x.element("opprettetDato", closed)
            x.element("opprettetAv", Self.creator)
            for caseUnit in unit.cases { writeCase(&x, caseUnit, closed: closed) }
            x.close()
        }
        x.close()
        x.close()
    }

    private func writeCase(_ x: inout XMLWriter, _ unit: NoarkExtract.CaseUnit, closed: String) {
        let file = unit.file
        let title = extract.caseTitle(file, isPublic: false)
        let publicTitle = extract.caseTitle(file, isPublic: true)
        x.open("mappe", ["xsi:type": "saksmappe"])
        x.element("systemID", unit.systemID)
        x.element("mappeID", extract.caseNumber(file))
        x.element("tittel", title)
        if publicTitle != title { x.element("offentligTittel", publicTitle) }
        x.element("dokumentmedium", "Elektronisk arkiv")
        x.element("opprettetDato", extract.dateTime(file.createdAt ?? extract.exportedAt))
        x.element("opprettetAv", Self.creator)
        x.element("avsluttetDato", closed)
        x.element("avsluttetAv", Self.creator)
        x.element("referanseArkivdel", extract.arkivdelID)
        x.open("virksomhetsspesifikkeMetadata")
        Self.business(&x, "konto", file.account)
        Self.business(&x, "traadrot", file.threadRoot)
        x.close()
        for record in unit.records { writeRecord(&x, record, closed: closed) }
        for disposed in unit.disposed { writeDisposedRecord(&x, disposed, closed: closed) }
        x.element("saksaar", file.year)
        x.element("sakssekvensnummer", file.sequence)
        x.element("saksdato", extract.day(file.createdAt ?? extract.exportedAt))
        x.element("administrativEnhet", extract.agencyName)
        x.element("saksansvarlig", extract.agencyName)
        x.element("saksstatus", "Avsluttet")
        x.close()
    }

    private func writeRecord(_ x: inout XMLWriter, _ record: NoarkExtract.Record, closed: String) {
        let item = record.item.record.item
        let entry = record.entry
        let captured = record.item.record.firstCapturedAt ?? extract.exportedAt
        x.open("registrering", ["xsi:type": entry == nil ? "arkivnotat" : "journalpost"])
        x.element("systemID", record.systemID)
        x.element("opprettetDato", extract.dateTime(captured))
        x.element("opprettetAv", Self.creator)
        x.element("arkivertDato", closed)
        x.element("arkivertAv", Self.creator)
        x.element("referanseArkivdel", extract.arkivdelID)
        // The schema's order from here: kassasjon, skjerming, gradering, then the documents.
        writeKassasjon(&x, record.disposal)
        writeScreening(&x, record.access)
        writeDocuments(&x, record, captured: captured)
        x.element("registreringsID", extract.registrationID(record))
        let title = record.internalView.title
        let publicTitle = record.publicView.title
        x.element("tittel", title)
        if publicTitle != title { x.element("offentligTittel", publicTitle) }
        x.element("forfatter", item.author.displayName)
        x.element("dokumentmedium", "Elektronisk arkiv")
        writeBusinessMetadata(&x, record)
        writeRemarks(&x, record)
        if let entry {
            x.open("korrespondansepart")
            x.element("korrespondanseparttype", NoarkExtract.correspondentType(entry.type))
            x.required("korrespondansepartNavn", record.internalView.correspondent, fallback: "Ukjent")
            x.close()
            x.element("journalaar", entry.year)
            x.element("journalsekvensnummer", entry.sequence)
            x.element("journalpostnummer", entry.numberInCase)
            x.element("journalposttype", NoarkExtract.journalPostType(entry.type))
            x.element("journalstatus", NoarkExtract.journalStatus(entry.status))
            x.element("journaldato", extract.journalDate(entry))
            x.element("dokumentetsDato", extract.documentDate(record))
            if entry.type == "I" {
                x.element("mottattDato", extract.dateTime(captured))
            } else {
                x.element("sendtDato", item.createdAt.map(extract.dateTime))
            }
            if !record.attachments.isEmpty { x.element("antallVedlegg", record.attachments.count) }
        } else {
            x.element("dokumentetsDato", extract.documentDate(record))
            if !record.attachments.isEmpty { x.element("antallVedlegg", record.attachments.count) }
        }
        x.close()
    }

    /// kassasjon (M450–M453), on the registrering and copied down to its documents, as
    /// the catalogue has it on delivery.
    private func writeKassasjon(_ x: inout XMLWriter, _ disposal: NoarkExtract.Disposal?) {
        guard let disposal else { return }
        x.open("kassasjon")
        x.element("kassasjonsvedtak", disposal.decision)
        x.element("kassasjonshjemmel", disposal.basis)
        x.element("bevaringstid", disposal.years)
        x.element("kassasjonsdato", disposal.date)
        x.close()
    }

    /// A disposed item: what its tombstone keeps, as an arkivnotat whose document was
    /// kassert (utfoertKassasjon: when and by whom) and has no dokumentobjekt. Nothing of
    /// the content is left to write: the title names the kind, platform and day only, and
    /// a merknad gives the plan, the reason and the content hashes the chain vouches for.
    private func writeDisposedRecord(_ x: inout XMLWriter, _ disposed: NoarkExtract.DisposedRecord, closed: String) {
        let tombstone = disposed.tombstone
        let kassasjon = extract.disposal(of: tombstone)
        let created = Timestamp.parseRFC3339(tombstone.day) ?? extract.exportedAt
        let disposedAt = Timestamp.parse(tombstone.disposedAt) ?? extract.exportedAt
        let kind = ItemKind(rawValue: tombstone.kind)
        let title = "Kassert \(kind.map(NoarkExtract.documentType) ?? tombstone.kind) (\(tombstone.platform), \(tombstone.day))"
        x.open("registrering", ["xsi:type": "arkivnotat"])
        x.element("systemID", disposed.systemID)
        x.element("opprettetDato", extract.dateTime(created))
        x.element("opprettetAv", Self.creator)
        x.element("arkivertDato", closed)
        x.element("arkivertAv", Self.creator)
        x.element("referanseArkivdel", extract.arkivdelID)
        writeKassasjon(&x, kassasjon)
        openDocument(&x, systemID: disposed.documentID, type: kind.map(NoarkExtract.documentType) ?? "Innlegg i sosiale medier",
                     title: title, author: nil, created: created, role: "Hoveddokument", number: 1)
        writeKassasjon(&x, kassasjon)
        x.open("utfoertKassasjon")
        x.element("kassertDato", extract.dateTime(disposedAt))
        x.element("kassertAv", tombstone.disposedBy)
        x.close()
        x.close()
        x.element("tittel", title)
        x.element("dokumentmedium", "Elektronisk arkiv")
        x.open("virksomhetsspesifikkeMetadata")
        Self.business(&x, "plattform", tombstone.platform)
        Self.business(&x, "konto", tombstone.account)
        Self.business(&x, "id", tombstone.id)
        Self.business(&x, "regler", tombstone.rule)
        Self.business(&x, "bevaring", tombstone.retention)
        x.close()
        x.open("merknad")
        let plan = tombstone.plan.map { "etter kassasjonsliste \($0)" } ?? "enkeltvis (sletting av personopplysninger)"
        x.element("merknadstekst", "Kassert \(extract.dateTime(disposedAt)) av \(tombstone.disposedBy) \(plan): \(tombstone.reason). Innholdet er slettet; SHA-256 for hver versjon: \(tombstone.contentHashes.joined(separator: " ")).")
        x.element("merknadstype", "Kassert")
        x.element("merknadsdato", extract.dateTime(disposedAt))
        x.element("merknadRegistrertAv", Self.creator)
        x.close()
        x.element("dokumentetsDato", tombstone.day)
        x.close()
    }

    /// Opens a dokumentbeskrivelse and writes its own elements up to tilknyttetAv (the
    /// schema's order), the same for a main document, an attachment and a kassert one;
    /// the caller writes what follows (kassasjon, skjerming, objects) and closes it.
    private func openDocument(_ x: inout XMLWriter, systemID: String, type: String, title: String, author: String?,
                              created: Date, role: String, number: Int) {
        x.open("dokumentbeskrivelse")
        x.element("systemID", systemID)
        x.element("dokumenttype", type)
        x.element("dokumentstatus", "Dokumentet er ferdigstilt")
        x.element("tittel", title)
        x.element("forfatter", author)
        x.element("opprettetDato", extract.dateTime(created))
        x.element("opprettetAv", Self.creator)
        x.element("dokumentmedium", "Elektronisk arkiv")
        x.element("tilknyttetRegistreringSom", role)
        x.element("dokumentnummer", number)
        x.element("tilknyttetDato", extract.dateTime(created))
        x.element("tilknyttetAv", Self.creator)
    }

    /// skjerming (M500–M502) where the decision restricts the item.
    private func writeScreening(_ x: inout XMLWriter, _ access: Access?) {
        guard let access else { return }
        x.open("skjerming")
        x.element("tilgangsrestriksjon", NoarkExtract.restrictedValue)
        x.required("skjermingshjemmel", access.basis, fallback: NoarkExtract.fallbackBasis)
        for value in NoarkExtract.screeningValues(access) { x.element("skjermingMetadata", value) }
        x.close()
    }

    /// The main document (every captured version as a dokumentobjekt) and one
    /// «Vedlegg» per downloaded media file.
    private func writeDocuments(_ x: inout XMLWriter, _ record: NoarkExtract.Record, captured: Date) {
        let item = record.item.record.item
        openDocument(&x, systemID: record.documentID, type: NoarkExtract.documentType(item.kind), title: record.internalView.title,
                     author: item.author.displayName, created: captured, role: "Hoveddokument", number: 1)
        writeKassasjon(&x, record.disposal)
        writeScreening(&x, record.access)
        for object in record.objects {
            writeObject(&x, systemID: object.systemID, version: object.version, file: object.file, at: object.capturedAt ?? captured)
        }
        x.close()
        for (index, attachment) in record.attachments.enumerated() {
            let caption = attachment.description.flatMap { XMLWriter.isBlank($0) ? nil : $0 }
            openDocument(&x, systemID: attachment.systemID,
                         type: attachment.file.contentType?.hasPrefix("video") == true ? "Video" : "Bilde",
                         title: caption ?? "Vedlegg \(index + 1) til \(record.internalView.title)",
                         author: nil, created: attachment.capturedAt ?? captured, role: "Vedlegg", number: index + 2)
            writeKassasjon(&x, record.disposal)
            writeScreening(&x, record.access)
            writeObject(&x, systemID: attachment.objectID, version: 1, file: attachment.file, at: attachment.capturedAt ?? captured)
            x.close()
        }
    }

    private func writeObject(_ x: inout XMLWriter, systemID: String, version: Int, file: NoarkExtract.DocumentFile, at: Date) {
        x.open("dokumentobjekt")
        x.element("systemID", systemID)
        x.element("versjonsnummer", version)
        x.element("variantformat", "Arkivformat")
        x.element("format", FileFormat.format(file.contentType))
        x.element("formatDetaljer", FileFormat.formatDetails(file.contentType))
        x.element("opprettetDato", extract.dateTime(at))
        x.element("opprettetAv", Self.creator)
        x.element("referanseDokumentfil", file.path)
        x.element("sjekksum", file.sha256)
        x.element("sjekksumAlgoritme", "SHA256")
        x.element("filstoerrelse", file.size)
        x.close()
    }

    /// M711: what ties the record to the platform (ids, URL, thread) and the decision.
    private func writeBusinessMetadata(_ x: inout XMLWriter, _ record: NoarkExtract.Record) {
        let item = record.item.record.item
        x.open("virksomhetsspesifikkeMetadata")
        Self.business(&x, "plattform", item.platform.rawValue)
        Self.business(&x, "konto", item.account)
        Self.business(&x, "id", item.id)
        Self.business(&x, "url", item.url)
        Self.business(&x, "svarPaa", item.inReplyTo)
        Self.business(&x, "traadrot", item.threadRoot)
        Self.business(&x, "versjoner", String(record.item.versions.count), type: "xs:positiveInteger")
        if let decision = record.item.record.decision {
            Self.business(&x, "regler", decision.rules.joined(separator: " "))
            Self.business(&x, "begrunnelse", decision.reason)
            Self.business(&x, "profil", decision.profile)
            Self.business(&x, "bevaring", decision.retention.rawValue)
        }
        x.close()
    }

    /// One `diarium:` element with its xsi:type, which must be the type
    /// `diariumMetadata.xsd` declares for it (a validator checks the two agree).
    static func business(_ x: inout XMLWriter, _ name: String, _ value: String?, type: String = "xs:string") {
        x.element("diarium:\(name)", value, ["xsi:type": type])
    }

    /// merknad for what happened on the platform after capture: edits and deletion.
    private func writeRemarks(_ x: inout XMLWriter, _ record: NoarkExtract.Record) {
        if record.item.versions.count > 1, let last = record.item.versions.last {
            x.open("merknad")
            x.element("merknadstekst", "Endret på plattformen; \(record.item.versions.count) versjoner er arkivert som dokumentobjekter.")
            x.element("merknadstype", "Endret på plattform")
            x.element("merknadsdato", extract.dateTime(last.item.editedAt ?? last.capture.capturedAt ?? extract.exportedAt))
            x.element("merknadRegistrertAv", Self.creator)
            x.close()
        }
        if let deletedAt = record.item.record.item.deletedAt {
            x.open("merknad")
            x.element("merknadstekst", "Slettet på plattformen; funnet borte \(extract.dateTime(deletedAt))\(record.item.deletedHow.map { " (\($0))" } ?? ""). Den arkiverte kopien er beholdt.")
            x.element("merknadstype", "Slettet på plattform")
            x.element("merknadsdato", extract.dateTime(deletedAt))
            x.element("merknadRegistrertAv", Self.creator)
            x.close()
        }
    }
}
