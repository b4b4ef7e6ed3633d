/// The person or organisation that wrote an item. `agency` is true when the item
/// comes from the archived account itself: it decides incoming versus outgoing.
public struct Author: Codable, Sendable, Hashable {
    public var id: String
    public var handle: String?
    public var name: String?
    public var agency: Bool

    public init(id: String, handle: String? = nil, name: String? = nil, agency: Bool) {
        self.id = id
        self.handle = handle
        self.name = name
        self.agency = agency
    }

    enum CodingKeys: String, CodingKey { case id, handle, name, agency }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        handle = try c.decodeIfPresent(String.self, forKey: .handle)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        agency = try c.decodeIfPresent(Bool.self, forKey: .agency) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(handle, forKey: .handle)
        try c.encode(name, forKey: .name)
        try c.encode(agency, forKey: .agency)
    }

    /// The name a journal shows for this author: the display name, else the handle, else the id.
    public var displayName: String {
        if let name, !name.isEmpty { return name }
        if let handle, !handle.isEmpty { return handle }
        return id
    }
}

/// A file attached to an item (image, video, document), as the platform announced it.
public struct Attachment: Codable, Sendable, Hashable {
    public var url: String
    public var mediaType: String?
    /// Alt text or caption, kept because it is part of what the public saw.
    public var description: String?

    public init(url: String, mediaType: String? = nil, description: String? = nil) {
        self.url = url
        self.mediaType = mediaType
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case url, mediaType, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? ""
        mediaType = try c.decodeIfPresent(String.self, forKey: .mediaType)
        description = try c.decodeIfPresent(String.self, forKey: .description)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(description, forKey: .description)
    }
}
