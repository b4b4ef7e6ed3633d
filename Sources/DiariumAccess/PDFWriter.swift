import CPangoCairo
import DiariumCore
import DiariumOutputs
import Foundation
import Synchronization

/// Writes an ``AccessDocument`` as an A4 PDF through Cairo and Pango's C APIs: Pango
/// breaks the lines and shapes the text in DejaVu Sans (found through fontconfig; it has
/// every Nordic and Sámi letter), Cairo embeds the font subsets with their Unicode maps,
/// so the text can be selected and searched. Lines are placed one by one, so a long
/// text runs over pages; every page carries its number and the request's reference.
enum PDFWriter {
    /// A4 in PostScript points.
    static let pageWidth = 595.276, pageHeight = 841.890
    static let margin = 56.7   // 20 mm
    static let footerSpace = 28.0
    static let family = "DejaVu Sans"

    /// Fontconfig and Pango's shared font map are guarded: one document at a time per process.
    private static let lock = Mutex(())

    struct Placed {
        var block: Int
        var line: Int
        var page: Int
        var baseline: Double
    }

    static func font(_ style: AccessDocument.Style) -> String {
        switch style {
        case .title: "\(family) Bold 16"
        case .heading: "\(family) Bold 12"
        case .subheading: "\(family) Bold 10"
        case .withheld: "\(family) Oblique 10"
        case .small, .attachment: "\(family) 8.5"
        case .meta, .fact, .text, .prose: "\(family) 10"
        }
    }

    static func indent(_ style: AccessDocument.Style) -> Double {
        switch style {
        case .text: 10
        case .attachment: 14
        default: 0
        }
    }

    static func spaceBefore(_ style: AccessDocument.Style) -> Double {
        switch style {
        case .title: 0
        case .heading: 16
        case .subheading: 8
        case .prose, .text, .small: 6
        case .withheld: 3
        case .meta, .fact, .attachment: 1
        }
    }

    static func render(_ document: AccessDocument, language: Language, reference: String) throws -> Data {
        try lock.withLock { _ in try renderLocked(document, language: language, reference: reference) }
    }

    private final class Sink {
        var data = Data()
    }

    private static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }

    private static func renderLocked(_ document: AccessDocument, language: Language, reference: String) throws -> Data {
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        guard let surface = cairo_pdf_surface_create_for_stream(write, context.toOpaque(), pageWidth, pageHeight) else {
            throw AccessRequestError("Cairo could not start a PDF.")
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "\(document.title) – \(clean(reference))")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Diarium")
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw AccessRequestError("Cairo could not draw the PDF.")
        }
        let contentWidth = pageWidth - 2 * margin
        // One layout per paragraph, broken into lines at the width it is set in.
        var layouts: [OpaquePointer] = []
        defer { for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) } }
        for block in document.blocks {
            guard let layout = pango_cairo_create_layout(cr) else { throw AccessRequestError("Pango could not lay out the PDF's text.") }
            layouts.append(layout)
            let description = pango_font_description_from_string(font(block.style))
            pango_layout_set_font_description(layout, description)
            pango_font_description_free(description)
            pango_layout_set_width(layout, Int32((contentWidth - indent(block.style)) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_text(layout, clean(block.text), -1)
        }

        // First pass: which line goes on which page, at which height. The page count is
        // then known for the footers ("Side 2 av 5").
        var placed: [Placed] = []
        var page = 1
        var y = margin
        let bottom = pageHeight - margin - footerSpace
        for (index, layout) in layouts.enumerated() {
            let style = document.blocks[index].style
            y += spaceBefore(style)
            let lines = lineMetrics(layout)
            // A heading keeps at least two lines of what follows on its page.
            let keep = (style == .heading || style == .subheading) ? (lines.first?.height ?? 14) * 3 : 0
            if y + keep > bottom && y > margin {
                page += 1
                y = margin
            }
            for (number, line) in lines.enumerated() {
                if y + line.height > bottom && y > margin {
                    page += 1
                    y = margin
                }
                placed.append(Placed(block: index, line: number, page: page, baseline: y + line.baseline))
                y += line.height
            }
        }

        // Second pass: draw, page by page, with the footer.
        let pages = page
        let footer = pango_cairo_create_layout(cr)!
        defer { g_object_unref(UnsafeMutableRawPointer(footer)) }
        let footerFont = pango_font_description_from_string(font(.small))
        pango_layout_set_font_description(footer, footerFont)
        pango_font_description_free(footerFont)
        var current = 1
        cairo_set_source_rgb(cr, 0, 0, 0)
        func drawFooter(_ number: Int) {
            let text = "\(clean(reference)) · \(Messages.text(.accessPage, language, String(number), String(pages)))"
            pango_layout_set_text(footer, text, -1)
            var ink = PangoRectangle(), logical = PangoRectangle()
            pango_layout_get_extents(footer, &ink, &logical)
            let width = Double(logical.width) / Double(PANGO_SCALE)
            cairo_move_to(cr, (pageWidth - width) / 2, pageHeight - margin)
            pango_cairo_show_layout(cr, footer)
        }
        for p in placed {
            while p.page > current {
                drawFooter(current)
                cairo_show_page(cr)
                current += 1
            }
            let style = document.blocks[p.block].style
            guard let line = pango_layout_get_line_readonly(layouts[p.block], Int32(p.line)) else { continue }
            if style == .withheld { cairo_set_source_rgb(cr, 0.53, 0.13, 0.13) } else { cairo_set_source_rgb(cr, 0, 0, 0) }
            cairo_move_to(cr, margin + indent(style), p.baseline)
            pango_cairo_show_layout_line(cr, line)
        }
        cairo_set_source_rgb(cr, 0, 0, 0)
        drawFooter(current)
        cairo_show_page(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw AccessRequestError("Cairo could not finish the PDF: \(String(cString: cairo_status_to_string(status))).")
        }
        return sink.data
    }

    /// Each line's height and baseline (from the line's top), in points.
    static func lineMetrics(_ layout: OpaquePointer) -> [(height: Double, baseline: Double)] {
        var metrics: [(Double, Double)] = []
        guard let iterator = pango_layout_get_iter(layout) else { return [] }
        defer { pango_layout_iter_free(iterator) }
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &logical)
            let baseline = Double(pango_layout_iter_get_baseline(iterator) - logical.y) / Double(PANGO_SCALE)
            metrics.append((Double(logical.height) / Double(PANGO_SCALE), baseline))
        } while pango_layout_iter_next_line(iterator) != 0
        return metrics
    }

    /// Text from the platforms with control characters shown as pictures (a NUL would
    /// end the C string; others are no text).
    static func clean(_ text: String) -> String { TerminalText.clean(text) }
}
