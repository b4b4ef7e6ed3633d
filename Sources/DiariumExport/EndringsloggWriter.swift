import DiariumCore
import DiariumStore
import Foundation

/// Writes endringslogg.xml from the registry's hash-chained change log: the entries
/// about the exported records that change them after capture, each pointing at the
/// registrering's systemID (referanseArkivenhet) and naming **one** metadata element
/// (referanseMetadata, M681), with values from the catalogue's list wherever the element
/// has one:
///
/// - a new version captured (an edit on the platform): versjonsnummer old → new;
/// - a journal number given: journalsekvensnummer from none to the number;
/// - an officer's approval: journalstatus «Midlertidig registrering av innkommet
///   dokument» → «Journalført», and journaldato from none to the day;
/// - an officer's override: one entry per element it changed (journalstatus,
///   journalsekvensnummer, journalposttype, tilgangsrestriksjon, skjermingshjemmel);
/// - a deletion found on the platform: merknad.
///
/// journalstatus values are M053's («Journalført», «Utgår»; a proposal awaiting the
/// officer, the registry's status M, is the service interface's M053 value «Midlertidig
/// registrering av innkommet dokument»), journalposttype M082's, tilgangsrestriksjon
/// M500's. Where an element had no value before (a number not yet given), tidligereVerdi
/// is `noValue`: the schema requires the element, and no code list has a value for
/// "none". Log entries that change no record's metadata (case opening, media downloads,
/// actions this writer does not know) are left out rather than logged under a name that
/// is no element's.
///
/// endringslogg.xsd wants at least one endring; an extract always has one journal post,
/// whose numbering is such a change, so the fallback below only covers a registry whose
/// change log lacks it.
struct EndringsloggWriter {
    static let namespace = "http://www.arkivverket.no/standarder/noark5/endringslogg"
    /// tidligereVerdi of an element that had no value before the change.
    static let noValue = "Ingen verdi"

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

    /// M053 name of a registry journal status (M, J, U).
    static func statusName(_ code: String) -> String {
        switch code {
        case "J": return "Journalført"
        case "U": return "Utgår"
        default: return "Midlertidig registrering av innkommet dokument"
        }
    }

    var changes: [Change] {
        var out: [Change] = []
        // Each subject's journal status at this point of the log (nil: no entry yet).
        // A capture gives the number as a proposal (M); the archiver never journals.
        var statuses: [String: String] = [:]
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
                if let journal = Self.word(after: " number ", in: entry.details), let sequence = Self.sequence(journal) {
                    add("journalsekvensnummer", Self.noValue, sequence)
                    statuses[entry.subject] = "M"
                }
            case "mark-deleted":
                let how = entry.details.components(separatedBy: " evidence ").first ?? entry.details
                add("merknad", "Publisert på plattformen", "Slettet på plattformen (\(how))")
            case "approve":
                add("journalstatus", Self.statusName(statuses[entry.subject] ?? "M"), Self.statusName("J"))
                statuses[entry.subject] = "J"
                if let day = Self.word(after: "journaldato ", in: entry.details) {
                    add("journaldato", Self.noValue, day)
                }
            case "override":
                let (old, new) = Self.overrideFields(entry.details)
                // `; journal YYYY/NNNNNN status S` follows the new decision when the item
                // has a journal entry (the officer's reason comes last, after `why:`).
                if let range = entry.details.range(of: "; journal ") {
                    let part = String(entry.details[range.upperBound...])
                    if let status = Self.word(after: " status ", in: part), status != statuses[entry.subject] {
                        if let before = statuses[entry.subject] {
                            add("journalstatus", Self.statusName(before), Self.statusName(status))
                        } else if let sequence = Self.sequence(String(part.prefix { $0 != " " && $0 != ";" })) {
                            add("journalsekvensnummer", Self.noValue, sequence)
                        }
                        statuses[entry.subject] = status
                    }
                }
                if old["type"] != new["type"], let before = old["type"], let after = new["type"] {
                    add("journalposttype", NoarkExtract.journalPostType(before), NoarkExtract.journalPostType(after))
                }
                if old["restricted"] != new["restricted"] {
                    let name = { (value: String?) in value == "yes" ? NoarkExtract.restrictedValue : Self.noValue }
                    add("tilgangsrestriksjon", name(old["restricted"]), name(new["restricted"]))
                }
                if old["basis"] != new["basis"] {
                    add("skjermingshjemmel", old["basis"] ?? Self.noValue, new["basis"] ?? Self.noValue)
                }
            default:
                continue
            }
        }
        if out.isEmpty {
            for record in extract.journalPosts {
                guard let entry = record.entry else { continue }
                out.append(Change(
                    unit: record.systemID, field: "journalsekvensnummer",
                    at: extract.dateTime(entry.registeredAt ?? extract.exportedAt), by: ArkivstrukturWriter.creator,
                    old: Self.noValue, new: String(entry.sequence)))
            }
        }
        return out
    }

    /// The sequence part of a journal number `YYYY/NNNNNN`, without leading zeros.
    static func sequence(_ journalNumber: String) -> String? {
        guard let part = journalNumber.split(separator: "/").last, let value = Int(part) else { return nil }
        return String(value)
    }

    /// The `key=value` fields of an override's `old: …; new: …` parts, as
    /// `Registry.override` writes them (`journal=yes type=I restricted=yes basis=…`;
    /// the basis, last, may hold spaces).
    static func overrideFields(_ details: String) -> (old: [String: String], new: [String: String]) {
        func part(_ marker: String) -> [String: String] {
            guard let range = details.range(of: marker) else { return [:] }
            let rest = details[range.upperBound...]
            var remaining = rest.range(of: "; ").map { rest[..<$0.lowerBound] } ?? rest
            var fields: [String: String] = [:]
            if let basis = remaining.range(of: " basis=") {
                fields["basis"] = String(remaining[basis.upperBound...])
                remaining = remaining[..<basis.lowerBound]
            }
            for pair in remaining.split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            return fields
        }
        return (part("old: "), part("; new: "))
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
}
