import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a feed document. The RSS and Atom parsers read fields from this tree
/// rather than from the parser's event stream, so a field is only ever taken from its
/// own place: an entry's `<title>` is a child of the entry, never the `<title>` of the
/// `<source>` or `<image>` nested inside it.
final class XMLFeedElement {
    enum Node {
        case element(XMLFeedElement)
        case text(String)
    }

    /// The local name (`creator` for `dc:creator`).
    let name: String
    /// The namespace URI; "" when the element is in none.
    let namespace: String
    /// As the parser reports them: prefixed names keep their prefix (`xml:lang`, `rdf:about`).
    let attributes: [String: String]
    private(set) var children: [Node] = []

    init(name: String, namespace: String, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    func append(_ element: XMLFeedElement) {
        children.append(.element(element))
    }

    func append(text: String) {
        if case .text(let previous)? = children.last {
            children[children.count - 1] = .text(previous + text)
        } else {
            children.append(.text(text))
        }
    }

    /// The child elements, in order.
    var elements: [XMLFeedElement] {
        children.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    /// The child elements called `name` in one of `namespaces`.
    func elements(_ name: String, in namespaces: Set<String>) -> [XMLFeedElement] {
        elements.filter { $0.name == name && namespaces.contains($0.namespace) }
    }

    /// The first child element called `name` in one of `namespaces`.
    func first(_ name: String, in namespaces: Set<String>) -> XMLFeedElement? {
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) { return e }
        return nil
    }

    /// The trimmed text of the first child called `name`, nil when absent or blank.
    func text(of name: String, in namespaces: Set<String>) -> String? {
        first(name, in: namespaces).flatMap { XMLFeedSupport.clean($0.text) }
    }

    /// All the text inside, markup dropped.
    var text: String {
        var out = ""
        appendText(to: &out)
        return out
    }

    private func appendText(to out: inout String) {
        for child in children {
            switch child {
            case .text(let t): out += t
            case .element(let e): e.appendText(to: &out)
            }
        }
    }

    /// The text of a field: markup written inside it (not escaped, not CDATA) makes it
    /// HTML, rebuilt by `innerHTML`; otherwise its text, HTML when `html` says the
    /// format's field holds HTML. Nil when blank.
    func textField(html: Bool) -> (text: String, isHTML: Bool)? {
        if hasElementChildren { return (innerHTML, true) }
        return XMLFeedSupport.clean(text).map { ($0, html) }
    }

    var hasElementChildren: Bool {
        children.contains { if case .element = $0 { return true } else { return false } }
    }

    /// The content written back as HTML, for markup that sits unescaped inside a text
    /// field (`<description><p>Text</p></description>`, Atom xhtml): element names and
    /// attributes kept, text escaped again, so `HTMLText` sees what the publisher wrote.
    var innerHTML: String {
        var out = ""
        appendHTML(to: &out)
        return out
    }

    private static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]

    private func appendHTML(to out: inout String) {
        for child in children {
            switch child {
            case .text(let t):
                out += Self.escape(t)
            case .element(let e):
                out += "<" + e.name
                for key in e.attributes.keys.sorted() {
                    out += " \(key)=\"\(Self.escape(e.attributes[key] ?? ""))\""
                }
                out += ">"
                if e.children.isEmpty, Self.voidElements.contains(e.name.lowercased()) { continue }
                e.appendHTML(to: &out)
                out += "</\(e.name)>"
            }
        }
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The value of an attribute whether or not the parser kept its prefix
    /// (`about` finds `rdf:about`).
    func attribute(_ name: String) -> String? {
        XMLFeedSupport.attribute(attributes, name)
    }

    /// Every element below this one called `name` (any namespace), for diagnostics.
    func descendants(named name: String) -> [XMLFeedElement] {
        var found: [XMLFeedElement] = []
        for e in elements {
            if e.name == name { found.append(e) }
            found += e.descendants(named: name)
        }
        return found
    }
}

/// Builds the tree from `XMLParser`'s events.
final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private(set) var root: XMLFeedElement?
    private var stack: [XMLFeedElement] = []
    /// Text arrives in many small pieces; it is joined here, once, not node by node.
    private var pending = ""
    /// The first error: where and why.
    var failure: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI ns: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        flush()
        let element = XMLFeedElement(name: name, namespace: ns ?? "", attributes: attributes)
        if let parent = stack.last {
            parent.append(element)
        } else if root == nil {
            root = element
        }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI ns: String?, qualifiedName: String?) {
        flush()
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        pending += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        pending += String(decoding: block, as: UTF8.self)
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        stack.last?.append(text: pending)
        pending = ""
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        note(parser, parseError)
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        note(parser, validationError)
    }

    /// External entities are never fetched: no file and no URL is read for a feed.
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        nil
    }

    private func note(_ parser: XMLParser, _ error: any Error) {
        guard failure == nil else { return }
        failure = "line \(parser.lineNumber): \(XMLFeedSupport.describe((error as NSError).code))"
    }
}
