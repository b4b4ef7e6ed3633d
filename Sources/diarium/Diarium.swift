import ArgumentParser
import DiariumCore

/// The `diarium` command: the daemon and every tool a records officer, sysadmin or
/// auditor runs against the registry.
@main
struct Diarium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diarium",
        abstract: "Keeps a public agency's social-media accounts as public records.",
        discussion: """
            Diarium polls the agency's accounts, captures every item with the exact bytes received, \
            decides under the Norwegian (no) or Swedish (se) archiving rules whether it must be journaled, \
            and keeps everything in a SQLite registry. Every command takes --config FILE (TOML) and \
            --db FILE (the registry; overrides [registry] path).
            """,
        version: diariumVersionString,
        subcommands: [
            RunCommand.self, DemoCommand.self, ClassifyCommand.self, JournalCommand.self,
            ShowCommand.self, SearchCommand.self, VerifyCommand.self, ReviewCommand.self,
            ExportCommand.self, StatusCommand.self, ServeCommand.self, UserCommand.self, MigrateCommand.self, TimestampCommand.self,
            HoldCommand.self, DisposeCommand.self,
            InnsynCommand.self,
        ]
    )
}

let diariumVersionString = "0.1.0"
