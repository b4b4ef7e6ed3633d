import DiariumArchiver
import DiariumConfig
import DiariumCore
import DiariumHTTP
import DiariumReplay
import DiariumRules
import DiariumStore
import Foundation
import Glibc
import Logging

// Row 1 of issue #7: one Mastodon account of N posts (every tenth with two replies by
// invented people), archived by Diarium and by mastodon-archive 1.4.8 (the Python
// archiver Mastodon users run, from PyPI, in a venv under .build) from the same local
// replay server, behind TLS made here: openssl makes a certificate for 127.0.0.1, socat
// terminates TLS in front of the replay server (mastodon-archive speaks only https).
// Each archiver runs as a child process of its own; wall time and peak RSS (wait4's
// ru_maxrss) are the child's alone, measured through a small intermediate process (see
// `measuredChild`).
//
// The peer runs `mastodon-archive --quiet archive --no-favourites --no-bookmarks
// --with-mentions etaten@127.0.0.1:PORT`: its statuses plus the mentions in its
// notifications are the account's posts and the replies to them, what Diarium archives
// (posts, and replies through each thread's /context). Favourites and bookmarks are not
// the account's records and Diarium does not fetch them, so the peer skips them too.
// Its client and user secret files are written beforehand, so it logs in without a prompt.

let peerVersion = "1.4.8"

/// The generated account: post `i` (1 = oldest … n = newest) has id `base + i·1000`, its
/// replies `+1` and `+2`; every tenth post has two. Created every 15 minutes back from two
/// days ago, so a few hundred posts fall inside the default 14-day rescan window.
struct PeerAccount: Sendable {
    let posts: Int
    let publicBase: String
    let newest: Date
    /// Rendered once: it is inside every post.
    let accountJSON: String

    init(posts: Int, publicBase: String, newest: Date) {
        self.posts = posts
        self.publicBase = publicBase
        self.newest = newest
        accountJSON = Self.account(posts: posts, newest: newest)
    }

    static let accountID = "109000000000000001"
    static let idBase = 110_000_000_000_000_000
    static let repliers = 50

    var replyCount: Int { (posts / 10) * 2 }
    var statusCount: Int { posts + replyCount }

    func postID(_ i: Int) -> Int { Self.idBase + i * 1000 }
    func hasReplies(_ i: Int) -> Bool { i % 10 == 0 }
    func createdAt(_ i: Int) -> Date { newest.addingTimeInterval(-Double(posts - i) * 900) }

