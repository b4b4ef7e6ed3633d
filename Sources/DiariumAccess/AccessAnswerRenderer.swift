import DiariumCore
import DiariumOutputs
import Foundation

/// The formats an answer is written in.
public enum AccessFormat: String, Sendable, CaseIterable, Hashable {
    case pdf, html, csv

    /// The MIME type a web page sends it with.
    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .html: "text/html; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}

/// Writes an ``AccessAnswer`` in one of the formats. Every format is laid out from the
/// screened answer only: text from the platforms is escaped in HTML, cleaned of control
/// characters in CSV cells (`Escape.csv`) and in the PDF (`TerminalText.clean`).
public enum AccessAnswerRenderer {
    public static func render(_ answer: AccessAnswer, as format: AccessFormat) throws -> Data {
        switch format {
        case .pdf: return try PDFWriter.render(AccessDocument(answer), language: answer.language, reference: answer.reference)
        case .html: return Data(html(answer).utf8)
        case .csv: return Data(csv(answer).utf8)
        }
    }

    public static func html(_ answer: AccessAnswer) -> String {
        let document = AccessDocument(answer)
        let h = Escape.html
        var body = ""
        for block in document.blocks {
            // Line breaks inside released text are kept (pre-wrap), never markup.
            switch block.style {
            case .title: body += "<h1>\(h(block.text))</h1>\n"
            case .meta: body += "<p class=\"meta\">\(h(block.text))</p>\n"
            case .heading: body += "<h2>\(h(block.text))</h2>\n"
            case .subheading: body += "<h3>\(h(block.text))</h3>\n"
            case .fact: body += "<p class=\"fact\">\(h(block.text))</p>\n"
            case .text: body += "<p class=\"text\">\(h(block.text))</p>\n"
            case .withheld: body += "<p class=\"withheld\">\(h(block.text))</p>\n"
            case .attachment: body += "<p class=\"attachment\">\(h(block.text))</p>\n"
            case .prose: body += "<p>\(h(block.text))</p>\n"
            case .small: body += "<footer><small>\(h(block.text))</small></footer>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="\(answer.language.tag)"><head><meta charset="utf-8"><title>\(h(document.title)) – \(h(answer.reference))</title>
            <style>
            @page { size: A4; margin: 20mm; }
            body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; max-width: 170mm; }
            .meta { margin: 0; }
            .fact { margin: 0; color: #333; }
            .text { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 3px solid #999; padding-left: 6px; }
            .withheld { font-style: italic; color: #822; }
            .attachment { margin: 0 0 0 1em; overflow-wrap: anywhere; }
            h2 { font-size: 12pt; border-bottom: 1px solid #000; margin-top: 18px; }
            h3 { font-size: 10pt; }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    /// The header, in the answer's language like the rest of the document (English keeps
    /// the names it had before the answer spoke other languages).
    static let csvColumns: [MessageKey] = [
        .accessColumnRequest, .accessColumnDocument, .accessColumnOutcome, .accessColumnAccount, .accessColumnPlatform,
        .accessColumnID, .accessColumnJournalNumber, .accessColumnCase, .accessColumnAuthor, .accessColumnTime,
        .accessColumnThreadRoot, .accessColumnInReplyTo, .accessColumnVersion, .accessColumnEdited, .accessColumnText,
        .accessColumnAttachments, .accessColumnDeleted, .accessColumnWithheld, .accessColumnBasis,
    ]

    /// One row per released version; the withheld parts and their bases on every row of the item.
    public static func csv(_ answer: AccessAnswer) -> String {
        let screened = Messages.text(.accessScreened, answer.language)
        var out = csvColumns.map { Escape.csv(Messages.text($0, answer.language)) }.joined(separator: ",") + "\r\n"
        for (index, item) in answer.items.enumerated() {
            for version in item.versions {
                let cells = [
                    answer.reference, String(index + 1), Messages.text(item.outcome.messageKey, answer.language), item.account, item.platform, item.reference.id,
                    item.journalNumber ?? "", item.caseNumber ?? "", item.author ?? screened, item.time,
                    item.threadRoot ?? "", item.inReplyTo ?? "", String(version.number), version.edited ?? "",
                    version.text ?? screened, version.attachments?.joined(separator: "\n") ?? (version.text == nil ? screened : ""),
                    item.deletedOnPlatform ?? "", item.withheld.map(\.what).joined(separator: "\n"),
                    item.withheld.map(\.basis).joined(separator: "\n"),
                ]
                out += cells.map(Escape.csv).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}
