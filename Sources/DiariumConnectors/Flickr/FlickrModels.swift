import Foundation

/// The Flickr REST shapes the connector reads (`format=json&nojsoncallback=1`), with
/// only the fields an archive needs. Flickr answers errors with HTTP 200 and
/// `{"stat": "fail", "code": 1, "message": "…"}`, so every response type carries
/// `stat`, `code` and `message` and its payload is optional.
protocol FlickrEnvelope: Decodable {
    var stat: String { get }
    var code: Int? { get }
    var message: String? { get }
}

/// `{"_content": "…"}`, Flickr's wrapper for text.
public struct FlickrText: Decodable, Sendable, Hashable {
    public var _content: String?
}

/// Flickr sends some counters as numbers and some as strings (`"total": "12"`).
public struct FlickrNumber: Decodable, Sendable, Hashable {
    public var value: Int

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let int = try? c.decode(Int.self) {
            value = int
        } else if let int = Int(try c.decode(String.self)) {
            value = int
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number")
        }
    }
}

/// A photo of `flickr.people.getPublicPhotos` with
/// `extras=date_upload,last_update,description,url_o,media,owner_name,tags`.
public struct FlickrPhoto: Decodable, Sendable, Hashable {
    public var id: String
    public var owner: String?
    public var secret: String?
    public var server: String?
    public var title: String?
    public var description: FlickrText?
    /// Unix seconds, as a string.
    public var dateupload: String?
    /// Unix seconds of the last change (title, description, tags, also new comments).
    public var lastupdate: String?
    public var ownername: String?
    public var url_o: String?
    /// `photo` or `video`.
    public var media: String?
    /// The tags, space-separated, in Flickr's clean form (`tags` extra).
    public var tags: String?
}

struct FlickrPhotoList: FlickrEnvelope {
    struct Photos: Decodable {
        var page: FlickrNumber
        var pages: FlickrNumber
        var photo: [FlickrPhoto]
    }

    var stat: String
    var code: Int?
    var message: String?
    var photos: Photos?
}

/// `flickr.photos.getInfo`: the same photo in another shape.
public struct FlickrPhotoInfo: Decodable, Sendable, Hashable {
    public struct Owner: Decodable, Sendable, Hashable {
        public var nsid: String
        public var username: String?
        public var realname: String?
        public var path_alias: String?
    }

    public struct Dates: Decodable, Sendable, Hashable {
        public var posted: String?
        public var lastupdate: String?
    }

    public var id: String
    public var secret: String?
    public var server: String?
    public var originalsecret: String?
    public var originalformat: String?
    public var dateuploaded: String?
    public var owner: Owner?
    public var title: FlickrText?
    public var description: FlickrText?
    public var dates: Dates?
    public var media: String?
    public var tags: Tags?

    /// `{"tag": [{"raw": "Storgata office", "_content": "storgataoffice", …}]}`.
    public struct Tags: Decodable, Sendable, Hashable {
        public struct Tag: Decodable, Sendable, Hashable {
            /// The clean form, as the `tags` extra of a photo list gives it.
            public var _content: String?
            /// As the owner typed it.
            public var raw: String?
        }

        public var tag: [Tag]?
    }
}

struct FlickrPhotoInfoResponse: FlickrEnvelope {
    var stat: String
    var code: Int?
    var message: String?
    var photo: FlickrPhotoInfo?
}

/// A comment of `flickr.photos.comments.getList`. Flickr comments are flat: there is
/// no reply-to field, so every comment answers the photo.
public struct FlickrComment: Decodable, Sendable, Hashable {
    public var id: String
    /// The commenter's NSID.
    public var author: String?
    public var authorname: String?
    public var realname: String?
    public var path_alias: String?
    /// Unix seconds, as a string.
    public var datecreate: String?
    public var permalink: String?
    /// The comment, with Flickr's light HTML (links).
    public var _content: String?
}

struct FlickrCommentList: FlickrEnvelope {
    struct Comments: Decodable {
        var photo_id: String?
        /// Absent when the photo has no comments.
        var comment: [FlickrComment]?
    }

    var stat: String
    var code: Int?
    var message: String?
    var comments: Comments?
}
