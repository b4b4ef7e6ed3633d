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

    public init(_ record: ItemRecord) {
        item = record.item
        decision = record.decision
        versions = record.versions
        journalNumber = record.journalNumber
        status = record.status
        caseNumber = record.caseNumber
    }

    public init(_ view: JournalEntryView) {
        self.init(view.record)
        item = view.publicItem
        if view.isPublic, var d = decision {
            d.reason = ""
            decision = d
        }
    }

    enum Extra: String, CodingKey { case decision, versions, journalNumber, status, caseNumber }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: Extra.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(versions, forKey: .versions)
        try c.encode(journalNumber, forKey: .journalNumber)
        try c.encode(status, forKey: .status)
        try c.encode(caseNumber, forKey: .caseNumber)
    }
}
