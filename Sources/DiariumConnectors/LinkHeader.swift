/// RFC 8288 `Link` header values, as Mastodon pages with them:
/// `<https://…?max_id=1>; rel="next", <https://…?min_id=2>; rel="prev"`.
/// Hand-written rather than a regex: it runs once per page, must survive commas and
/// semicolons inside quoted parameters or URLs, and must never trap on odd input.
public enum LinkHeader {
    public struct Link: Sendable, Hashable {
        public var target: String
        /// Relation types, lower-cased; `rel="next last"` gives both.
        public var relations: [String]
        /// Every other parameter, names lower-cased, values unquoted.
        public var parameters: [String: String]

        public init(target: String, relations: [String], parameters: [String: String] = [:]) {
            self.target = target
            self.relations = relations
            self.parameters = parameters
        }
    }

    /// Every link in one or more header values (several `Link` headers may be given).
    public static func parse(_ values: [String]) -> [Link] {
        values.flatMap(parse)
    }

    /// Every link in one header value; malformed parts are skipped, never fatal.
    public static func parse(_ value: String) -> [Link] {
        var links: [Link] = []
        let s = Array(value.unicodeScalars)
        var i = 0
        let n = s.count
        func skipSpace() { while i < n, s[i] == " " || s[i] == "\t" { i += 1 } }
        while i < n {
            skipSpace()
            guard i < n else { break }
            guard s[i] == "<" else {
                // Not a link-value: skip to the next top-level comma.
                skipToComma(s, &i)
                continue
            }
            i += 1
            var target = String.UnicodeScalarView()
            while i < n, s[i] != ">" { target.append(s[i]); i += 1 }
            guard i < n else { break }   // unterminated target: drop it
            i += 1
            var relations: [String] = []
            var parameters: [String: String] = [:]
            // Parameters: ; name[=value|="quoted"] until a top-level comma.
            while true {
                skipSpace()
                guard i < n else { break }
                if s[i] == "," { i += 1; break }
                guard s[i] == ";" else { skipToComma(s, &i); break }
                i += 1
                skipSpace()
                var name = String.UnicodeScalarView()
                while i < n, s[i] != "=", s[i] != ";", s[i] != ",", s[i] != " " { name.append(s[i]); i += 1 }
                skipSpace()
                var paramValue = ""
                if i < n, s[i] == "=" {
                    i += 1
                    skipSpace()
                    var v = String.UnicodeScalarView()
                    if i < n, s[i] == "\"" {
                        i += 1
                        while i < n, s[i] != "\"" {
                            if s[i] == "\\", i + 1 < n { i += 1 }
                            v.append(s[i]); i += 1
                        }
                        if i < n { i += 1 }
                    } else {
                        while i < n, s[i] != ";", s[i] != ",", s[i] != " " { v.append(s[i]); i += 1 }
                    }
                    paramValue = String(v)
                }
                let key = String(name).lowercased()
                guard !key.isEmpty else { continue }
                if key == "rel" {
                    if relations.isEmpty {   // RFC 8288: only the first rel counts
                        relations = paramValue.lowercased().split(separator: " ").map(String.init)
                    }
                } else if parameters[key] == nil {
                    parameters[key] = paramValue
                }
            }
            links.append(Link(target: String(target).trimmingCharacters(in: " "), relations: relations, parameters: parameters))
        }
        return links
    }

    /// The target of the first link with relation `rel`, if any.
    public static func target(rel: String, in values: [String]) -> String? {
        let wanted = rel.lowercased()
        return parse(values).first { $0.relations.contains(wanted) }?.target
    }

    private static func skipToComma(_ s: [Unicode.Scalar], _ i: inout Int) {
        var quoted = false
        while i < s.count {
            let c = s[i]
            i += 1
            if c == "\"" { quoted.toggle() } else if c == ",", !quoted { return }
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var sub = Substring(self)
        while let f = sub.first, set.contains(f) { sub = sub.dropFirst() }
        while let l = sub.last, set.contains(l) { sub = sub.dropLast() }
        return String(sub)
    }
}
