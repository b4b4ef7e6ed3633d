import DiariumCore
import Foundation

/// A post shown inside another one: the post a quote quotes, or the post a share
/// (repost, retweet, shared story) puts on the account. Its identity and text are part
/// of what the public saw, so they go into the item's text as one line of a fixed form,
/// the same on every platform:
///
///     Quoting @handle (Name): the quoted text — https://…
///     Sharing @handle (Name): the shared text — https://…
///
/// The fields are the ones a structured `shared` value of `Item` would hold (author id,
/// handle, name; the post's id and web address; its text), so the line can give way to
/// that value without going back to the platforms' shapes.
struct EmbeddedPost: Sendable, Hashable {
    enum Relation: String, Sendable {
        case quoting = "Quoting"
        case sharing = "Sharing"
    }

    var authorID: String?
    var handle: String?
    var name: String?
    /// The platform's id of the post (an at-uri, a tweet id, a Graph post id).
    var id: String
    /// Its public web address, when the platform gives or implies one.
    var url: String?
    /// Its plain text, links expanded as in the item's own text.
    var text: String
    /// False when the platform says the post is gone or hidden (deleted, blocked).
    var available: Bool = true

    /// `@handle (Name)`, `@handle`, `Name`, or nil when neither is known. A handle is
    /// written with one leading `@` whether or not the platform gave one.
    var byline: String? {
        let handle = self.handle.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.flatMap { $0.isEmpty ? nil : $0 }
        let name = self.name.flatMap { $0.isEmpty ? nil : $0 }
        switch (handle, name) {
        case let (handle?, name?) where name != handle && name != "@" + handle: return "@\(handle) (\(name))"
        case let (handle?, _): return "@\(handle)"
        case let (nil, name?): return name
        case (nil, nil): return nil
        }
    }

    /// The line for the item's text, e.g. `Quoting @kommunen (Eksempel kommune): … — https://…`.
    /// An unavailable post is named by its address only: `Quoting an unavailable post — …`.
    func line(_ relation: Relation) -> String {
        let address = url.flatMap { $0.isEmpty ? nil : $0 } ?? id
        guard available else { return "\(relation.rawValue) an unavailable post — \(address)" }
        var line = relation.rawValue
        if let byline { line += " \(byline)" }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { line += ": \(text)" }
        return line + " — \(address)"
    }

    /// The same post as the item's structured `shared` or `quoted` value (DiariumCore's
    /// `SharedPost`), so its identity is kept as data, not only as a line of text.
    /// `agency` marks the agency's own post (a share or quote of itself).
    func sharedPost(agencyID: String?) -> SharedPost {
        let known = authorID != nil || handle != nil || name != nil
        let author = known ? Author(id: authorID ?? "", handle: handle, name: name, agency: authorID != nil && authorID == agencyID) : nil
        return SharedPost(id: id, url: url, author: author, state: available ? nil : "unavailable")
    }

    /// `text` followed by a blank line and `line`, or `line` alone when `text` is empty.
    static func append(_ line: String, to text: String) -> String {
        text.isEmpty ? line : "\(text)\n\n\(line)"
    }
}
