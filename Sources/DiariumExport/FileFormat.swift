import Foundation

/// File names and format codes for captured bodies, from the Content-Type the platform
/// sent. `format` holds the file extension (what Arkade 5 checks), `formatDetaljer` the
/// PRONOM identifier (what the metadata catalogue's M701 names); a type not listed here
/// keeps its MIME type as the details, which is honest rather than guessed.
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

    /// dokumentobjekt/format: the file's extension, lower case, as Arkade 5 (N5.29) reads
    /// it: it reports every file whose name does not end in "." + format. The file name
    /// is built from the same extension, so the two always agree.
    static func format(_ contentType: String?) -> String { fileExtension(contentType) }

    /// dokumentobjekt/formatDetaljer: the PRONOM id the metadata catalogue (M701) asks
    /// for, which Arkade does not accept in `format`; the MIME type when no PRONOM id is
    /// known for it, and nil when the platform sent no type at all.
    static func formatDetails(_ contentType: String?) -> String? {
        guard let mime = mime(contentType) else { return nil }
        if let known = table.first(where: { $0.mime == mime }) { return known.pronom }
        if mime.hasSuffix("+json") { return "fmt/817" }
        if mime.hasSuffix("+xml") { return "fmt/101" }
        return mime
    }
}
