import Foundation
import Testing
@testable import DiariumRules

@Suite("Finding the default rule files")
struct LocationTests {
    let nowhere = URL(fileURLWithPath: "/")

    @Test func environmentVariableWins() throws {
        let dir = try Rulebook.defaultDirectory(
            environment: ["DIARIUM_RULES_DIR": rulesDirectory.path], executable: nil, currentDirectory: nowhere)
        #expect(dir.path == rulesDirectory.path)
        #expect(throws: RulebookError.self) {
            try Rulebook.defaultDirectory(environment: ["DIARIUM_RULES_DIR": "/nonexistent"], executable: nil, currentDirectory: nowhere)
        }
    }

    @Test func walksUpFromTheExecutableAndTheCurrentDirectory() throws {
        let fakeExecutable = repoRoot.appendingPathComponent(".build/debug/diarium")
        let fromExecutable = try Rulebook.defaultDirectory(environment: [:], executable: fakeExecutable, currentDirectory: nowhere)
        #expect(fromExecutable.standardizedFileURL.path == rulesDirectory.standardizedFileURL.path)
        let fromCurrent = try Rulebook.defaultDirectory(
            environment: [:], executable: nil, currentDirectory: repoRoot.appendingPathComponent("Sources/DiariumRules"))
        #expect(fromCurrent.standardizedFileURL.path == rulesDirectory.standardizedFileURL.path)
    }

    @Test func installedShareDirectory() throws {
        try withTemporaryDirectory([:]) { prefix in
            let share = prefix.appendingPathComponent("share/diarium/rules")
            try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
            try "".write(to: share.appendingPathComponent("no.toml"), atomically: true, encoding: .utf8)
            let found = try Rulebook.defaultDirectory(
                environment: [:], executable: prefix.appendingPathComponent("bin/diarium"), currentDirectory: nowhere)
            #expect(found.standardizedFileURL.path == share.standardizedFileURL.path)
        }
    }

    @Test func notFoundSaysWhereItLooked() throws {
        try withTemporaryDirectory([:]) { empty in
            do {
                _ = try Rulebook.defaultDirectory(
                    environment: [:], executable: empty.appendingPathComponent("bin/diarium"), currentDirectory: empty)
                Issue.record("found rule files in an empty directory")
            } catch let error as RulebookError {
                #expect(error.message.contains("DIARIUM_RULES_DIR"))
                #expect(error.message.contains(empty.appendingPathComponent("share/diarium/rules").standardizedFileURL.path))
            }
        }
    }

    @Test func theRealDefaultDirectoryIsFoundFromTheTestRunner() throws {
        // The test binary runs from .build inside the checkout.
        let dir = try Rulebook.defaultDirectory()
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("no.toml").path))
    }
}
