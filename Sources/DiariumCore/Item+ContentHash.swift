extension Item {
    /// The content fingerprint that decides whether a capture is a new version: what a
    /// reader sees (kind, visibility, reply target, text, attachments with their alt text,
    /// the poll), not when it was fetched. The registry keeps one version per fingerprint
    /// (`UNIQUE(itemId, contentHash)`); a harvest compares fingerprints to tell a revision
    /// read from an edit history from the live post it stands for.
    ///
    /// A part added later is appended only when the item has it, so the fingerprint of
    /// every item without one stays what registries already hold. The poll's closing
    /// time is kept out: Mastodon's edit history does not carry it and a server moves it
    /// on every edit, so a revision read back from the history could never match the
    /// version first stored from the live post. Neither is `shared` or `quoted`: a boost
    /// cannot be re-pointed, and a quote that changes shows in the quoting text.
    public var contentHash: String {
        // The fields joined by U+001E (attachment fields by U+001F), built as bytes:
        // the same bytes `joined(separator:)` made, without the intermediate strings.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 64)
        bytes.append(contentsOf: kind.rawValue.utf8)
        bytes.append(0x1E)
        bytes.append(contentsOf: (visibility?.rawValue ?? "").utf8)
        bytes.append(0x1E)
        bytes.append(contentsOf: (inReplyTo ?? "").utf8)
        bytes.append(0x1E)
        bytes.append(contentsOf: text.utf8)
        for a in attachments {
            bytes.append(0x1E)
            bytes.append(contentsOf: a.url.utf8)
            bytes.append(0x1F)
            bytes.append(contentsOf: (a.mediaType ?? "").utf8)
            bytes.append(0x1F)
            bytes.append(contentsOf: (a.description ?? "").utf8)
        }
        // The poll, after U+001D (which no earlier part starts with): how many may be
        // chosen, then each option after U+001F.
        if let poll {
            bytes.append(0x1D)
            bytes.append(contentsOf: (poll.multiple ? "poll:multiple" : "poll:single").utf8)
            for option in poll.options {
                bytes.append(0x1F)
                bytes.append(contentsOf: option.utf8)
            }
        }
        return SHA256.hexDigest(bytes)
    }
}
