import DiariumConnectors
import DiariumCore
import Foundation
import Testing

/// The Graph usage headers: percentages of the budget, and when to come back.
@Suite struct FacebookUsageTests {
    @Test func appUsageTakesTheHighestPercentage() throws {
        let usage = try #require(FacebookUsage.parse([HTTPHeader("x-app-usage", #"{"call_count":28,"total_time":96,"total_cputime":25}"#)]))
        #expect(usage.percent == 96)
        #expect(usage.source == "X-App-Usage")
        #expect(usage.regainAccessMinutes == nil)
        #expect(usage.mustStop)
        let now = Date(timeIntervalSince1970: 1_795_163_400)
        #expect(usage.resumeDate(after: now) == now.addingTimeInterval(3600))
    }

    @Test func businessUseCaseUsageGivesTheRegainTime() throws {
        let headers = [
            HTTPHeader("X-App-Usage", #"{"call_count":10,"total_time":5,"total_cputime":5}"#),
            HTTPHeader("X-Business-Use-Case-Usage", #"{"104857290000001":[{"type":"pages","call_count":12,"total_cputime":97,"total_time":20,"estimated_time_to_regain_access":7}]}"#),
        ]
        let usage = try #require(FacebookUsage.parse(headers))
        #expect(usage.percent == 97)
        #expect(usage.source == "X-Business-Use-Case-Usage pages for 104857290000001")
        #expect(usage.regainAccessMinutes == 7)
        let now = Date(timeIntervalSince1970: 1_795_163_400)
        #expect(usage.resumeDate(after: now) == now.addingTimeInterval(420))
    }

    @Test func lowUsageDoesNotStop() throws {
        let usage = try #require(FacebookUsage.parse([HTTPHeader("X-App-Usage", #"{"call_count":94}"#)]))
        #expect(usage.percent == 94)
        #expect(!usage.mustStop)
    }

    @Test(arguments: ["", "not json", #"{"call_count":"many"}"#, "[1,2]"])
    func malformedHeadersAreIgnored(value: String) {
        #expect(FacebookUsage.parse([HTTPHeader("X-App-Usage", value)]) == nil)
        #expect(FacebookUsage.parse([]) == nil)
    }
}