    /// ISO 8601 with milliseconds, as Mastodon writes it.
    static func iso(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).000Z"
    }

    static func account(posts: Int, newest: Date) -> String {
        #"{"id":"\#(Self.accountID)","username":"etaten","acct":"etaten","display_name":"Etaten","locked":false,"bot":false,"discoverable":true,"group":false,"created_at":"2019-03-01T00:00:00.000Z","note":"<p>Offisiell konto for Etaten.</p>","url":"https://social.example.org/@etaten","uri":"https://social.example.org/users/etaten","avatar":"https://social.example.org/avatars/original/missing.png","avatar_static":"https://social.example.org/avatars/original/missing.png","header":"https://social.example.org/headers/original/missing.png","header_static":"https://social.example.org/headers/original/missing.png","followers_count":1200,"following_count":12,"statuses_count":\#(posts),"last_status_at":"\#(Self.iso(newest).prefix(10))","emojis":[],"fields":[]}"#
    }

    func replierJSON(_ n: Int) -> String {
        #"{"id":"\#(2_000_000 + n)","username":"innbyggjar\#(n)","acct":"innbyggjar\#(n)@people.example.org","display_name":"Innbyggjar \#(n)","locked":false,"bot":false,"discoverable":true,"group":false,"created_at":"2021-05-01T00:00:00.000Z","note":"","url":"https://people.example.org/@innbyggjar\#(n)","uri":"https://people.example.org/users/innbyggjar\#(n)","avatar":"https://people.example.org/avatars/original/missing.png","avatar_static":"https://people.example.org/avatars/original/missing.png","header":"https://people.example.org/headers/original/missing.png","header_static":"https://people.example.org/headers/original/missing.png","followers_count":40,"following_count":80,"statuses_count":300,"last_status_at":"2026-11-20","emojis":[],"fields":[]}"#
    }

    func postJSON(_ i: Int) -> String {
        let id = postID(i)
        return #"{"id":"\#(id)","created_at":"\#(Self.iso(createdAt(i)))","in_reply_to_id":null,"in_reply_to_account_id":null,"sensitive":false,"spoiler_text":"","visibility":"public","language":"nb","uri":"https://social.example.org/users/etaten/statuses/\#(id)","url":"https://social.example.org/@etaten/\#(id)","replies_count":\#(hasReplies(i) ? 2 : 0),"reblogs_count":\#(i % 7),"favourites_count":\#(i % 13),"edited_at":null,"content":"<p>Melding \#(i) frå Etaten: opningstidene ved servicekontoret er endra denne veka. Les meir på nettsida vår.</p>","reblog":null,"application":{"name":"Web","website":null},"account":\#(accountJSON),"media_attachments":[],"mentions":[],"tags":[],"emojis":[],"card":null,"poll":null}"#
    }

    func replier(_ i: Int, _ k: Int) -> Int { (i / 10 * 2 + k) % Self.repliers }

    func replyJSON(_ i: Int, _ k: Int) -> String {
        let id = postID(i) + k
        let who = replier(i, k)
        return #"{"id":"\#(id)","created_at":"\#(Self.iso(createdAt(i).addingTimeInterval(Double(60 * k))))","in_reply_to_id":"\#(postID(i))","in_reply_to_account_id":"\#(Self.accountID)","sensitive":false,"spoiler_text":"","visibility":"public","language":"nb","uri":"https://people.example.org/users/innbyggjar\#(who)/statuses/\#(id)","url":"https://people.example.org/@innbyggjar\#(who)/\#(id)","replies_count":0,"reblogs_count":0,"favourites_count":1,"edited_at":null,"content":"<p><span class=\"h-card\"><a href=\"https://social.example.org/@etaten\" class=\"u-url mention\">@<span>etaten</span></a></span> Takk for svaret om melding \#(i), eg har eit spørsmål til.</p>","reblog":null,"application":null,"account":\#(replierJSON(who)),"media_attachments":[],"mentions":[{"id":"\#(Self.accountID)","username":"etaten","url":"https://social.example.org/@etaten","acct":"etaten@social.example.org"}],"tags":[],"emojis":[],"card":null,"poll":null}"#
    }

    /// Notification `n` (1 = oldest) is the mention of reply `(n+1) % 2 + 1` to post `10·⌈n/2⌉`.
    func notificationJSON(_ n: Int) -> String {
        let i = (n + 1) / 2 * 10
        let k = n % 2 == 1 ? 1 : 2
        return #"{"id":"\#(n)","type":"mention","created_at":"\#(Self.iso(createdAt(i).addingTimeInterval(Double(60 * k))))","account":\#(replierJSON(replier(i, k))),"status":\#(replyJSON(i, k))}"#
    }

    // MARK: Serving

    /// What the peer needs to start (apps, token, verify_credentials, instance) and the
    /// account lookup Diarium starts with: fixed answers.
    var fixedRoutes: [ReplayRoute] {
        let host = publicBase.replacingOccurrences(of: "https://", with: "")
        let instance = #"{"uri":"\#(host)","title":"Etaten sosial","short_description":"","description":"Ein lokal tenar for målingar.","email":"drift@example.org","version":"4.3.0","urls":{"streaming_api":"wss://\#(host)"},"stats":{"user_count":1,"status_count":\#(statusCount),"domain_count":2},"thumbnail":null,"languages":["nb"],"registrations":false,"approval_required":false,"invites_enabled":false,"configuration":{"statuses":{"max_characters":500,"max_media_attachments":4}},"contact_account":null,"rules":[]}"#
        let instanceV2 = #"{"domain":"\#(host)","title":"Etaten sosial","version":"4.3.0","source_url":"https://github.com/mastodon/mastodon","description":"Ein lokal tenar for målingar.","usage":{"users":{"active_month":1}},"thumbnail":{"url":"https://social.example.org/thumb.png"},"languages":["nb"],"configuration":{"urls":{"streaming":"wss://\#(host)"},"statuses":{"max_characters":500}},"registrations":{"enabled":false,"approval_required":false,"message":null},"api_versions":{"mastodon":2},"contact":{"email":"drift@example.org","account":null},"rules":[]}"#
        let credentials = String(accountJSON.dropLast()) + #","source":{"privacy":"public","sensitive":false,"language":"nb","note":"Offisiell konto for Etaten.","fields":[],"follow_requests_count":0}}"#
        var app = ReplayRoute.json("/api/v1/apps", #"{"id":"1","name":"mastodon-archive","website":null,"redirect_uri":"urn:ietf:wg:oauth:2.0:oob","client_id":"peer-client-id","client_secret":"peer-client-secret","vapid_key":""}"#)
        app.method = "POST"
        var token = ReplayRoute.json("/oauth/token", #"{"access_token":"peer-access-token","token_type":"Bearer","scope":"read","created_at":1763856000}"#)
        token.method = "POST"
        return [
            // Mastodon.py asks with a trailing slash; Mastodon answers both.
            .json("/api/v1/instance", instance), .json("/api/v1/instance/", instance),
            .json("/api/v2/instance", instanceV2), .json("/api/v2/instance/", instanceV2),
            .json("/api/v1/accounts/verify_credentials", credentials),
            .json("/api/v1/accounts/lookup", query: ["acct": "etaten"], accountJSON),
            app, token,
        ]
    }

    /// The statuses, contexts and notifications, rendered when asked for.
    func answer(_ request: RecordedRequest) -> ReplayRoute? {
        let path = request.path
        if path == "/api/v1/accounts/\(Self.accountID)/statuses" { return statusesPage(request.query) }
        if path == "/api/v1/notifications" { return notificationsPage(request.query) }
        if path.hasPrefix("/api/v1/statuses/") {
            let rest = path.dropFirst("/api/v1/statuses/".count)
            let parts = rest.split(separator: "/")
            guard let id = Int(parts.first ?? ""), let (i, k) = locate(id) else { return nil }
            if parts.count == 1 { return .json(path, k == 0 ? postJSON(i) : replyJSON(i, k)) }
            guard parts.count == 2, parts[1] == "context" else { return nil }
            if k > 0 { return .json(path, #"{"ancestors":[\#(postJSON(i))],"descendants":[]}"#) }
            let descendants = hasReplies(i) ? "\(replyJSON(i, 1)),\(replyJSON(i, 2))" : ""
            return .json(path, #"{"ancestors":[],"descendants":[\#(descendants)]}"#)
        }
        return nil
    }

    /// Post index and reply number (0 for the post itself) of a status id.
    func locate(_ id: Int) -> (Int, Int)? {
        let offset = id - Self.idBase
        let (i, k) = (offset / 1000, offset % 1000)
        guard i >= 1, i <= posts, k == 0 || (k <= 2 && hasReplies(i)) else { return nil }
        return (i, k)
    }

    /// Mastodon's paging: `limit` (default 20, at most 40), newest first; `max_id` older
    /// than, `since_id` newest newer than, `min_id` the oldest newer than; Link next/prev.
    func statusesPage(_ query: [String: String]) -> ReplayRoute {
        let limit = min(40, max(1, Int(query["limit"] ?? "") ?? 20))
        var high = posts
        var low = 1
        if let max = query["max_id"].flatMap(Int.init) { high = Swift.min(high, Int((Double(max - Self.idBase) / 1000).rounded(.up)) - 1) }
        if let since = query["since_id"].flatMap(Int.init) { low = Swift.max(low, (since - Self.idBase) / 1000 + 1) }
        var range: [Int] = []
        if let min = query["min_id"].flatMap(Int.init) {
            low = Swift.max(low, (min - Self.idBase) / 1000 + 1)
            if low <= high { range = Array((low...Swift.min(high, low + limit - 1)).reversed()) }
        } else if low <= high {
            range = Array((Swift.max(low, high - limit + 1)...high).reversed())
        }
        return linkedPage("/api/v1/accounts/\(Self.accountID)/statuses", limit: limit,
                          items: range.map(postJSON), ids: range.map { String(postID($0)) })
    }

    /// A page of a Mastodon list with the Link header a client pages by: `next` (older,
    /// only when the page is full) and `prev` (newer).
    func linkedPage(_ path: String, limit: Int, items: [String], ids: [String]) -> ReplayRoute {
        var route = ReplayRoute.json(path, "[" + items.joined(separator: ",") + "]")
        if let first = ids.first, let last = ids.last {
            let url = "\(publicBase)\(path)?limit=\(limit)"
            var links: [String] = []
            if ids.count == limit { links.append("<\(url)&max_id=\(last)>; rel=\"next\"") }
            links.append("<\(url)&min_id=\(first)>; rel=\"prev\"")
            route.headers.append(ReplayHeader("Link", links.joined(separator: ", ")))
        }
        return route
    }

    func notificationsPage(_ query: [String: String]) -> ReplayRoute {
        let limit = min(40, max(1, Int(query["limit"] ?? "") ?? 40))
        var high = replyCount
        if let max = query["max_id"].flatMap(Int.init) { high = min(high, max - 1) }
        var low = 1
        if let since = (query["since_id"] ?? query["min_id"]).flatMap(Int.init) { low = max(low, since + 1) }
        let range = low <= high ? Array((max(low, high - limit + 1)...high).reversed()) : []
        return linkedPage("/api/v1/notifications", limit: limit, items: range.map(notificationJSON), ids: range.map(String.init))
    }
}

// MARK: The benchmark

func peerRows(posts: Int, directory: URL) throws -> [BenchRow] {
    let work = directory.appendingPathComponent("peer")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let venv = try peerVenv()
    let (certificate, key) = try makeCertificate(in: work)

    let tlsPort = try freeLoopbackPort()
    let publicBase = "https://127.0.0.1:\(tlsPort)"
    let account = PeerAccount(posts: posts, publicBase: publicBase, newest: Date().addingTimeInterval(-2 * 86400))
    let server = try ReplayServer(routes: account.fixedRoutes, options: ReplayServer.Options(
        keepAlive: true, recordsRequests: false, generated: { account.answer($0) }))
    defer { server.stop() }
    let tls = try startTLS(port: tlsPort, backend: server.port, certificate: certificate, key: key, logFile: work.appendingPathComponent("socat.log").path)
    defer {
        kill(tls, SIGTERM)
        var status: Int32 = 0
        waitpid(tls, &status, 0)
    }
    do {
        try waitUntilAccepting(port: tlsPort, within: .seconds(10))
    } catch {
        throw BenchError("socat did not start listening: \(error)")
    }
    progress("peer: serving \(posts) posts and \(account.replyCount) replies at \(publicBase)")

    // Diarium, as the daemon runs one cycle: its own process, its own registry.
    let registryPath = work.appendingPathComponent("registry.sqlite").path
    let before = server.requestCount
    // DIARIUM_BENCH_PEER_WRAP (e.g. "valgrind --tool=callgrind") runs the child under a profiler.
    let wrap = ProcessInfo.processInfo.environment["DIARIUM_BENCH_PEER_WRAP"].map { $0 + " " } ?? ""
    let diarium = try measuredChild(
        "exec \(wrap)\(shellQuote(selfExecutablePath())) --peer-child \(shellQuote(publicBase)) \(shellQuote(certificate)) \(shellQuote(registryPath))",
        directory: work.path, log: work.appendingPathComponent("diarium.log").path)
    let diariumRequests = server.requestCount - before
    guard diarium.exitStatus == 0 else {
        throw BenchError("the Diarium child failed (exit \(diarium.exitStatus)): \(tail(work.appendingPathComponent("diarium.log").path))")
    }
    let diariumItems = try Registry(path: registryPath).counts().items
    progress("peer: Diarium archived \(diariumItems) statuses in \(formatted(diarium.wall, 1)) s (\(formatted(diarium.cpu, 1)) s CPU), peak RSS \(mib(diarium.maxRSSKiB)) MiB, \(diariumRequests) requests")

    // mastodon-archive, logged in beforehand through its secret files.
    let host = "127.0.0.1:\(tlsPort)"
    try "peer-client-id\npeer-client-secret\n\(publicBase)\nmastodon-archive\n"
        .write(toFile: work.appendingPathComponent("\(host).client.secret").path, atomically: true, encoding: .utf8)
    try "peer-access-token\n\(publicBase)\npeer-client-id\npeer-client-secret\n"
        .write(toFile: work.appendingPathComponent("\(host).user.etaten.secret").path, atomically: true, encoding: .utf8)
    let beforePeer = server.requestCount
    let peer = try measuredChild(
        "REQUESTS_CA_BUNDLE=\(shellQuote(certificate)) exec \(shellQuote(venv + "/bin/mastodon-archive")) --quiet archive --no-favourites --no-bookmarks --with-mentions etaten@\(host)",
        directory: work.path, log: work.appendingPathComponent("peer.log").path)
    let peerRequests = server.requestCount - beforePeer
    guard peer.exitStatus == 0 else {
        throw BenchError("mastodon-archive failed (exit \(peer.exitStatus)): \(tail(work.appendingPathComponent("peer.log").path))")
    }
    let peerItems = try countPeerArchive(python: venv + "/bin/python", file: work.appendingPathComponent("\(host).user.etaten.json").path)
    progress("peer: mastodon-archive archived \(peerItems.statuses) statuses + \(peerItems.mentions) mentions in \(formatted(peer.wall, 1)) s (\(formatted(peer.cpu, 1)) s CPU), peak RSS \(mib(peer.maxRSSKiB)) MiB, \(peerRequests) requests")

    let expected = account.statusCount
    let peerTotal = peerItems.statuses + peerItems.mentions
    let same = diariumItems == expected && peerTotal == expected
    let speedup = (Double(diariumItems) / diarium.wall) / (Double(peerTotal) / peer.wall)
    let memoryShare = Double(diarium.maxRSSKiB) / Double(peer.maxRSSKiB)
    let what = "one Mastodon account, \(posts) posts + \(account.replyCount) replies, over TLS"
    let command = "`swift run -c release diarium-bench --only peer --peer-posts \(posts)`"
    let check = same ? "both archived all \(expected) statuses"
        : "**counts differ**: expected \(expected), Diarium \(diariumItems), mastodon-archive \(peerItems.statuses) + \(peerItems.mentions) mentions"
    return [
        BenchRow(benchmark: "\(what): Diarium", figure: "\(formatted(diarium.wall, 1)) s wall (\(formatted(diarium.cpu, 1)) s CPU), \(Int(Double(diariumItems) / diarium.wall)) statuses/s, peak RSS \(mib(diarium.maxRSSKiB)) MiB, \(diariumRequests) requests", goal: check, command: command),
        BenchRow(benchmark: "\(what): mastodon-archive \(peerVersion) (`archive --with-mentions`)", figure: "\(formatted(peer.wall, 1)) s wall (\(formatted(peer.cpu, 1)) s CPU), \(Int(Double(peerTotal) / peer.wall)) statuses/s, peak RSS \(mib(peer.maxRSSKiB)) MiB, \(peerRequests) requests", goal: "the peer", command: command),
        BenchRow(benchmark: "\(what): throughput Diarium ÷ mastodon-archive", figure: "\(formatted(speedup, 1))×",
                 goal: goal("≥ 10×", met: speedup >= 10 && same, why: same ? "Diarium's time is ingest CPU; faster ingest would meet it — PERFORMANCE.md" : "counts differ"), command: command),
        BenchRow(benchmark: "\(what): peak RSS Diarium ÷ mastodon-archive", figure: "\(formatted(memoryShare, 2))",
                 goal: goal("≤ 0.25", met: memoryShare <= 0.25 && same, why: same ? "Diarium's ~45 MiB floor against a peer that grows with the account; met from ~10,000 posts — PERFORMANCE.md" : "counts differ"), command: command),
    ]
}

/// The Diarium child: one cycle over the generated account, as `diarium run --once`
/// would run it (the daemon's HTTP client, the `no` rulebook), then `items failedPolls`.
func peerChild(baseURL: String, caFile: String, registryPath: String) async throws {
    var configuration = DiariumConfiguration(registryPath: registryPath, accounts: [
        AccountConfig(key: "etaten", platform: .mastodon, baseURL: baseURL, handle: "etaten"),
    ])
    configuration.caFile = caFile
    let registry = try Registry(path: registryPath)
    let rulebook = try Rulebook.load(profile: "no", defaults: try Rulebook.defaultDirectory())
    let client = CurlHTTPClient(configuration: HTTPClientConfiguration(configuration), logger: quietLogger("diarium.bench.http"))
    let archiver = Archiver(configuration: configuration, registry: registry, rulebook: rulebook, client: client, logger: quietLogger("diarium.bench.archiver"))
    let report = await archiver.runCycle()
    for outcome in report.outcomes where outcome.error != nil {
        FileHandle.standardError.write(Data("\(outcome.account): \(outcome.error ?? "")\n".utf8))
    }
    print(report.total.newItems, report.failedAccounts.count)
    if !report.failedAccounts.isEmpty { exit(1) }
}

// MARK: Helpers

struct ChildFigures {
    var wall: Double
    /// User plus system CPU seconds of the child.
    var cpu: Double
    var maxRSSKiB: Int
    var exitStatus: Int32
}

extension ChildFigures {
    /// How `--measure` hands its figures back to the bench.
    var line: String { "\(wall) \(cpu) \(maxRSSKiB) \(exitStatus)" }

    init?(line: String) {
        let parts = line.split(separator: " ")
        guard parts.count == 4, let wall = Double(parts[0]), let cpu = Double(parts[1]),
              let rss = Int(parts[2]), let status = Int32(parts[3]) else { return nil }
        self.init(wall: wall, cpu: cpu, maxRSSKiB: rss, exitStatus: status)
    }
}

/// `runChild` run from `diarium-bench --measure`, not from this process. Linux keeps a
/// process's peak RSS across execve, and posix_spawn starts the child in the parent's
/// memory (vfork), so a child spawned straight from the bench reports the bench's own peak
/// (hundreds of MiB after the search rows) as its own. The intermediate process is small
/// (~10 MiB): that is the floor of the figures it reports.
func measuredChild(_ script: String, directory: String, log: String) throws -> ChildFigures {
    let report = log + ".figures"
    let measurer = try runChild(
        "exec \(shellQuote(selfExecutablePath())) --measure \(shellQuote(script)) \(shellQuote(directory)) \(shellQuote(log))",
        directory: directory, log: report)
    let text = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard measurer.exitStatus == 0, let figures = ChildFigures(line: text) else {
        throw BenchError("the measuring process failed (exit \(measurer.exitStatus)): \(text)")
    }
    return figures
}

/// Spawn attributes giving the child an empty signal mask and default signal handlers.
/// A child inherits the spawning thread's mask, and the bench's threads block most
/// signals: the SIGTERM that ends socat stayed pending for ever and `make bench` hung
/// in the waitpid after the peer row. Destroy with posix_spawnattr_destroy.
func cleanSpawnAttributes() -> posix_spawnattr_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return attributes
}

/// Runs `/bin/sh -c "cd DIR && SCRIPT"` (the script ends in `exec`, so the measured
/// process is the program itself) and reads its peak RSS from wait4.
func runChild(_ script: String, directory: String, log: String) throws -> ChildFigures {
    let full = "cd \(shellQuote(directory)) && \(script) >\(shellQuote(log)) 2>&1"
    var pid: pid_t = 0
    let argv = cArguments(["/bin/sh", "-c", full])
    defer { argv.forEach { free($0) } }
    let started = ContinuousClock.now
    var attributes = cleanSpawnAttributes()
    defer { posix_spawnattr_destroy(&attributes) }
    let rc = posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ)
    guard rc == 0 else { throw BenchError("cannot start /bin/sh: \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
    }
    let elapsed = started.duration(to: .now)
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let exited = (status & 0x7f) == 0
    let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return ChildFigures(wall: wall, cpu: cpu, maxRSSKiB: usage.ru_maxrss, exitStatus: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
}

/// Runs a command to completion; throws with its output when it fails.
@discardableResult
func runTool(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> String {
    // posix_spawn and wait4 (runChild), as every child of this row, so that each gets a
    // clean signal mask (cleanSpawnAttributes).
    let log = NSTemporaryDirectory() + "diarium-bench-tool-\(UUID().uuidString).log"
    defer { try? FileManager.default.removeItem(atPath: log) }
    let script = "exec " + ([executable] + arguments).map(shellQuote).joined(separator: " ")
    let result = try runChild(script, directory: directory ?? FileManager.default.currentDirectoryPath, log: log)
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    guard result.exitStatus == 0 else {
        throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed (exit \(result.exitStatus)): \(text.suffix(2000))")
    }
    return text
}

/// The venv with mastodon-archive, under .build so a rerun reuses it.
func peerVenv() throws -> String {
    let venv = FileManager.default.currentDirectoryPath + "/.build/mastodon-archive-\(peerVersion)"
    if FileManager.default.isExecutableFile(atPath: venv + "/bin/mastodon-archive") { return venv }
    progress("peer: installing mastodon-archive \(peerVersion) from PyPI into \(venv)")
    try runTool("/usr/bin/env", ["python3", "-m", "venv", venv])
    try runTool(venv + "/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "mastodon-archive==\(peerVersion)"])
    return venv
}

/// A self-signed certificate for 127.0.0.1 and localhost; it is its own CA bundle.
func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
    let certificate = directory.appendingPathComponent("replay-cert.pem").path
    let key = directory.appendingPathComponent("replay-key.pem").path
    try runTool("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                 "-keyout", key, "-out", certificate, "-subj", "/CN=127.0.0.1",
                                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
    return (certificate, key)
}

/// socat terminating TLS on `port` and forwarding each connection to the replay server.
func startTLS(port: Int, backend: Int, certificate: String, key: String, logFile: String) throws -> pid_t {
    guard let socat = ["/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw BenchError("socat is not installed (make bench installs it; or apt-get install socat)")
    }
    // Its log goes to a file: the readiness probe's plain connect makes it note an SSL error.
    // nodelay on both legs and 64 KiB blocks: socat writes a page as several TLS records,
    // and with Nagle's algorithm each waits for the client's delayed ACK (40 ms a page).
    let argv = cArguments([socat, "-lf", logFile, "-b", "65536",
                           "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,nodelay,cert=\(certificate),key=\(key),verify=0",
                           "TCP:127.0.0.1:\(backend),nodelay"])
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    var attributes = cleanSpawnAttributes()
    defer { posix_spawnattr_destroy(&attributes) }
    let rc = posix_spawn(&pid, socat, nil, &attributes, argv, environ)
    guard rc == 0 else { throw BenchError("cannot start socat: \(String(cString: strerror(rc)))") }
    return pid
}

/// A port nothing listens on now (the kernel's pick for a socket bound and closed).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw BenchError("bind() failed") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func countPeerArchive(python: String, file: String) throws -> (statuses: Int, mentions: Int) {
    let output = try runTool(python, ["-c", "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['statuses']), len(d['mentions']))", file])
    let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    guard numbers.count == 2 else { throw BenchError("cannot count the peer's archive \(file): \(output)") }
    return (numbers[0], numbers[1])
}

/// A NULL-terminated argv for posix_spawn; the caller frees each string.
func cArguments(_ arguments: [String]) -> [UnsafeMutablePointer<CChar>?] {
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { (argument: String) -> UnsafeMutablePointer<CChar>? in strdup(argument) }
    argv.append(nil)
    return argv
}

func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
func mib(_ kib: Int) -> String { formatted(Double(kib) / 1024, 1) }
func progress(_ line: String) { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
func tail(_ path: String) -> String { String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(2000)) }
