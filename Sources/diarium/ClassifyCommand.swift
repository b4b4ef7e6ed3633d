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
            (matched by id). A line that is not a valid item is reported on stderr with its line number; \
            the other lines are still decided, and the exit status is 1.
            """)

    @Option(help: "Rulebook profile: no (Norway) or se (Sweden).") var profile: String
    @Option(help: ArgumentHelp("Folder of local rule files that extend or override the profile.", valueName: "dir")) var rules: String?

    func run() async throws {
        try await reportingErrors {
            guard ["no", "se"].contains(profile) else {
                throw UsageError("--profile must be no or se, not \(profile).")
            }
            var classifier = Classifier(rulebook: try loadRulebook(profile: profile, overrides: rules))
            var lineNumber = 0
            var bad = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
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
