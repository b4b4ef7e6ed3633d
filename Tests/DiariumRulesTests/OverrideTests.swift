import DiariumCore
import Foundation
import Testing
@testable import DiariumRules

/// A fresh temporary directory holding the given files, removed afterwards.
func withTemporaryDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("diarium-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try body(dir)
}

/// Loads profile `no` with `override` as the local no.toml, expecting a RulebookError.
func overrideError(_ override: String, profile: String = "no") throws -> RulebookError? {
    var caught: RulebookError?
    try withTemporaryDirectory(["\(profile).toml": override]) { dir in
        do {
            _ = try Rulebook.load(profile: profile, defaults: rulesDirectory, overrides: dir)
        } catch let error as RulebookError {
            caught = error
        }
    }
    return caught
}

@Suite("Local overrides")
struct OverrideTests {
    static let tipsOverride = """
        [profile]
        local = "etaten-test"

        [[rule]]
        id = "ETATEN-tips"
        before = "NO-case"
        from = "public"
        any = ["request"]
        all = ["special_category"]
        journal = true
        type = "I"
        retention = "K"
        reason = "A tip about a person's health is journaled at once and disposed of by local decision (local routine 2026-3)."

        [words.request]
        add = {nb = ["tips*"]}
        """

    @Test func addedRuleAndExtendedWordListChangeTheDecision() throws {
        let text = "Her er et tips: naboen har rusmisbruk og trenger hjelp."
        let before = Books.no.decide(makeItem(text), answering: nil)
        #expect(before.rules == ["NO-comment", "NO-health"])
        try withTemporaryDirectory(["no.toml": Self.tipsOverride]) { dir in
            let book = try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: dir)
            #expect(book.profileLabel == "no@2026.1+etaten-test")
            #expect(book.ruleIDs.firstIndex(of: "ETATEN-tips")! + 1 == book.ruleIDs.firstIndex(of: "NO-case")!)
            let after = book.decide(makeItem(text), answering: nil)
            #expect(after.rules == ["ETATEN-tips", "NO-health"])
            #expect(after.journal && after.retention == .K && after.status == .M)
            #expect(after.profile == "no@2026.1+etaten-test")
            #expect(after.reason.hasPrefix("ETATEN-tips: A tip about"))
            // The extended list alone: a tip without health data is now a case.
            #expect(book.decide(makeItem("Et tips om ulovlig dumping."), answering: nil).rules == ["NO-case"])
        }
    }

    @Test func replaceDisableAndWordEdits() throws {
        let override = """
            [[rule]]
            id = "NO-comment"
            from = "public"
            journal = false
            type = "I"
            retention = "K"
            reason = "Comments are disposed of after five years (local disposal decision 2026/12)."

            [[screening]]
            id = "NO-id"
            disabled = true

            [[screening]]
            id = "ETATEN-threat"
            any = ["spam"]
            restricted = false
            screen = ["MT"]
            reason = "Spam is marked for the moderation log."

            [words.question]
            replace = {en = ["pray tell"]}

            [words.spam]
            remove = {other = ["crypto"]}
            min_links = 5
            """
        try withTemporaryDirectory(["no.toml": override]) { dir in
            let book = try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: dir)
            #expect(book.profileLabel == "no@2026.1+local")
            #expect(book.ruleIDs.last == "NO-comment")                       // replaced in place
            #expect(!book.screeningIDs.contains("NO-id"))
            #expect(book.screeningIDs.last == "ETATEN-threat")
            let comment = book.decide(makeItem("Fint bilde, \(TestNumbers.fnr)"), answering: nil)
            #expect(comment.rules == ["NO-comment"] && comment.retention == .K && !comment.access.restricted)
            #expect(!book.detect("Why not?").contains(.question))
            #expect(book.detect("Pray tell, is it so?").contains(.question))
            #expect(book.detect("Hvorfor?").contains(.question))              // other languages untouched
            #expect(!book.detect("crypto").contains(.spam))
            #expect(!book.detect("https://a.example.org https://b.example.org https://c.example.org").contains(.spam))
            let spam = book.decide(makeItem("casino"), answering: nil)
            #expect(spam.rules == ["NO-spam", "ETATEN-threat"] && spam.access == Access(restricted: false, screen: ["MT"]))
        }
    }

    @Test func overrideDirectoryWithoutProfileFileChangesNothing() throws {
        try withTemporaryDirectory(["se.toml": "[[rule]]\nid = \"SE-x\"\ndisabled = true\n"]) { dir in
            let book = try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: dir)
            #expect(book.profileLabel == "no@2026.1")
            #expect(book.ruleIDs == Books.no.ruleIDs)
        }
    }

    @Test func missingOverrideDirectoryIsAnError() {
        let missing = URL(fileURLWithPath: "/nonexistent/diarium-rules")
        #expect(throws: RulebookError.self) { try Rulebook.load(profile: "no", defaults: rulesDirectory, overrides: missing) }
    }

    @Test(arguments: [
        ("[[rule]]\nid = \"X\"\nanyy = [\"spam\"]\n", "rule[1].anyy"),
        ("[[rule]]\nid = \"X\"\njournal = true\ntype = \"Q\"\nretention = \"B\"\nreason = \"r\"\n", "rule[1].type"),
        ("[[rule]]\nid = \"X\"\njournal = \"yes\"\n", "rule[1].journal"),
        ("[[rule]]\nid = \"X\"\nretention = \"B\"\ntype = \"I\"\nreason = \"r\"\n", "rule[1].journal"),
        ("[[rule]]\nid = \"X\"\nbefore = \"NO-nothing\"\njournal = true\ntype = \"I\"\nretention = \"B\"\nreason = \"r\"\n", "rule[1].before"),
        ("[[rule]]\nid = \"X\"\nany = [\"gossip\"]\njournal = true\ntype = \"I\"\nretention = \"B\"\nreason = \"r\"\n", "rule[1].any"),
        ("[[rule]]\nid = \"X\"\nkinds = [\"pots\"]\njournal = true\ntype = \"I\"\nretention = \"B\"\nreason = \"r\"\n", "rule[1].kinds"),
        ("[[rule]]\nid = \"NO-nothing\"\ndisabled = true\n", "rule[1].disabled"),
        ("[[screening]]\nid = \"S\"\nrestricted = true\nscreen = [\"NAME\"]\nbasis = \"b\"\nreason = \"r\"\n", "screening[1].screen"),
        ("[[screening]]\nid = \"S\"\nrestricted = true\nreason = \"r\"\n", "screening[1].basis"),
        ("[words.question]\nadd = {dk = [\"hvad\"]}\n", "words.question.add.dk"),
        ("[words.question]\nadd = {nb = [\"hv*ordan\"]}\n", "words.question.add.nb"),
        ("[words.national_id]\nadd = {nb = [\"x\"]}\n", "words.national_id"),
        ("[words.spam]\nmin_links = 0\n", "words.spam.min_links"),
        ("[profile]\nid = \"se\"\n", "profile.id"),
        ("[profile]\nversion = \"9\"\n", "profile.version"),
        ("[rulez]\n", "rulez"),
    ])
    func malformedOverrideNamesFileAndKey(_ override: String, _ key: String) throws {
        let error = try #require(try overrideError(override))
        #expect(error.message.contains("/no.toml"), "\(error.message)")
        #expect(error.message.contains("'\(key)'"), "\(error.message)")
        #expect(error.description == error.message)
    }

    @Test func tomlSyntaxErrorNamesFileAndLine() throws {
        let error = try #require(try overrideError("[[rule]]\nid = \"X\nreason = 1\n"))
        #expect(error.message.contains("/no.toml: line 2"), "\(error.message)")
    }

    @Test func unknownProfileIsAnError() {
        do {
            _ = try Rulebook.load(profile: "dk", defaults: rulesDirectory)
            Issue.record("loaded a profile that does not exist")
        } catch let error as RulebookError {
            #expect(error.message.contains("dk.toml"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: RulebookError.self) { try Rulebook.load(profile: "../no", defaults: rulesDirectory) }
    }
}
