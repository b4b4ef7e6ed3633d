import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// What an officer asked to release: items by id, whole case files, or a search.
public enum AccessSelection: Sendable, Hashable {
    case items([ItemReference])
    case cases([String])
    case query(String, from: String?, to: String?)
}

/// Builds an ``AccessAnswer`` from the registry. Screening is `PublicScreening`, the
/// public journal's own: a name the journal screens is left out here, a restricted
/// item's text is withheld, national identity numbers are masked, and each part left
/// out is named with its legal basis.
public struct AccessAnswerBuilder: Sendable {
    public var registry: Registry
    public var agencyName: String
    public var profile: String
    public var language: Language
    public var timeZone: TimeZone

    /// At most this many items in one answer (a search's first hits beyond it are not
    /// silently dropped: the selection is refused).
    public static let maximumItems = 1000

    public init(registry: Registry, agencyName: String, profile: String, language: Language, timeZone: TimeZone) {
        self.registry = registry
        self.agencyName = agencyName
        self.profile = profile
        self.language = language
        self.timeZone = timeZone
    }

    /// The records a selection names, each once, in the order asked (a case's items in
    /// thread order, a search's newest first).
    public func records(_ selection: AccessSelection) throws -> [ItemRecord] {
        var records: [ItemRecord] = []
        switch selection {
        case .items(let references):
            for reference in references {
                guard let detail = try registry.detail(of: reference) else { throw AccessRequestError("No item \(reference) in the registry.") }
                records.append(detail.record)
            }
        case .cases(let numbers):
            for number in numbers {
                let found: [ItemRecord]
                do { found = try registry.items(inCase: number) } catch let error as RegistryError { throw AccessRequestError(error.message) }
                guard !found.isEmpty else { throw AccessRequestError("No case file \(number) in the registry.") }
                records += found
            }
        case .query(let query, let from, let to):
            var filter = SearchFilter()
            filter.from = from
            filter.to = to
            filter.limit = Self.maximumItems + 1
            do { records = try registry.search(query, filter: filter) } catch let error as RegistryError { throw AccessRequestError(error.message) }
            guard !records.isEmpty else { throw AccessRequestError("The search \"\(query)\" finds no item to release.") }
        }
        var seen = Set<String>()
        records = records.filter { seen.insert("\($0.item.account):\($0.item.id)").inserted }
        guard records.count <= Self.maximumItems else {
            throw AccessRequestError("The selection holds more than \(Self.maximumItems) items; narrow it (--from, --to, or a more precise query).")
        }
        return records
    }

    /// The answer to request `reference` for the items `selection` names, read as of one
    /// change-log head, which the answer names.
    public func build(reference: String, selection: AccessSelection, now: Date = Date()) throws -> AccessAnswer {
        let law = AccessLaw.of(profile: profile)
        let (items, head) = try registry.withHead {
            try records(selection).map { try item($0, law: law) }
        }
        return AccessAnswer(agencyName: agencyName, reference: reference, language: language,
                            date: language.dateTime(now, in: timeZone), head: head, items: items)
    }

    private func text(_ key: MessageKey) -> String { Messages.text(key, language) }

