import Foundation

/// File names and format codes for captured bodies, from the Content-Type the platform
/// sent. Noark 5 format codes are PRONOM identifiers (TG vedlegg 4); a type not listed
/// here keeps its MIME type as the format, which is honest rather than guessed.
enum FileFormat {
    private static let table: [(mime: String, ext: String, pronom: String)] = [
        ("application/json", "json", "fmt/817"),
        ("application/activity+json", "json", "fmt/817"),
        ("application/feed+json", "json", "fmt/817"),
        ("application/rss+xml", "xml", "fmt/101"),
        ("application/atom+xml", "xml", "fmt/101"),
        ("application/xml", "xml", "fmt/101"),
        ("text/xml", "xml", "fmt/101"),
        ("text/html", "html", "fmt/471"),
        ("text/plain", "txt", "x-fmt/111"),
        ("image/png", "png", "fmt/13"),
        ("image/jpeg", "jpg", "fmt/43"),
        ("image/gif", "gif", "fmt/4"),
        ("image/webp", "webp", "fmt/567"),
        ("video/mp4", "mp4", "fmt/199"),
    ]

    /// The MIME type alone, lower case, parameters dropped.
    static func mime(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let bare = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return bare.isEmpty ? nil : bare
    }

    static func fileExtension(_ contentType: String?) -> String {
        guard let mime = mime(contentType) else { return "bin" }
        if let known = table.first(where: { $0.mime == mime }) { return known.ext }
        if mime.hasSuffix("+json") { return "json" }
        if mime.hasSuffix("+xml") { return "xml" }
        return "bin"
    }

    /// The format element's value: a PRONOM id, else the MIME type, else octet-stream.
    static func format(_ contentType: String?) -> String {
        guard let mime = mime(contentType) else { return "application/octet-stream" }
        if let known = table.first(where: { $0.mime == mime }) { return known.pronom }
        if mime.hasSuffix("+json") { return "fmt/817" }
        if mime.hasSuffix("+xml") { return "fmt/101" }
        return mime
    }
}
