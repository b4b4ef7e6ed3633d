/// The six content detectors of DESIGN.md. Rules and screenings test which of them
/// fire on an item's text; the raw values are the names used in rule files.
public enum Detector: String, CaseIterable, Sendable, Hashable, Codable {
    /// A `?` together with an interrogative or a word addressing the agency.
    case question
    /// Asks the agency to act: an application, complaint, claim or appeal.
    case request
    /// Asks for documents (innsyn, allmän handling, FOI).
    case accessRequest = "access_request"
    /// A valid Norwegian or Swedish national identity number (control digits checked).
    case nationalID = "national_id"
    /// Health or other GDPR art. 9 data about a person.
    case specialCategory = "special_category"
    /// Three or more links, or a spam phrase.
    case spam

    /// Whether the detector is driven by a word list (all but `national_id`).
    var usesWords: Bool { self != .nationalID }

    /// The detector's bit in a `DetectorSet` (used per item, so a constant, not a lookup).
    var bit: DetectorSet {
        switch self {
        case .question: DetectorSet(rawValue: 1 << 0)
        case .request: DetectorSet(rawValue: 1 << 1)
        case .accessRequest: DetectorSet(rawValue: 1 << 2)
        case .nationalID: DetectorSet(rawValue: 1 << 3)
        case .specialCategory: DetectorSet(rawValue: 1 << 4)
        case .spam: DetectorSet(rawValue: 1 << 5)
        }
    }

    static func named(_ name: String) -> Detector? { Detector(rawValue: name) }

    static var names: [String] { allCases.map(\.rawValue) }
}

/// A set of detectors as a bit mask: decide() tests rule conditions against it for
/// every item, so it must be cheaper than a `Set<Detector>`.
struct DetectorSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ detectors: some Sequence<Detector>) {
        self.init(rawValue: detectors.reduce(0) { $0 | $1.bit.rawValue })
    }

    var detectors: Set<Detector> { Set(Detector.allCases.filter { contains($0.bit) }) }
}
