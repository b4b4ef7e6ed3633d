import DiariumCore
import DiariumOutputs
import DiariumStore
import Foundation

/// The answer to one access request (innsynskrav / begäran om allmän handling), already
/// screened: every string in it may be handed to the requester. The renderers (PDF,
/// HTML, CSV) only lay it out, so no format can show more than another.
public struct AccessAnswer: Sendable {
    public var agencyName: String
    /// The request's reference, as the requester or the agency's case system wrote it.
    public var reference: String
    public var language: Language
    /// When the answer was made, written in the agency's time zone and the language.
    public var date: String
    /// The change log's head the answer was made from.
    public var head: ChainHead?
    public var items: [AnsweredItem]

    /// Every withheld part of every item, with its basis: what the closing section and the
    /// change log list.
    public var withheld: [WithheldPart] { items.flatMap(\.withheld) }
}

/// One item of the answer as released.
public struct AnsweredItem: Sendable {
    /// `ACCOUNT:ID`, which the change log records (an account key and a platform's id,
    /// never a person's name).
    public var reference: ItemReference
    public var account: String
    public var platform: String
    public var journalNumber: String?
    public var caseNumber: String?
    /// The author as published; nil when withheld.
    public var author: String?
    /// When it was written (or first captured), in the answer's language.
    public var time: String
    /// The thread around it, each line as the public journal shows an item: the root
    /// post, and the item it answers when that is not the root.
    public var threadRoot: String?
    public var inReplyTo: String?
    /// Oldest first: every captured version of an edited item.
    public var versions: [AnsweredVersion]
    /// When the platform no longer had it, in the answer's language.
    public var deletedOnPlatform: String?
    public var withheld: [WithheldPart]
    public var outcome: AccessRequestOutcome
}

public struct AnsweredVersion: Sendable {
    public var number: Int
    /// When the version was edited, in the answer's language; nil for the first.
    public var edited: String?
    /// The text as released (national identity numbers masked); nil when withheld.
    public var text: String?
    /// The attachments as released: address and caption; nil when withheld.
    public var attachments: [String]?
}

/// A part left out of an item, named with its legal basis as such answers are written.
public struct WithheldPart: Sendable, Hashable {
    /// What was left out, in the answer's language ("Avsenderens navn er avskjermet").
    public var what: String
    /// The legal basis (`offl. § 13 jf. fvl. § 13 første ledd nr. 1`, `OSL 21 kap. 7 §`).
    public var basis: String
}

/// The legal basis an answer names where the decision gives none: the law of the
/// agency's profile.
public struct AccessLaw: Sendable, Hashable {
    /// For national identity numbers masked in released text.
    public var nationalIdentityNumber: String
    /// For a restriction whose basis is still to be assessed.
    public var toBeAssessed: String

    public static func of(profile: String) -> AccessLaw {
        profile == "se"
            ? AccessLaw(nationalIdentityNumber: "OSL 21 kap. 7 §", toBeAssessed: "OSL 21 kap. 1 §")
            : AccessLaw(nationalIdentityNumber: "offl. § 26 femte ledd", toBeAssessed: "offl. § 13 jf. fvl. § 13 første ledd nr. 1")
    }
}

extension AccessRequestOutcome {
    /// The words for the outcome in the answer's language (its heading, its CSV cell).
    public var messageKey: MessageKey {
        switch self {
        case .released: .accessReleased
        case .partly: .accessPartly
        case .withheld: .accessWithheld
        }
    }
}
