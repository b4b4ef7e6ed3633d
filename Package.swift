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
        // Metrics facade and its Prometheus backend (only swift-atomics below it, no NIO).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Typed, non-variadic wrappers around libcurl (Debian: libcurl4-openssl-dev).
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // SHA-256 from OpenSSL's libcrypto (Debian: libssl-dev), on the CPU's SHA instructions.
        .target(
            name: "CCrypto",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // Cairo and Pango through their C APIs (Debian: libcairo2-dev, libpango1.0-dev): the
        // access-request answer's PDF, laid out and embedded by well-kept libraries.
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        // Domain types shared by every stage; no I/O.
        .target(name: "DiariumCore", dependencies: ["CCrypto"]),
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
        // Answers to access requests (innsyn, allmän handling): the released items screened as
        // the public journal screens, as PDF (Cairo + Pango), HTML or CSV. Its own target, so
        // the core and its tests build without Cairo and Pango.
        .target(name: "DiariumAccess", dependencies: ["CPangoCairo", "DiariumCore", "DiariumStore", "DiariumOutputs"]),
        // Archive exports: Noark 5 arkivuttrekk and WARC 1.1, read from the registry.
        .target(name: "DiariumExport", dependencies: ["DiariumCore", "DiariumStore", "DiariumOutputs"]),
        // A small HTTP/1.1 server on 127.0.0.1 that replays scripted responses (demo and tests).
        .target(name: "DiariumReplay"),
        // The demo's sample accounts, served by DiariumReplay.
        .target(name: "DiariumDemo", dependencies: ["DiariumReplay"]),
        // The production daemon: per-account scheduling, systemd notify, journald logs,
        // metrics on 127.0.0.1, reload. Kept out of the executable so tests drive it directly.
        .target(
            name: "DiariumDaemon",
            dependencies: [
                "DiariumCore", "DiariumConfig", "DiariumHTTP", "DiariumRules", "DiariumStore", "DiariumArchiver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The records officer's web page (Hummingbird), in its own target so the core and
        // its tests build without swift-nio.
        .target(
            name: "DiariumWeb",
            dependencies: [
                "DiariumCore", "DiariumStore", "DiariumOutputs", "DiariumConfig", "DiariumAccess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "diarium",
            dependencies: [
                "DiariumCore", "DiariumConfig", "DiariumHTTP", "DiariumConnectors", "DiariumRules",
                "DiariumStore", "DiariumArchiver", "DiariumOutputs", "DiariumReplay", "DiariumDemo", "DiariumExport",
                "DiariumDaemon", "DiariumWeb", "DiariumAccess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "diarium-bench",
            dependencies: ["DiariumCore", "DiariumConfig", "DiariumConnectors", "DiariumHTTP", "DiariumRules", "DiariumStore", "DiariumArchiver", "DiariumOutputs", "DiariumReplay",
                           "DiariumExport", "DiariumAccess",
                           .product(name: "Logging", package: "swift-log")]
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
        .testTarget(
            name: "DiariumExportTests",
            dependencies: [
                "DiariumExport", "DiariumStore", "DiariumArchiver", "DiariumRules", "DiariumDemo", "DiariumReplay",
                "DiariumHTTP", "DiariumTestSupport",
                // Damaged-row tests break a registry copy's rows straight through SQL.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DiariumDaemonTests",
            dependencies: [
                "DiariumDaemon", "DiariumArchiver", "DiariumConfig", "DiariumCore", "DiariumHTTP", "DiariumRules",
                "DiariumStore", "DiariumReplay", "DiariumDemo", "DiariumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
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
                // The damaged-row page test breaks rows straight through SQL.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Access-request answers built from a registry filled through the archiver, checked with
        // poppler's pdftotext and through the built binary.
        .testTarget(
            name: "DiariumAccessTests",
            dependencies: [
                "DiariumAccess", "DiariumStore", "DiariumOutputs", "DiariumCore", "DiariumArchiver", "DiariumRules",
                "DiariumHTTP", "DiariumConfig", "DiariumDemo", "DiariumReplay", "DiariumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                // The change-log test reads the entry and breaks a row straight through SQL.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // GRDB: the damaged-row test breaks a registry's rows straight through SQL.
        .testTarget(name: "DiariumCLITests", dependencies: ["DiariumTestSupport", "DiariumDemo", "DiariumReplay", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
