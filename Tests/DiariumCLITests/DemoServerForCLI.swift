import DiariumDemo
import DiariumReplay

/// The demo's sample accounts, served in-process for CLI tests that need a config file.
enum DemoServerForCLI {
    static func start() throws -> ReplayServer { try DemoScenario.startServer() }
}
