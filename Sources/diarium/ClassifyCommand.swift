import ArgumentParser
import DiariumCore
import DiariumRules
import Foundation

struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Decide items without storing them: items as JSON lines on stdin, decisions as JSON lines on stdout.",
        discussion: """
            Items are taken in order, so an agency answer can see the decision on the item it answers \
            (matched by id). A line that is not a valid item, or is longer than 16 MiB, is reported on stderr \
            with its line number; the other lines are still decided, and the exit status is 1.
            """)

    @Option(help: "Rulebook profile: no (Norway) or se (Sweden).") var profile: String
    @Option(help: ArgumentHelp("Folder of local rule files that extend or override the profile.", valueName: "dir")) var rules: String?
    @Option(help: "Language of the reasons: nb, nn, sv or en (default: nb for no, sv for se).") var language: String?

    func run() async throws {
        try await reportingErrors {
            guard ["no", "se"].contains(profile) else {
                throw UsageError("--profile must be no or se, not \(profile).")
            }
            if let language, Language(rawValue: language) == nil {
                throw UsageError("--language must be nb, nn, sv or en, not \(language).")
            }
            var classifier = Classifier(rulebook: try loadRulebook(profile: profile, overrides: rules, language: language))
            var lineNumber = 0
            var bad = 0
            var reader = BoundedLineReader(handle: .standardInput, maxLineBytes: Self.maxLineBytes)
            while let next = try reader.next() {
                lineNumber += 1
                guard case .line(let line) = next else {
                    bad += 1
                    printError("diarium: line \(lineNumber): longer than \(Self.maxLineBytes / 1_048_576) MiB (\(Self.maxLineBytes) bytes), so not read as an item; skipped.")
                    continue
                }
                if line.allSatisfy(\.isWhitespace) { continue }
                let item: Item
                do {
                    item = try JSONLines.decode(Item.self, from: line)
                } catch {
                    bad += 1
                    printError("diarium: line \(lineNumber): not a valid item: \(describe(error))")
                    continue
                }
                printJSON(try JSONLines.encode(classifier.classify(item)))
            }
            if bad > 0 { throw ExitCode(1) }
        }
    }

    /// The longest line taken as an item. `readLine` held a whole line, however long, and
    /// then its decoded copy (a 200 MB line took 425 MB); a normalised item is far
    /// smaller (the HTTP client's cap on a whole response is 32 MiB, and an item is a
    /// part of one), so a longer line is skipped and reported, read in bounded chunks.
    static let maxLineBytes = 16 * 1_048_576

    /// A decoding error in one sentence: which key, and what was wrong.
    func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _):
            return "the key \"\(key.stringValue)\" is missing."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "it is not a JSON object." }
            return "\(path(context)): \(context.debugDescription)."
        default:
            return "\(error)"
        }
    }

    func path(_ context: DecodingError.Context) -> String {
        "\"" + context.codingPath.map(\.stringValue).joined(separator: ".") + "\""
    }
}

/// Lines from a file handle, at most `maxLineBytes` held at once: a longer line is
/// skipped to its end in fixed-size reads and given as `.tooLong`, so memory stays
/// bounded whatever arrives on stdin. Lines end at LF; a CR before it is dropped, as
/// `readLine` does.
struct BoundedLineReader {
    enum Line: Equatable {
        case line(String)
        case tooLong
    }

    let handle: FileHandle
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    init(handle: FileHandle, maxLineBytes: Int) {
        self.handle = handle
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, or nil at the end of input.
    mutating func next() throws -> Line? {
        var overflow = false
        var line: [UInt8] = []
        while true {
            if start < buffer.count {
                let rest = buffer[start...]
                if let newline = rest.firstIndex(of: 0x0A) {
                    if !overflow { line += buffer[start..<newline] }
                    start = newline + 1
                    return overflow || line.count > maxLineBytes ? .tooLong : .line(Self.text(line))
                }
                if !overflow {
                    line += rest
                    if line.count > maxLineBytes {
                        overflow = true
                        line = []
                    }
                }
                start = buffer.count
            }
            if finished {
                if overflow { return .tooLong }
                return line.isEmpty ? nil : .line(Self.text(line))
            }
            buffer = [UInt8](try handle.read(upToCount: 1 << 16) ?? Data())
            start = 0
            if buffer.isEmpty { finished = true }
        }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == 0x0D ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}
