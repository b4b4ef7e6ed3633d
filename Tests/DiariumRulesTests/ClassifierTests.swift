import DiariumCore
import Foundation
import Testing
@testable import DiariumRules

@Suite("Classifier and decision JSON")
struct ClassifierTests {
    @Test func agencyReplySeesTheItemItAnswers() {
        var classifier = Classifier(rulebook: Books.no)
        let question = classifier.classify(makeItem("Hvorfor er biblioteket stengt?", id: "100"))
        #expect(question.rules == ["NO-case"] && question.journal)
        let answer = classifier.classify(makeItem("Det er stengt for oppussing.", kind: .reply, agency: true, id: "101", inReplyTo: "100"))
        #expect(answer.rules == ["NO-agency-answer"] && answer.journal && answer.type == .U)
        let praise = classifier.classify(makeItem("Takk for svar!", kind: .reply, id: "102", inReplyTo: "101"))
        #expect(praise.rules == ["NO-comment"])
        let thanks = classifier.classify(makeItem("Bare hyggelig!", kind: .reply, agency: true, id: "103", inReplyTo: "102"))
        #expect(thanks.rules == ["NO-agency-reply"] && !thanks.journal)
        // Unknown parent: an ordinary agency reply.
        let orphan = classifier.classify(makeItem("Hei!", kind: .reply, agency: true, id: "104", inReplyTo: "999"))
        #expect(orphan.rules == ["NO-agency-reply"])
    }

    @Test func answerToARestrictedMessageInheritsItsBasis() {
        var classifier = Classifier(rulebook: Books.no)
        let dm = classifier.classify(makeItem("Jeg har en sykdom og trenger hjelp med skjemaet.", kind: .message, visibility: .direct, id: "200"))
        #expect(dm.rules == ["NO-message", "NO-health", "NO-dm"])
        let reply = classifier.classify(makeItem("Vi ringer deg i morgen.", kind: .message, agency: true, visibility: .direct, id: "201", inReplyTo: "200"))
        #expect(reply.rules == ["NO-agency-answer", "NO-answer"])
        #expect(reply.access == Access(restricted: true, basis: dm.access.basis, screen: ["NM"]))
    }

    @Test func itemsAreRememberedPerAccount() {
        var classifier = Classifier(rulebook: Books.se)
        _ = classifier.classify(makeItem("Hur ansöker jag?", id: "300", account: "etaten-x"))
        let other = classifier.classify(makeItem("Så här.", kind: .reply, agency: true, id: "301", account: "etaten-bluesky", inReplyTo: "300"))
        #expect(other.rules == ["SE-agency-reply"])
        let same = classifier.classify(makeItem("Så här.", kind: .reply, agency: true, id: "302", account: "etaten-x", inReplyTo: "300"))
        #expect(same.rules == ["SE-agency-answer"])
    }

    @Test func anItemOnceJournaledStaysJournaledForItsAnswers() {
        var classifier = Classifier(rulebook: Books.no)
        _ = classifier.classify(makeItem("Hvorfor?", id: "400"))
        let edited = classifier.classify(makeItem("Glem det.", id: "400"))       // edited into a plain comment
        #expect(!edited.journal)
        #expect(classifier.answered(account: "etaten-mastodon", id: "400")?.journal == true)
    }

    @Test func decisionJSONHasTheContractKeys() throws {
        let d = Books.no.decide(makeItem("Jeg har kreft og lurer på hvorfor dere avslo søknaden?"), answering: nil)
        let line = try JSONLines.encode(d)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "account", "journal", "type", "status", "access", "retention", "rules", "reason", "profile"])
        let access = try #require(object["access"] as? [String: Any])
        #expect(Set(access.keys) == ["restricted", "basis", "screen"])
        #expect(object["status"] as? String == "M")
        #expect(object["type"] as? String == "I")
        #expect(object["retention"] as? String == "B")
        #expect(object["rules"] as? [String] == ["NO-case", "NO-health"])
        #expect(access["screen"] as? [String] == ["NA", "TRO"])
        #expect(object["profile"] as? String == "no@2026.1")
        #expect(try JSONLines.decode(Decision.self, from: line) == d)

        // Not journaled: status and basis are present as null.
        let open = try JSONLines.encode(Books.no.decide(makeItem("Fint!"), answering: nil))
        #expect(open.contains("\"status\":null") && open.contains("\"basis\":null"))
    }
}
