import DiariumCore
import Testing
@testable import DiariumRules

/// `NationalIdentityNumber` lives in DiariumCore; its tests live here because the
/// rulebook's `national_id` detector relies on it.
@Suite("National identity numbers")
struct NationalIdentityNumberTests {
    typealias N = NationalIdentityNumber

    static let fnr = TestNumbers.fnr                     // DDMMYYIIIKK
    static let dnr = TestNumbers.dnr                     // day + 40
    static let pnr = TestNumbers.personnummer            // YYMMDDNNNK
    static let snr = TestNumbers.samordningsnummer       // day + 60

    @Test func generatedNumbersAreWellFormed() {
        #expect(Self.fnr.count == 11 && Self.dnr.count == 11 && Self.pnr.count == 10 && Self.snr.count == 10)
        #expect(Self.dnr.hasPrefix("54"))
        #expect(Self.snr.dropFirst(4).hasPrefix("77"))
    }

    @Test(arguments: [
        ("DDMMYYNNNNN", "Fnr: \(fnr).", N.Kind.norwegianBirthNumber),
        ("DDMMYY NNNNN", "Fnr: \(fnr.prefix(6)) \(fnr.suffix(5)).", .norwegianBirthNumber),
        ("D-number", "D-nr \(dnr)", .norwegianDNumber),
        ("YYMMDD-NNNN", "Pnr \(pnr.prefix(6))-\(pnr.suffix(4))", .swedishPersonalNumber),
        ("YYMMDDNNNN", "Pnr \(pnr)", .swedishPersonalNumber),
        ("YYYYMMDDNNNN", "Pnr 19\(pnr)", .swedishPersonalNumber),
        ("YYYYMMDD-NNNN", "Pnr 19\(pnr.prefix(6))-\(pnr.suffix(4))", .swedishPersonalNumber),
        ("samordningsnummer", "Snr \(snr.prefix(6))-\(snr.suffix(4))", .swedishCoordinationNumber),
    ])
    func validFormats(_ format: String, _ text: String, _ kind: N.Kind) {
        let found = N.find(in: text)
        #expect(found.count == 1, "\(format)")
        #expect(found.first?.kind == kind, "\(format)")
    }

    /// Changing any one digit breaks a control digit, so the number is no longer found.
    @Test(arguments: [fnr, dnr, pnr, snr])
    func flippingOneDigitInvalidates(_ number: String) {
        #expect(N.containsAny(in: number))
        for index in number.indices.map({ number.distance(from: number.startIndex, to: $0) }) {
            let flipped = TestNumbers.flipped(number, at: index)
            #expect(!N.containsAny(in: "nr \(flipped)"), "\(number) with digit \(index) changed: \(flipped)")
        }
    }

    @Test func notNumbers() {
        #expect(!N.containsAny(in: "Ring 22 33 44 55 eller 12345678."))
        #expect(!N.containsAny(in: "Saksnummer 2026/000123"))
        #expect(!N.containsAny(in: "\(Self.fnr)7"))                       // twelve digits, not a valid Swedish number
        // A valid control sum with an impossible date is not a number.
        #expect(N.norwegian("00000000000") == nil)
        #expect(N.swedish("0000000000") == nil)
    }

    /// Regression: a valid number followed by a space and another digit group used to
    /// be read as one (invalid) two-group number and missed.
    @Test func validNumberFollowedByAnotherNumber() {
        #expect(N.find(in: "fnr \(Self.fnr) 2 barn").first?.kind == .norwegianBirthNumber)
        #expect(N.find(in: "pnr \(Self.pnr) 12 st").first?.kind == .swedishPersonalNumber)
        #expect(N.find(in: "pnr 19\(Self.pnr) 3").first?.kind == .swedishPersonalNumber)
    }

    @Test func maskingReplacesEveryNumber() {
        let masked = N.mask("A \(Self.fnr) B \(Self.pnr.prefix(6))-\(Self.pnr.suffix(4)) C")
        #expect(masked == "A ****** B ****** C")
    }
}

/// The tokenizer's cheap pre-check must never skip a text in which the full search
/// would find a number.
@Suite("National ID pre-check")
struct NationalIDPrecheckTests {
    @Test func precheckNeverHidesANumber() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "+", " ", "a", "/"]
        var checked = 0
        for round in 0..<20_000 {
            let noise = { (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
            var text = noise()
            if round % 2 == 0 {
                // A valid number in a random format, with random neighbours.
                let day = Int.random(in: 1...28, using: &generator), month = Int.random(in: 1...12, using: &generator)
                let year = Int.random(in: 1930...2020, using: &generator)
                let sep = ["", " ", "-", "+"].randomElement(using: &generator)!
                switch round % 8 {
                case 0:
                    let n = TestNumbers.norwegian(day: day, month: month, year: year, individual: Int.random(in: 0...999, using: &generator))
                    text += n.prefix(6) + (sep == "-" || sep == "+" ? " " : sep) + n.suffix(5)
                case 2:
                    let n = TestNumbers.norwegian(day: day + 40, month: month, year: year)
                    text += n
                case 4:
                    let n = TestNumbers.swedish(year: year, month: month, day: day, serial: Int.random(in: 0...999, using: &generator))
                    text += n.prefix(6) + sep + n.suffix(4)
                default:
                    let n = TestNumbers.swedish(year: year, month: month, day: day + 60)
                    text += "\(year / 100)" + n.prefix(6) + sep + n.suffix(4)
                }
            }
            text += noise()
            if !NationalIdentityNumber.find(in: text).isEmpty {
                checked += 1
                #expect(Tokenizer.scan(text).mayHoldNationalID, "\(text)")
            }
        }
        for text in [TestNumbers.fnr, "x\(TestNumbers.fnr.prefix(6)) \(TestNumbers.fnr.suffix(5))", "19\(TestNumbers.personnummer)",
                     "\(TestNumbers.personnummer.prefix(6))+\(TestNumbers.personnummer.suffix(4))", "fnr \(TestNumbers.fnr) 2 barn"] {
            #expect(Tokenizer.scan(text).mayHoldNationalID, "\(text)")
        }
        #expect(!Tokenizer.scan("https://social.example.org/@etaten/113482000000000001 ring 22334455").mayHoldNationalID)
        #expect(checked > 1_000)   // many planted numbers survive their random neighbours
    }
}