    /// One item, screened as the public journal screens it.
    func item(_ record: ItemRecord, law: AccessLaw) throws -> AnsweredItem {
        let item = record.item
        let reference = ItemReference(account: item.account, id: item.id)
        let detail = try registry.detail(of: reference)
        let screening = PublicScreening(access: record.access)
        let basis = record.access.basis ?? law.toBeAssessed
        var withheld: [WithheldPart] = []
        var masked = false

        // The agency's own name is never screened: NA/NM screen the private person.
        var author: String?
        if item.author.agency {
            author = item.author.displayName
        } else if let name = screening.name(item.author.displayName) {
            masked = masked || PublicScreening.holdsNumber(item.author.displayName) || PublicScreening.holdsNumber(item.author.handle ?? "")
            author = name + (item.author.handle.map { " (@\(PublicScreening.masked($0)))" } ?? "")
        } else {
            withheld.append(WithheldPart(what: text(.accessWithheldName), basis: basis))
        }

        var versions: [AnsweredVersion] = []
        // Every captured version, oldest first; the record alone when the versions cannot be read.
        let stored = (detail?.versions ?? []).map { (number: $0.number, item: $0.item, decision: $0.decision) }
        let all = stored.isEmpty ? [(number: record.versions, item: item, decision: record.decision)] : stored
        for version in all {
            // A version its own decision restricted stays withheld even when a later
            // version was decided open.
            var versionScreening = screening
            if let own = version.decision?.access, own.restricted, !screening.withholdsText {
                versionScreening = PublicScreening(access: own)
                if !withheld.contains(where: { $0.what == text(.accessWithheldText) }) {
                    withheld.append(WithheldPart(what: text(.accessWithheldText), basis: own.basis ?? law.toBeAssessed))
                }
            }
            // A platform's CR LF or CR line ends are line breaks to the requester, not the
            // visible stand-ins the terminal-safe cleaning would make of a bare CR.
            let released = versionScreening.text(version.item.text)?
                .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            if released != nil, PublicScreening.holdsNumber(version.item.text) { masked = true }
            let attachments: [String]? = released == nil ? nil : version.item.attachments.map { attachment in
                if let caption = attachment.description, PublicScreening.holdsNumber(caption) { masked = true }
                return attachment.url + (attachment.description.map { " — " + PublicScreening.masked($0) } ?? "")
            }
            versions.append(AnsweredVersion(
                number: version.number, edited: version.number > 1 ? (version.item.editedAt.map { language.dateTime($0, in: timeZone) } ?? "") : nil,
                text: released, attachments: attachments))
        }
        if screening.withholdsText {
            withheld.append(WithheldPart(what: text(.accessWithheldText), basis: basis))
            if all.contains(where: { !$0.item.attachments.isEmpty }) {
                withheld.append(WithheldPart(what: text(.accessWithheldAttachments), basis: basis))
            }
        }
        if masked { withheld.append(WithheldPart(what: text(.accessMaskedNumber), basis: law.nationalIdentityNumber)) }

        let outcome: AccessRequestOutcome = versions.allSatisfy({ $0.text == nil }) ? .withheld : (withheld.isEmpty ? .released : .partly)
        let time = (item.createdAt ?? record.firstCapturedAt).map { language.dateTime($0, in: timeZone) } ?? ""
        let (root, parent) = try context(of: record)
        return AnsweredItem(
            reference: reference, account: item.account, platform: item.platform.rawValue, journalNumber: record.journalNumber,
            caseNumber: record.caseNumber, author: author, time: time, threadRoot: root, inReplyTo: parent, versions: versions,
            deletedOnPlatform: item.deletedAt.map { language.dateTime($0, in: timeZone) }, withheld: withheld, outcome: outcome)
    }

    /// The thread around an item, as one line each for its root and the item it answers:
    /// author and first line, screened by each one's own decision.
    func context(of record: ItemRecord) throws -> (root: String?, parent: String?) {
        let item = record.item
        guard item.inReplyTo != nil || (item.threadRoot != nil && item.threadRoot != item.id) else { return (nil, nil) }
        let thread = try registry.thread(of: ItemReference(account: item.account, id: item.id))
        let rootID = item.threadRoot ?? item.inReplyTo
        let root = thread.first { $0.item.id == rootID }
        let parent = item.inReplyTo == rootID ? nil : thread.first { $0.item.id == item.inReplyTo }
        return (root.map(line), parent.map(line))
    }

    /// An item in one line, as the public journal would show it.
    func line(_ record: ItemRecord) -> String {
        let screening = PublicScreening(access: record.access)
        let author = record.item.author.agency ? record.item.author.displayName
            : (screening.name(record.item.author.displayName) ?? text(.accessScreened))
        // Screened (masked) before it is cut, as the public journal's title is: a number
        // crossing the cut would escape the mask.
        let words = screening.text(record.item.text).map(JournalEntryView.firstLine) ?? text(.accessScreened)
        let time = (record.item.createdAt ?? record.firstCapturedAt).map { language.dateTime($0, in: timeZone) } ?? ""
        return "\(author), \(time): \(words)"
    }
}

/// A request that cannot be answered as asked, in one sentence.
public struct AccessRequestError: UserFacingError, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
