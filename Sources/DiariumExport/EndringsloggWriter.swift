import DiariumCore
import DiariumStore
import Foundation

/// Writes endringslogg.xml from the registry's hash-chained change log: the entries
/// about the exported records that change them after capture, each pointing at the
/// registrering's systemID (referanseArkivenhet):
///
/// - a new version captured (an edit on the platform): versjonsnummer old → new;
/// - a journal number given: journalstatus from not journaled to a temporary
///   registration (M), so the log shows when each number was given;
/// - a deletion found on the platform: merknad;
/// - an officer's approval or override, and any later action on the item, with the
///   old and new values as the change log states them.
///
/// The case opening and media downloads are not changes of a record and are left out.
/// endringslogg.xsd wants at least one endring; an extract always has one journal post,
/// whose registration is such a change, so the fallback below only covers a registry
/// whose change log lacks it.
struct EndringsloggWriter {
    static let namespace = "http://www.arkivverket.no/standarder/noark5/endringslogg"

    struct Change {
        var unit: String
        var field: String
        var at: String
        var by: String
        var old: String
        var new: String
    }

    let extract: NoarkExtract
    let entries: [ChangeLogEntry]

    var changes: [Change] {
        var out: [Change] = []
        for entry in entries {
            guard let unit = extract.registrationIDs[entry.subject] else { continue }
            let at = Timestamp.parse(entry.at).map(extract.dateTime) ?? extract.dateTime(extract.exportedAt)
            func add(_ field: String, _ old: String, _ new: String) {
                out.append(Change(unit: unit, field: field, at: at, by: entry.actor, old: old, new: new))
            }
            switch entry.action {
            case "capture":
                if let number = Self.word(after: "version ", in: entry.details).flatMap(Int.init), number > 1 {
                    add("versjonsnummer", String(number - 1), String(number))
                }
                if let journal = Self.word(after: " number ", in: entry.details) {
                    add("journalstatus", "Ikke journalført", "Midlertidig registrering (journalnummer \(journal))")
                }
            case "mark-deleted":
                let how = entry.details.components(separatedBy: " evidence ").first ?? entry.details
                add("merknad", "Publisert på plattformen", "Slettet på plattformen (\(how))")
            case "approve":
                add("journalstatus", "Midlertidig registrering", "Journalført (\(entry.details))")
            case "override":
                let parts = Self.oldNew(entry.details)
                add("journalføring, journalposttype og skjerming", parts.old, parts.new)
            case "open-case", "media":
                continue
            default:
                add(entry.action, "Se ny verdi", entry.details)
            }
        }
        if out.isEmpty {
            for record in extract.journalPosts {
                guard let entry = record.entry else { continue }
                out.append(Change(
                    unit: record.systemID, field: "journalstatus",
                    at: extract.dateTime(entry.registeredAt ?? extract.exportedAt), by: ArkivstrukturWriter.creator,
                    old: "Ikke journalført",
                    new: "Midlertidig registrering (journalnummer \(JournalNumber.format(year: entry.year, sequence: entry.sequence)))"))
            }
        }
        return out
    }

    func write() -> Data {
        var x = XMLWriter()
        x.open("endringslogg", [
            "xmlns": Self.namespace,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": "\(Self.namespace) endringslogg.xsd",
        ])
        for change in changes {
            x.open("endring")
            x.element("referanseArkivenhet", change.unit)
            x.element("referanseMetadata", change.field)
            x.element("endretDato", change.at)
            x.required("endretAv", change.by, fallback: ArkivstrukturWriter.creator)
            x.required("tidligereVerdi", change.old, fallback: "Ikke oppgitt")
            x.required("nyVerdi", change.new, fallback: "Ikke oppgitt")
            x.close()
        }
        x.close()
        return x.data
    }

    /// The space-free word after `marker` in a change-log detail line.
    static func word(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let word = text[range.upperBound...].prefix { $0 != " " && $0 != ";" }
        return word.isEmpty ? nil : String(word)
    }

    /// `old: …; new: …; …` as the review actions write it.
    static func oldNew(_ details: String) -> (old: String, new: String) {
        guard let oldRange = details.range(of: "old: "), let newRange = details.range(of: "; new: ") else {
            return ("Se ny verdi", details)
        }
        let old = String(details[oldRange.upperBound..<newRange.lowerBound])
        let rest = details[newRange.upperBound...]
        let new = rest.range(of: "; ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
        return (old, new + " (\(details))")
    }
}
