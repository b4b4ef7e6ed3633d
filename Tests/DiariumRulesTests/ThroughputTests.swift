import DiariumCore
import Foundation
import Testing
@testable import DiariumRules

@Suite("Throughput")
struct ThroughputTests {
    /// Ingest must reach 20,000 items/s including decide. This runs in a debug build on
    /// shared cores, so it asserts a loose bound and prints the measured rate.
    @Test func decidesTwentyThousandItemsQuickly() {
        let texts = [
            "Hvordan søker jeg om parkeringstillatelse i sentrum? Jeg har ventet lenge på svar fra dere.",
            "Flott arrangement i går, takk til alle som stilte opp! Håper det blir flere slike dager i sommer.",
            "Varför stängde ni biblioteket i Malmö? Min son har cancer och behöver en lugn plats att studera.",
            "Earn money fast with crypto https://a.example.org https://b.example.org https://c.example.org",
            "Jeg ber om innsyn i dokumentene i sak 2026/000123, og fødselsnummeret mitt er \(TestNumbers.fnr).",
            "Great post! Could you share the report on mental health services with us? Thanks from Kari.",
        ]
        let items = (0..<20_000).map { i in
            makeItem(texts[i % texts.count], kind: i % 7 == 0 ? .message : .comment, agency: i % 5 == 0,
                     visibility: i % 7 == 0 ? .direct : .public, id: "\(i)")
        }
        let book = Books.no
        let clock = ContinuousClock()
        var journaled = 0
        let elapsed = clock.measure {
            for item in items where book.decide(item, answering: nil).journal { journaled += 1 }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("decide: \(Int(Double(items.count) / seconds)) items/s (debug build), \(journaled) journaled")
        #expect(journaled > 0)
        #expect(seconds < 10)
    }
}
