import DiariumCore
import DiariumStore

/// The JSON line of DESIGN.md for `search`, `journal` and `review list`: the normalised
/// item's keys plus `decision`, `versions`, `journalNumber` and `status`.
public struct RecordJSON: Encodable {
    public var item: Item
    public var decision: Decision?
    public var versions: Int
    public var journalNumber: String?
    public var status: JournalStatus?
    public var caseNumber: String?
    /// What of the stored item could not be read, one sentence each; the key appears only
    /// on such a row (a sound row's line is unchanged), and never in public.
    public var damaged: [String]

    public init(_ record: ItemRecord) {
        item = record.item
        // One truth for the status: the journal entry's. The stored decision keeps the
        // status the rulebook proposed (M), and an approval changes only the entry, so
        // after one `decision.status` said M while the top-level `status` said J.
        decision = record.decision.map { stored in
            var d = stored
            d.status = record.status
            return d
        }
        versions = record.versions
        journalNumber = record.journalNumber
        status = record.status
        caseNumber = record.caseNumber
        damaged = record.damaged.map(\.description)
    }

    public init(_ view: JournalEntryView) {
        self.init(view.record)
        item = view.publicItem
        if view.isPublic {
            damaged = []
            if var d = decision {
                d.reason = ""
                decision = d
            }
        }
    }

    enum Extra: String, CodingKey { case decision, versions, journalNumber, status, caseNumber, damaged }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: Extra.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(versions, forKey: .versions)
        try c.encode(journalNumber, forKey: .journalNumber)
        try c.encode(status, forKey: .status)
        try c.encode(caseNumber, forKey: .caseNumber)
        if !damaged.isEmpty { try c.encode(damaged, forKey: .damaged) }
    }
}
