/// The platforms an agency account can live on. The raw values are the
/// `platform` strings of the configuration file and of every JSON contract.
public enum Platform: String, Codable, Sendable, CaseIterable, Hashable {
    case mastodon, bluesky, feed, x, facebook, flickr, youtube
}

/// What an item is in the conversation. Replies and comments are treated alike by
/// the rulebook; the distinction only mirrors the platform's own word.
public enum ItemKind: String, Codable, Sendable, CaseIterable, Hashable {
    case post, reply, comment, message, share
}

/// Who could see the item on the platform. `private` and `direct` items are
/// messages to the agency for the rulebook, whatever their kind.
public enum Visibility: String, Codable, Sendable, CaseIterable, Hashable {
    case `public`, unlisted, `private`, direct
}
