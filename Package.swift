// swift-tools-version: 6.1
import PackageDescription

// Module layout follows the one-way data flow of DESIGN.md:
// connector → capture → normaliser → rules → registry → outputs.
// A module imports only modules to its left in that chain (and DiariumCore).
let package = Package(
    name: "diarium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "diarium", targets: ["diarium"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Typed, non-variadic wrappers around libcurl (Debian: libcurl4-openssl-dev).
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // Domain types shared by every stage; no I/O.
        .target(name: "DiariumCore"),
        // The TOML configuration file.
        .target(
            name: "DiariumConfig",
            dependencies: ["DiariumCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // HTTP over libcurl: timeouts, caps, conditional requests, rate limits, retries.
        .target(
            name: "DiariumHTTP",
            dependencies: ["CCurl", "DiariumCore", .product(name: "Logging", package: "swift-log")]
        ),
        // One connector per platform: wire format in, captures and normalised items out.
        .target(
            name: "DiariumConnectors",
            dependencies: ["DiariumCore", "DiariumHTTP", .product(name: "Logging", package: "swift-log")]
        ),
        // The rulebook: detectors, profiles `no` and `se`, decisions with reasons.
        .target(
            name: "DiariumRules",
            dependencies: ["DiariumCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The registry: every SQL statement of the project lives here.
        .target(
            name: "DiariumStore",
            dependencies: ["DiariumCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // One archiving cycle: poll each account, decide, commit.
        .target(
            name: "DiariumArchiver",
            dependencies: [
                "DiariumCore", "DiariumConfig", "DiariumHTTP", "DiariumConnectors",
                "DiariumRules", "DiariumStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Journal and search renderings (text, CSV, JSON lines, HTML).
        .target(name: "DiariumOutputs", dependencies: ["DiariumCore", "DiariumStore"]),
        // A small HTTP/1.1 server on 127.0.0.1 that replays scripted responses (demo and tests).
        .target(name: "DiariumReplay"),
        // The demo's sample accounts, served by DiariumReplay.
        .target(name: "DiariumDemo", dependencies: ["DiariumReplay"]),
        // The records officer's web page (Hummingbird), in its own target so the core and
        // its tests build without swift-nio.
        .target(
            name: "DiariumWeb",
            dependencies: [
                "DiariumCore", "DiariumStore", "DiariumOutputs", "DiariumConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "diarium",
            dependencies: [
                "DiariumCore", "DiariumConfig", "DiariumHTTP", "DiariumConnectors", "DiariumRules",
                "DiariumStore", "DiariumArchiver", "DiariumOutputs", "DiariumReplay", "DiariumDemo", "DiariumWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "diarium-bench",
            dependencies: ["DiariumCore", "DiariumConnectors", "DiariumRules", "DiariumStore", "DiariumArchiver"]
        ),
        .target(name: "DiariumTestSupport", dependencies: ["DiariumCore", "DiariumReplay"], path: "Tests/DiariumTestSupport"),
        .testTarget(name: "DiariumCoreTests", dependencies: ["DiariumCore"]),
        .testTarget(name: "DiariumConfigTests", dependencies: ["DiariumConfig"]),
        .testTarget(name: "DiariumHTTPTests", dependencies: ["DiariumHTTP", "DiariumReplay", "DiariumTestSupport"]),
        .testTarget(name: "DiariumConnectorsTests", dependencies: ["DiariumConnectors", "DiariumHTTP", "DiariumReplay", "DiariumTestSupport"]),
        .testTarget(name: "DiariumRulesTests", dependencies: ["DiariumRules"]),
        .testTarget(name: "DiariumStoreTests", dependencies: ["DiariumStore", "DiariumTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "DiariumArchiverTests",
            dependencies: ["DiariumArchiver", "DiariumOutputs", "DiariumStore", "DiariumReplay", "DiariumDemo", "DiariumTestSupport"]
        ),
        // Live-server tests use libcurl (CCurl) and Chromium, not HummingbirdTesting, which
        // would pull AsyncHTTPClient and BoringSSL into every test build.
        .testTarget(
            name: "DiariumWebTests",
            dependencies: [
                "DiariumWeb", "DiariumStore", "DiariumOutputs", "DiariumConfig", "DiariumCore", "CCurl",
                "DiariumArchiver", "DiariumRules", "DiariumHTTP", "DiariumDemo", "DiariumReplay", "DiariumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "DiariumCLITests", dependencies: ["DiariumTestSupport", "DiariumDemo", "DiariumReplay"]),
    ]
)
