import DiariumCore
import DiariumOutputs
import Foundation

/// Writes the delivery's CITS ERMS 2.1.2 file (FGS Ärendehantering 2.0), valid against
/// `ERMS.xsd` and the co-occurrence rules of `erms.sch`.
///
/// Mapping (CITS ERMS 2.1.0 §§ on objectId and extraId): `objectId` is a fresh UUID,
/// `extraId extraIdType="diarienummer"` carries Diarium's case and registration numbers
/// exactly as the diarium shows them, and `systemIdentifier` is Diarium's own key
/// (`casefile-N`, `ACCOUNT:ID`) so a record can be found again in the registry.
/// Element order follows the XSD's sequences, which are strict.
struct ERMSWriter {
    static let namespace = "https://DILCIS.eu/XML/ERMS"
    /// Aggregation type of a thread that holds no registered item (documented choice).
    static let threadType = "tråd"

    let delivery: FGSDelivery

    func write() -> Data {
        var x = XMLWriter()
        x.open("erms", attributes: [
            ("xmlns", Self.namespace),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "\(Self.namespace) ../../../schemas/ERMS.xsd"),
        ])
        control(&x)
        x.open("aggregations")
        for c in delivery.cases { aggregation(&x, c) }
        x.close()
        x.close()
        return x.data
    }

    private func control(_ x: inout XMLWriter) {
        x.open("control")
        x.element("identification", delivery.agency.identificationCode, ["identificationType": "organisationsnummer"])
        x.open("maintenanceInformation")
        x.empty("maintenanceStatus", [("value", "new")])
        x.open("maintenanceAgency")
        x.element("agencyName", delivery.agency.name)
        x.close()
        x.open("maintenanceHistory")
        x.open("maintenanceEvent")
        x.empty("eventType", [("value", "created")])
        x.element("eventDateTime", delivery.dateTime(delivery.createdAt))
        x.open("agent", ["agentType": "creator"])
        x.element("name", "Diarium \(delivery.softwareVersion)")
        x.close()
        x.close()
        x.close()
        x.close()
        x.close()
    }

    private func aggregation(_ x: inout XMLWriter, _ c: FGSDelivery.Case) {
        if c.isRegistered {
            x.open("aggregation", attributes: [("systemIdentifier", c.systemIdentifier), ("aggregationType", "caseFile")])
        } else {
            x.open("aggregation", attributes: [("systemIdentifier", c.systemIdentifier), ("aggregationType", "own_aggregation_definition"),
                                               ("otherAggregationType", Self.threadType)])
        }
        x.element("objectId", c.objectID)
        if c.isRegistered { x.element("extraId", c.caseNumber, ["extraIdType": "diarienummer"]) }
        x.required("title", c.publicTitle, fallback: "Tråd på \(c.file.account)")
        if let opened = c.file.createdAt {
            x.open("dates")
            x.element("date", delivery.dateTime(opened), ["dateType": "opened"])
            x.close()
        }
        for record in c.records { self.record(&x, record) }
        for disposed in c.disposed { self.disposedRecord(&x, disposed) }
        x.close()
    }

    /// A gallrad item from its tombstone: no title from its content (that is gone), the
    /// disposal with its mandate and day, the day it was created, and a note naming the
    /// plan and the content hashes the registry's change log vouches for; no files.
    private func disposedRecord(_ x: inout XMLWriter, _ d: FGSDelivery.DisposedRecord) {
        let t = d.tombstone
        x.open("record", attributes: [("systemIdentifier", d.systemIdentifier), ("recordType", t.kind)])
        x.element("objectId", d.objectID)
        x.element("title", "Gallrad \(t.kind) (\(t.platform), \(t.day))")
        x.open("disposal", ["disposable": "true"])
        x.element("disposalAction", d.disposal.action)
        x.element("disposalMandate", d.disposal.mandate)
        x.open("dates")
        x.element("disposalDate", delivery.dateTime(d.disposal.disposedAt), ["dateType": "applied"])
        x.close()
        x.close()
        if let created = Timestamp.parseRFC3339(t.day) {
            x.open("dates")
            x.element("date", delivery.dateTime(created), ["dateType": "created"])
            x.close()
        }
        x.open("notes")
        let plan = t.plan.map { "enligt gallringsplan \($0)" } ?? "enskilt (radering av personuppgifter)"
        x.element("note", "Gallrad \(t.disposedAt) av \(t.disposedBy) \(plan): \(t.reason). Innehållet är förstört och filerna ingår inte i leveransen; SHA-256 för varje version: \(t.contentHashes.joined(separator: " ")).")
        x.close()
        x.close()
    }

    private func record(_ x: inout XMLWriter, _ r: FGSDelivery.Record) {
        let item = r.item.record.item
        x.open("record", attributes: [("systemIdentifier", r.systemIdentifier), ("recordType", item.kind.rawValue)])
        x.element("objectId", r.objectID)
        if let number = r.registrationNumber { x.element("extraId", number, ["extraIdType": "diarienummer"]) }
        let view = r.publicView
        x.required("title", view.title, fallback: "\(item.kind.rawValue) via \(item.platform.rawValue)")
        x.empty("status", [("value", view.type == "U" ? "expedited" : "received")])
        if r.isRegistered, let entry = r.item.journalEntry { x.element("runningNumber", entry.numberInCase) }
        if let access = r.access {
            x.open("restriction", ["restrictionType": "confidential"])
            x.element("explanatoryText", "Sekretess: uppgifterna är utelämnade ur metadata och diariet; de bevarade filerna innehåller dem.")
            x.required("regulation", access.basis, fallback: "Sekretessprövning återstår (OSL)")
            x.close()
        }
        x.empty("direction", [("directionDefinition", Self.direction(view.type))])
        agents(&x, r)
        dates(&x, r)
        notes(&x, r)
        if !r.appendices.isEmpty {
            x.open("additionalInformation")
            for a in r.appendices {
                x.empty("appendix", [("name", Self.appendixName(a)), ("path", a.file.path), ("fileFormat", FileFormat.format(a.file.contentType))])
            }
            x.close()
        }
        x.close()
    }

    /// The correspondent as the public diarium shows it; a screened name is `******` and
    /// marked as a protected identity, so the reader knows it was left out on purpose.
    private func agents(_ x: inout XMLWriter, _ r: FGSDelivery.Record) {
        let view = r.publicView
        let correspondent = view.correspondent
        x.open("agents")
        let outgoing = view.type == "U"
        x.open("agent", ["agentType": "sender"])
        x.element("name", outgoing ? delivery.agency.name : correspondent)
        if !outgoing && correspondent == JournalEntryView.screened { x.element("protectedIdentity", "true") }
        x.close()
        if outgoing {
            x.open("agent", ["agentType": "recipient"])
            x.element("name", correspondent)
            if correspondent == JournalEntryView.screened { x.element("protectedIdentity", "true") }
            x.close()
        }
        x.close()
    }

    /// created (on the platform), registered (ERMS has no such date type, so `other`),
    /// captured (first capture), deleted (found gone on the platform) when known.
    private func dates(_ x: inout XMLWriter, _ r: FGSDelivery.Record) {
        var dates: [(String, String?, Date)] = []
        if let created = r.item.record.item.createdAt { dates.append(("created", nil, created)) }
        if r.isRegistered, let registered = r.item.journalEntry?.registeredAt { dates.append(("other", "registered", registered)) }
        if let captured = r.item.record.firstCapturedAt { dates.append(("captured", nil, captured)) }
        guard !dates.isEmpty else { return }
        x.open("dates")
        for (type, other, date) in dates {
            if let other {
                x.element("date", delivery.dateTime(date), ["dateType": type, "otherDateType": other])
            } else {
                x.element("date", delivery.dateTime(date), ["dateType": type])
            }
        }
        x.close()
    }

    /// What the ERMS elements cannot say: the diarium status (M awaits the registrator),
    /// a rejected proposal's number, and a deletion on the platform.
    private func notes(_ x: inout XMLWriter, _ r: FGSDelivery.Record) {
        var notes: [String] = []
        if let entry = r.item.journalEntry {
            switch entry.status {
            case JournalStatus.M.rawValue: notes.append("Registreringen väntar på registratorns granskning (status M).")
            case JournalStatus.J.rawValue: notes.append("Registreringen är granskad av registrator (status J).")
            case JournalStatus.U.rawValue:
                notes.append("Registreringsförslaget avslogs (status U); numret \(r.item.record.journalNumber ?? "-") utgår och används inte igen.")
            default: notes.append("Diariets status: \(entry.status).")
            }
        }
        if r.item.deletedHow != nil { notes.append("Borttagen på plattformen efter att den arkiverades; de bevarade kopiorna finns kvar.") }
        guard !notes.isEmpty else { return }
        x.open("notes")
        for note in notes { x.element("note", note) }
        x.close()
    }

    static func direction(_ type: String) -> String {
        switch type {
        case "U": return "outgoing"
        case "N": return "internal_memo_for_follow-up"
        case "X": return "internal_memo_without_follow-up"
        default: return "incoming"
        }
    }

    static func appendixName(_ a: FGSDelivery.Appendix) -> String {
        switch a.role {
        case .version(let n): return "Version \(n)"
        case .media: return "Bifogad fil"
        case .deletion: return "Bevis på borttagning"
        }
    }
}

