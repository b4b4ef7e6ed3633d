import ArgumentParser
import DiariumCore
import DiariumStore
import DiariumWeb
import Foundation

/// `diarium user`: the people who may use the web page, kept in the registry.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the web page's users: add (or change) one, list them, remove one.",
        subcommands: [UserAdd.self, UserList.self, UserRemove.self])
}

extension UserRole: ExpressibleByArgument {}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user, or set a new role and password for an existing one.",
        discussion: """
            The password is read from standard input (one line; typed twice when stdin is a terminal), never \
            from the command line, where other users could see it; it must have at least 12 characters. It is stored as a PBKDF2-HMAC-SHA256 hash \
            with a random salt. Roles: officer (reads, approves, overrides), auditor (reads only), admin.
            Example: printf '%s\\n' "$PASSWORD" | diarium user add kari --role officer
            """)

    /// Shorter passwords are refused: the web page slows guessing down, but a short
    /// password is still guessed in the end.
    static let minimumPasswordLength = 12

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The user name to log in with.") var name: String
    @Option(help: "officer, auditor or admin.") var role: UserRole

    func run() async throws {
        try await reportingErrors {
            let password = try readPassword()
            guard password.count >= UserAdd.minimumPasswordLength else {
                throw UsageError("The password has \(password.count) characters; it needs at least \(UserAdd.minimumPasswordLength) (a few words make a good one), so none was set.")
            }
            let configuration = try options.loadConfiguration()
            let registry = try options.openRegistry(configuration, access: .write)
            let added = try registry.setUser(name: name, role: role, passwordHash: PasswordHash.make(password), actor: officerName())
            printText("\(added ? "added" : "updated") user \(name) (\(role.rawValue))")
        }
    }

    /// One line from stdin without its line break; at a terminal, asked twice without echo.
    func readPassword() throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = prompt("Password for \(name): ")
            let second = prompt("Again: ")
            guard first == second else { throw UsageError("The two passwords differ; none was set.") }
            return first
        }
        return readLine(strippingNewline: true) ?? ""
    }

    func prompt(_ text: String) -> String {
        guard let pointer = getpass(text) else { return "" }
        return String(cString: pointer)
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users and their roles.")

    @OptionGroup var options: RegistryOptions

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            for user in try options.openRegistry(configuration, access: .read).users() {
                printText("\(user.name)\t\(user.role.rawValue)")
            }
        }
    }
}

struct UserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user and end their sessions.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "The user name.") var name: String

    func run() async throws {
        try await reportingErrors {
            let configuration = try options.loadConfiguration()
            try options.openRegistry(configuration, access: .write).removeUser(name: name, actor: officerName())
            printText("removed user \(name)")
        }
    }
}
