import DiariumCore
import DiariumStore
import Foundation

/// One line of a journal as a reader sees it: internal (every field) or public
/// (screened). All screening happens here, once, so every format (text, CSV, JSON,
/// HTML) shows exactly the same public content.
public struct JournalEntryView: Sendable {
    public var record: ItemRecord
    public var isPublic: Bool
    /// The language of the words the view makes (the correspondent "the public", a
    /// title standing in for a screened or empty text, the reason of an undecided item).
    public var language: Language
    /// The agency's time zone: with one, ``date`` is written in the language's form in
    /// that zone (`20.11.2026 09:12`); without, as the RFC 3339 UTC time exports use.
    public var timeZone: TimeZone?

    public init(record: ItemRecord, isPublic: Bool, language: Language = .en, timeZone: TimeZone? = nil) {
        self.record = record
        self.isPublic = isPublic
        self.language = language
        self.timeZone = timeZone
    }

    var item: Item { record.item }
    /// The decision's access; everything screened when the stored decision could not be read.
    var access: Access { record.access }
    /// What the public may see, decided once for the journal and access-request answers alike.
    public var screening: PublicScreening { PublicScreening(access: access) }

    public static let screened = "******"

    /// I for incoming, U for outgoing, from the decision (or the direction when undecided).
    public var type: String { record.decision?.type.rawValue ?? (item.author.agency ? "U" : "I") }

    /// The correspondent (korrespondansepart): the sender of an incoming item, the
    /// recipient of an agency answer, the public for an agency post.
    public var correspondent: String {
        if item.author.agency {
            if isPublic && screening.withholdsName { return Self.screened }
            if let recipient = record.answeredAuthor, !recipient.agency { return recipient.displayName }
            return Messages.text(.journalThePublic, language)
        }
        if isPublic && screening.withholdsName { return Self.screened }
        let name = item.author.displayName
        return name.isEmpty && itemUnreadable ? Messages.text(.journalUnreadable, language) : name
    }

    /// Shown for what a damaged row's item JSON held (its text, its author).
    public static let unreadable = "(could not be read)"

    /// Whether the item's current version could not be read (`ItemRecord.damaged`): it then
    /// shows its facts only, and says so rather than looking empty.
    var itemUnreadable: Bool { record.damaged.contains { $0.part == .item } }

    /// The title: the text's first line, shortened. In public, a restricted item shows no
    /// word of its text, and national identity numbers are always masked.
    public var title: String {
        if isPublic && screening.withholdsText {
            return Messages.text(.journalViaScreened, language, kindWord, item.platform.rawValue)
        }
        // Masked before it is cut: a national identity number that crossed the cut would
        // no longer be a whole number for the mask to find, and its first digits would show.
        let shortened = Self.firstLine(of: isPublic ? PublicScreening.masked(item.text) : item.text)
        return shortened.isEmpty
            ? Messages.text(.journalVia, language, kindWord, item.platform.rawValue) + (itemUnreadable ? " " + Messages.text(.journalUnreadable, language) : "")
            : shortened
    }

    /// The text's first non-empty line, at most 120 characters. Lines are found in the
    /// UTF-8 bytes (a "\n" not after "\r" is exactly where the Character split breaks;
    /// "\r\n" is one Character there and does not split), and a line of at most 120
    /// bytes has at most 120 characters, so only a long line pays for counting them.
    public static func firstLine(of text: String) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var previous: UInt8 = 0
        var index = start
        var line: Substring?
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A && previous != 0x0D {
                if index != start { line = text[start..<index]; break }
                start = utf8.index(after: index)
            }
            previous = byte
            index = utf8.index(after: index)
        }
        let first = line ?? (start != utf8.endIndex ? text[start...] : "")
        if first.utf8.count <= 120 { return String(first) }
        return first.count > 120 ? String(first.prefix(119)) + "…" : String(first)
    }

    /// The item's kind as a word of the language, capitalised ("Comment", "Kommentar").
    public var kindWord: String { Self.kindWord(item.kind, language) }

    public static func kindWord(_ kind: ItemKind, _ language: Language) -> String {
        switch kind {
        case .post: Messages.text(.kindPost, language)
        case .reply: Messages.text(.kindReply, language)
        case .comment: Messages.text(.kindComment, language)
        case .message: Messages.text(.kindMessage, language)
        case .share: Messages.text(.kindShare, language)
        }
    }

    /// When the item was created (else first captured): in the language's form in the
    /// agency's zone when the view has one, else RFC 3339 UTC.
    public var date: String {
        guard let date = item.createdAt ?? record.firstCapturedAt else { return "" }
        guard let timeZone else { return Self.format(date) }
        return language.dateTime(date, in: timeZone)
    }

    /// `Timestamp.format`, written straight into one string: a journal formats one date
    /// per line, and the padded pieces of the general formatter were a tenth of
    /// rendering a busy day. Years outside 0…9999 take the general formatter.
    static func format(_ date: Date) -> String {
        let c = Timestamp.components(date)
        guard (0...9999).contains(c.year) else { return Timestamp.format(date) }
        let length = c.millisecond == 0 ? 20 : 24
        return String(unsafeUninitializedCapacity: length) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for k in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[k] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(c.year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(c.month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(c.day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(c.hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(c.minute, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(c.second, 2, at: 17)
            if c.millisecond != 0 {
                buffer[19] = UInt8(ascii: ".")
                put(c.millisecond, 3, at: 20)
            }
            buffer[length - 1] = UInt8(ascii: "Z")
            return length
        }
    }

    public var journaled: Bool { record.journalNumber != nil }

    public var reason: String {
        if let decision = record.decision { return decision.reason }
        return Messages.text(record.access.restricted ? .journalDecisionUnreadable : .journalNotDecided, language)
    }

    /// The item as JSON keys for `--format json`: in public, screened fields are null and
    /// the text is the public title.
    public var publicItem: Item {
        guard isPublic else { return item }
        var copy = item
        copy.text = title
        copy.attachments = []
        // The public journal names the entry by its title only: a poll is more of the
        // text, and a shared or quoted post names another person.
        copy.poll = nil
        copy.shared = nil
        copy.quoted = nil
        if screening.withholdsName || access.restricted {
            copy.author = Author(id: "", handle: nil, name: nil, agency: item.author.agency)
            copy.url = nil
        } else {
            copy.author.name = copy.author.name.map(PublicScreening.masked)
        }
        return copy
    }
}
