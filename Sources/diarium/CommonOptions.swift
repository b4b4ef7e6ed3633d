import ArgumentParser
import DiariumConfig
import DiariumCore
import DiariumDaemon
import DiariumExport
import DiariumRules
import DiariumStore
import Foundation
import Logging

/// `--config` and `--db`, taken by every command that touches the registry.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (TOML).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Registry file; overrides [registry] path.", valueName: "file"))
    var db: String?

    /// The configuration named by --config, else $DIARIUM_CONFIG, else
    /// /etc/diarium/diarium.toml when it exists, else the built-in defaults.
    func loadConfiguration() throws -> DiariumConfiguration {
        var configuration: DiariumConfiguration
        if let path = config ?? ProcessInfo.processInfo.environment["DIARIUM_CONFIG"] {
            configuration = try DiariumConfiguration.load(from: path)
        } else if FileManager.default.fileExists(atPath: "/etc/diarium/diarium.toml") {
            configuration = try DiariumConfiguration.load(from: "/etc/diarium/diarium.toml")
        } else {
            configuration = DiariumConfiguration()
        }
        if let db { configuration.registryPath = db }
        return configuration
    }

    /// Opens the registry as the command needs it: read commands (`.read`) never
    /// create, migrate or write; only `run` and `migrate` create one. Writers append each
    /// new chain head to the witness when one is configured.
    func openRegistry(_ configuration: DiariumConfiguration, access: RegistryAccess) throws -> Registry {
        try Registry(path: configuration.registryPath, timeZone: configuration.timeZone, access: access,
                     witness: configuration.witnessPath.map { ChainWitness(path: $0) })
    }
}

/// Loads the profile's rulebook, with the agency's local rule files when configured,
/// giving its reasons in the agency's language (nil: the profile's own).
func loadRulebook(profile: String, overrides: String?, language: String?) throws -> Rulebook {
    try Rulebook.load(profile: profile, defaults: try Rulebook.defaultDirectory(),
                      overrides: overrides.map { URL(fileURLWithPath: $0) }, language: language)
}

/// Writes a line of text for the terminal to standard output. Every command prints its
/// text through here, never with `print`: a title, name or id from a platform may carry
/// escape sequences, and `TerminalText.clean` shows them instead of obeying them.
func printText(_ text: String, terminator: String = "\n") {
    print(TerminalText.clean(text), terminator: terminator)
}

/// Writes one JSON line to standard output: the exact text, with every control
/// character, C1 code point and bidi override written as a `\uXXXX` escape
/// (`TerminalText.json`), so it is safe on a terminal and gives back the same value.
func printJSON(_ line: String) {
    print(TerminalText.json(line))
}

/// Writes to standard error without buffering surprises. Warnings and errors name items
/// and quote what was stored, so the line is cleaned as all terminal text is.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((TerminalText.clean(text) + "\n").utf8))
}

/// Names on stderr every stored value a command could not read, one line each
/// (`ACCOUNT:ID`, the version, what failed): the output goes on with every other item,
/// and what it shows of a damaged one is only what could be read.
func warnDamaged(_ damaged: some Sequence<DamagedRecord>) {
    for d in damaged {
        printError("diarium: warning: \(d) (the captured bytes are intact: `diarium show \(d.reference) --raw --version \(d.version)`; `diarium verify` tells whether the row was altered)")
    }
}

/// Runs a command body and turns every failure into one sentence on stderr and an exit
/// status: 2 for a configuration mistake or a registry path that leads to no usable
/// registry, 1 for anything else. Never a stack trace.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ConfigurationError {
        printError("diarium: \(error.message)")
        throw ExitCode(2)
    } catch let error as RegistryError where error.isAboutTheFile {
        printError("diarium: \(error.message)")
        throw ExitCode(2)
    } catch let error as OptionValueError {
        printError("diarium: \(error.message)")
        throw ExitCode(2)
    } catch let error as ExportUsageError {
        printError("diarium: \(error.message)")
        throw ExitCode(2)
    } catch let error as any UserFacingError {
        printError("diarium: \(error.message)")
        throw ExitCode(1)
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("diarium: \(error)")
        throw ExitCode(1)
    }
}

/// Log lines go to stderr, one line per event, with the account key as metadata: with
/// journald's `<N>` priority prefixes under systemd, JSON for log shippers, plain text on
/// a terminal. Every line passes through the redactor, so no credential reaches a log.
func bootstrapLogging(level: Logger.Level, format: LogFormat? = nil, redactor: SecretRedactor = SecretRedactor()) {
    bootstrapLogging(LogControl(level: level, format: format ?? LogFormat.automatic()), redactor: redactor)
}

/// Every logger of the process reads its level and format from `control`, so `run` can
/// change them on reload.
func bootstrapLogging(_ control: LogControl, redactor: SecretRedactor) {
    LoggingSystem.bootstrap { label in JournaldLogHandler(label: label, control: control, redactor: redactor) }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

/// A failure in what the user asked for, said in one sentence.
struct UsageError: UserFacingError {
    var message: String
    init(_ message: String) { self.message = message }
}

/// An option given a value it cannot take (`--date 2026-13-45`, `--limit 0`): a usage
/// mistake, so exit status 2 (as for a mistake in the configuration), in one sentence
/// that names the option as the user typed it.
struct OptionValueError: UserFacingError {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The `--reason` an officer action must give (a hold, its release, a disposal): the
/// reason goes into the change log, so none, or only spaces, is a usage mistake that
/// names the action.
func requiredReason(_ reason: String?, for action: String) throws -> String {
    guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw OptionValueError("\(action) needs --reason \"…\": the reason is kept in the change log.")
    }
    return reason
}
