import Foundation

extension Rulebook {
    /// The directory of the default rule files, so that `diarium` finds them whether it
    /// runs installed, from a build directory, or from a checkout:
    /// 1. `$DIARIUM_RULES_DIR` (must exist);
    /// 2. `<dir of executable>/../share/diarium/rules` (an installed package);
    /// 3. `config/rules`, walking up from the executable's directory, then from the
    ///    current directory (a checkout: `.build/debug/diarium` or `swift run`).
    /// A candidate counts only if it holds at least one `*.toml` file.
    public static func defaultDirectory() throws -> URL {
        try defaultDirectory(
            environment: ProcessInfo.processInfo.environment, executable: executableURL(),
            currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// The search of `defaultDirectory()` with its inputs given, for tests.
    static func defaultDirectory(environment: [String: String], executable: URL?, currentDirectory: URL) throws -> URL {
        if let value = environment["DIARIUM_RULES_DIR"], !value.isEmpty {
            let url = URL(fileURLWithPath: value)
            guard holdsRuleFiles(url) else {
                throw RulebookError("DIARIUM_RULES_DIR is \(value), but that is not a directory holding rule files (*.toml).")
            }
            return url
        }
        var looked: [String] = []
        var candidates: [URL] = []
        let executableDirectory = executable?.deletingLastPathComponent()
        if let executableDirectory {
            candidates.append(executableDirectory.appendingPathComponent("../share/diarium/rules").standardizedFileURL)
        }
        for start in [executableDirectory, currentDirectory].compactMap({ $0 }) {
            var dir = start.standardizedFileURL
            while true {
                candidates.append(dir.appendingPathComponent("config/rules"))
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        for candidate in candidates {
            if holdsRuleFiles(candidate) { return candidate }
            if !looked.contains(candidate.path) { looked.append(candidate.path) }
        }
        throw RulebookError(
            "No rule files found: set DIARIUM_RULES_DIR, or install them in <prefix>/share/diarium/rules; looked in \(looked.joined(separator: ", ")).")
    }

    private static func holdsRuleFiles(_ url: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.contains { $0.hasSuffix(".toml") }
    }

    /// The running executable, symlinks resolved (`/proc/self/exe` on Linux).
    private static func executableURL() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }
}
