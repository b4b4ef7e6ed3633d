import DiariumCore
import DiariumOutputs
import Foundation
import Hummingbird

/// Helpers for writing HTML by hand. Everything that did not come from this file's own
/// literals goes through `escape`: posts come from the internet, and the platform's HTML
/// is never rendered as HTML.
enum HTML {
    static func escape(_ text: String) -> String { Escape.html(text) }

    /// A value for a URL query, percent-encoded; the caller still HTML-escapes the URL.
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The item page's address for an item.
    static func itemURL(account: String, id: String) -> String {
        "/item?account=\(query(account))&id=\(query(id))"
    }

    /// A link only for http(s) addresses: a hostile `javascript:` URL stays text.
    static func externalLink(_ url: String?) -> String {
        guard let url else { return "" }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return escape(url) }
        return "<a href=\"\(escape(url))\" rel=\"noopener noreferrer nofollow\">\(escape(url))</a>"
    }
}

/// The frame of every page: header with the user and logout, navigation, and the
/// page's content. No JavaScript anywhere; the style is inline so the page is one file.
enum PageLayout {
    static let style = """
        body { font-family: "DejaVu Sans", sans-serif; font-size: 14px; margin: 0; color: #111; background: #fafafa; }
        header { background: #1f3a5f; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
        header a { color: #fff; }
        header .who { margin-left: auto; }
        header form { display: inline; }
        main { padding: 12px 16px; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { border-bottom: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
        th { background: #e8edf3; }
        .muted { color: #666; }
        .error { background: #fde8e8; border: 1px solid #c33; padding: 6px 10px; margin-bottom: 10px; }
        .versions { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(260px, 1fr); gap: 10px; overflow-x: auto; }
        .version { background: #fff; border: 1px solid #ccc; padding: 8px; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; }
        ins { background: #cfc; text-decoration: none; }
        del { background: #fcc; }
        form.inline { display: inline; }
        form.override { margin-top: 4px; }
        input[type=text] { width: 18em; }
        .status-M { color: #a60; font-weight: bold; }
        .status-J { color: #070; font-weight: bold; }
        .context { font-size: 12px; margin-top: 3px; padding-left: 6px; border-left: 3px solid #ccd; overflow-wrap: anywhere; }
        """

    /// A page in the agency's `language`: its words, and `<html lang>` so that a screen
    /// reader reads it with the right voice and the browser hyphenates it rightly.
    static func page(title: String, session: ActiveSession?, language: Language, body: String) -> String {
        func t(_ key: MessageKey) -> String { HTML.escape(Messages.text(key, language)) }
        var header = "<strong>Diarium</strong>"
        if let session {
            header += """
                <nav><a href="/journal">\(t(.journalWord))</a> · <a href="/queue">\(t(.webNavQueue))</a> · <a href="/public">\(t(.journalPublicWord))</a> · <a href="/innsyn">\(t(.webNavAccess))</a> · <a href="/disposal">\(t(.webNavDisposal))</a></nav>
                <span class="who">\(HTML.escape(session.userName)) (\(session.role.rawValue))</span>
                <form method="post" action="/logout">\(CSRF.hiddenField(session.csrfToken))<button type="submit">\(t(.webLogOut))</button></form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language.tag)"><head><meta charset="utf-8"><title>\(HTML.escape(title)) – Diarium</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head>
            <body><header>\(header)</header>
            <main><h1>\(HTML.escape(title))</h1>
            \(body)
            </main></body></html>

            """
    }

    /// An HTML response; every page is private and never cached.
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A short page explaining a refusal or a failed action, with a way back.
    static func message(_ title: String, _ text: String, session: ActiveSession?, language: Language, status: HTTPResponse.Status, back: String = "/queue") -> Response {
        response(page(title: title, session: session, language: language, body: """
            <p class="error">\(HTML.escape(text))</p><p><a href="\(HTML.escape(back))">\(HTML.escape(Messages.text(.webBack, language)))</a></p>
            """), status: status)
    }
}

/// Headers on every response: no script may run even if escaping were ever missed
/// (the page has none), no framing, no MIME sniffing, no referrer leaking item URLs.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
