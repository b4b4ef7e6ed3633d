import DiariumCore
import Foundation
@testable import DiariumRules

/// The repository root, from this file's path: Tests/DiariumRulesTests/Support.swift.
let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The real default rule files: the tests check the files that ship, not copies.
let rulesDirectory = repoRoot.appendingPathComponent("config/rules")

/// The two default rulebooks, loaded once, giving their reasons in English (the tests
/// that read a reason's words say which language they expect).
enum Books {
    static let no: Rulebook = try! Rulebook.load(profile: "no", defaults: rulesDirectory, language: "en")
    static let se: Rulebook = try! Rulebook.load(profile: "se", defaults: rulesDirectory, language: "en")
    static func named(_ id: String) -> Rulebook { id == "no" ? no : se }
}

/// An invented item on an example account.
func makeItem(
    _ text: String, kind: ItemKind = .comment, agency: Bool = false, visibility: Visibility? = .public,
    id: String = "1001", account: String = "etaten-mastodon", inReplyTo: String? = nil
) -> Item {
    Item(
        platform: .mastodon, account: account, id: id, url: "https://social.example.org/@etaten/\(id)", kind: kind,
        author: agency
            ? Author(id: "1", handle: "etaten@social.example.org", name: "Etaten", agency: true)
            : Author(id: "42", handle: "kari@social.example.org", name: "Kari Nordmann", agency: false),
        inReplyTo: inReplyTo, threadRoot: inReplyTo, visibility: visibility, language: nil, text: text)
}

/// Invented national identity numbers with correct control digits, computed here so
/// the tests do not depend on anyone's real number.
enum TestNumbers {
    /// Norwegian fødselsnummer (or D-number if `day` > 40): DDMMYY + 3 individual
    /// digits + 2 mod-11 control digits. Tries individual numbers from `individual`
    /// upwards until both control digits exist (a remainder of 10 has none).
    static func norwegian(day: Int, month: Int, year: Int, individual: Int = 123) -> String {
        var ind = individual
        while true {
            let base = String(format: "%02d%02d%02d%03d", day, month, year % 100, ind % 1000)
            var d = base.compactMap { $0.wholeNumberValue }
            if let k1 = control(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]) {
                d.append(k1)
                if let k2 = control(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) {
                    return base + "\(k1)\(k2)"
                }
            }
            ind += 1
        }
    }

    private static func control(_ digits: [Int], _ weights: [Int]) -> Int? {
        let k = 11 - zip(weights, digits).reduce(0) { $0 + $1.0 * $1.1 } % 11
        return k == 11 ? 0 : (k == 10 ? nil : k)
    }

    /// Swedish personnummer YYMMDDNNN + Luhn digit (samordningsnummer: `day` + 60).
    static func swedish(year: Int, month: Int, day: Int, serial: Int = 238) -> String {
        let base = String(format: "%02d%02d%02d%03d", year % 100, month, day, serial % 1000)
        let sum = base.compactMap { $0.wholeNumberValue }.enumerated().reduce(0) { sum, pair in
            var v = pair.offset % 2 == 0 ? pair.element * 2 : pair.element
            if v > 9 { v -= 9 }
            return sum + v
        }
        return base + "\((10 - sum % 10) % 10)"
    }

    /// `number` with the digit at `index` changed, which breaks its control digits.
    static func flipped(_ number: String, at index: Int) -> String {
        var chars = Array(number)
        let digit = chars[index].wholeNumberValue!
        chars[index] = Character("\((digit + 1) % 10)")
        return String(chars)
    }

    static let fnr = norwegian(day: 14, month: 3, year: 1987)
    static let dnr = norwegian(day: 14 + 40, month: 3, year: 1987)
    static let personnummer = swedish(year: 1981, month: 12, day: 28)      // YYMMDDNNNK
    static let samordningsnummer = swedish(year: 1990, month: 5, day: 17 + 60)
}
