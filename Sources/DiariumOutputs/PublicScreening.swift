import DiariumCore

/// What the public may see of an item, decided from its access restriction: the one
/// piece of screening that the public journal (`JournalEntryView`) and every answer to
/// an access request use, so a name, a text or a national identity number the journal
/// screens is screened in the answer too, by the same code.
///
/// - The author's (or recipient's) name is left out when the decision screens names (NA, NM).
/// - The text (title, body, attachments) is left out when the item is restricted or its
///   title words are screened (TRO, TR1).
/// - Whatever is shown has every valid national identity number masked.
public struct PublicScreening: Sendable, Hashable {
    public var access: Access

    public init(access: Access) {
        self.access = access
    }

    /// Whether the name of the item's author (or the recipient of an agency answer) is left out.
    public var withholdsName: Bool { access.screensName }

    /// Whether the item's text is left out: not a word of a restricted item is shown.
    public var withholdsText: Bool { access.restricted || access.screensTitle }

    /// `text` as it may be shown: national identity numbers masked.
    public static func masked(_ text: String) -> String { NationalIdentityNumber.mask(text) }

    /// Whether `text` holds a national identity number that ``masked(_:)`` hides.
    public static func holdsNumber(_ text: String) -> Bool { !NationalIdentityNumber.find(in: text).isEmpty }

    /// The text as the public sees it: nil when withheld, else masked.
    public func text(_ text: String) -> String? {
        withholdsText ? nil : Self.masked(text)
    }

    /// The name as the public sees it: nil when withheld, else masked.
    public func name(_ name: String) -> String? {
        withholdsName ? nil : Self.masked(name)
    }
}
