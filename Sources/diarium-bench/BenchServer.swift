import DiariumCore
import DiariumReplay
import Foundation

// The replay server runs in a child process of its own (`diarium-bench --replay-server
// FEEDS MASTODON`), so its threads (one per connection), its record of every request
// and its CPU stay out of the figures of the process being measured.

/// Feed `n` lives at `/feeds/n.xml` with the ETag `"feed-n-v1"`: after the first cycle,
/// every request for it carries If-None-Match and is answered 304.
func benchFeedETag(_ n: Int) -> String { "\"feed-\(n)-v1\"" }

func benchMastodonID(_ n: Int) -> String { String(120_000_000_000_000_000 + n) }

/// The accounts the replay server answers for, as the daemon's configuration names them.
func benchAccounts(baseURL: String, feeds: Int, mastodon: Int) -> [AccountConfig] {
    (0..<feeds).map { AccountConfig(key: "feed-\($0)", platform: .feed, url: "\(baseURL)/feeds/\($0).xml") }
        + (0..<mastodon).map { AccountConfig(key: "mastodon-\($0)", platform: .mastodon, baseURL: baseURL, handle: "etat\($0)") }
}

enum BenchServerChild {
    /// Serves until standard input ends; a line `count` is answered with the number of
    /// requests served so far.
    static func run(feeds: Int, mastodon: Int) -> Never {
        do {
            let server = try ReplayServer(routes: routes(feeds: feeds, mastodon: mastodon))
            FileHandle.standardOutput.write(Data("\(server.baseURL)\n".utf8))
            while let line = readLine() {
                if line == "count" {
                    FileHandle.standardOutput.write(Data("\(server.requests.count)\n".utf8))
                }
            }
            server.stop()
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("diarium-bench: replay server: \(error)\n".utf8))
            exit(1)
        }
    }

    static func routes(feeds: Int, mastodon: Int) -> [ReplayRoute] {
        var routes: [ReplayRoute] = []
        routes.reserveCapacity(feeds + 2 * mastodon)
        for n in 0..<feeds {
            let rss = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Etaten \(n)</title><link>https://etaten.example.org/\(n)/</link><description>Nyheter</description>
            <item><title>Nyhet \(n)</title><link>https://etaten.example.org/\(n)/nyheter/1</link><guid>https://etaten.example.org/\(n)/nyheter/1</guid>
            <pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate><description>Nytt fra Etaten nummer \(n).</description></item>
            </channel></rss>
            """
            var route = ReplayRoute.text("/feeds/\(n).xml", contentType: "application/rss+xml; charset=utf-8", rss)
            route.etag = benchFeedETag(n)
            routes.append(route)
        }
        for n in 0..<mastodon {
            let id = benchMastodonID(n)
            routes.append(.json("/api/v1/accounts/lookup", query: ["acct": "etat\(n)"],
                                #"{"id": "\#(id)", "username": "etat\#(n)", "acct": "etat\#(n)", "display_name": "Etat \#(n)", "url": "{{base}}/@etat\#(n)"}"#))
            routes.append(.json("/api/v1/accounts/\(id)/statuses", "[]"))
        }
        return routes
    }
}

/// The parent's end of a replay server child.
final class BenchServer {
    let baseURL: String
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(feeds: Int, mastodon: Int) throws {
        process.executableURL = URL(fileURLWithPath: selfExecutablePath())
        process.arguments = ["--replay-server", "\(feeds)", "\(mastodon)"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        baseURL = readLine(from: output.fileHandleForReading)
        guard baseURL.hasPrefix("http://") else {
            throw BenchError("the replay server child did not start (it said '\(baseURL)')")
        }
    }

    /// Requests the server has answered so far.
    func requestCount() -> Int {
        input.fileHandleForWriting.write(Data("count\n".utf8))
        return Int(readLine(from: output.fileHandleForReading)) ?? 0
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One line (without its newline) from a pipe, read byte by byte so nothing after it is consumed.
func readLine(from handle: FileHandle) -> String {
    var line = Data()
    while true {
        let byte = handle.readData(ofLength: 1)
        if byte.isEmpty || byte.first == 10 { break }
        line.append(byte)
    }
    return String(decoding: line, as: UTF8.self)
}

func selfExecutablePath() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
