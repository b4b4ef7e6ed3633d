import DiariumConfig
import DiariumStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The web page as a Hummingbird application. `Application` is a swift-service-lifecycle
/// `Service`, so `diarium run` puts it in the same `ServiceGroup` as the poller and one
/// SIGTERM stops both; `diarium serve` runs it alone.
public struct WebServer: Sendable {
    public let app: WebApp
    public let settings: WebSettings
    public let logger: Logger

    public init(app: WebApp, settings: WebSettings, logger: Logger = Logger(label: "diarium.web")) {
        self.app = app
        self.settings = settings
        self.logger = logger
    }

    /// Every route of the page. GETs only read; every POST carries a CSRF token. HEAD is
    /// answered wherever GET is (HTTP requires it, and monitoring probes and link
    /// checkers send it): the GET handler runs and its body is dropped, so the status
    /// and headers are the very ones a GET gets.
    public func router() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware())
        let app = self.app
        router.get("/") { _, _ in Response.redirect(to: "/journal") }
        router.get("login") { request, _ in try await app.loginPage(request) }
        router.post("login") { request, context in try await app.login(request, client: context.clientAddress) }
        router.post("logout") { request, _ in try await app.logout(request) }
        router.get("journal") { request, _ in try await app.journalPage(request) }
        router.get("public") { request, _ in try await app.publicJournalPage(request) }
        router.get("queue") { request, _ in try await app.queuePage(request) }
        router.get("item") { request, _ in try await app.itemPage(request) }
        router.get("capture") { request, _ in try await app.captureDownload(request) }
        router.post("approve") { request, _ in try await app.approve(request) }
        router.post("override") { request, _ in try await app.override(request) }
        router.get("disposal") { request, _ in try await app.disposalPage(request) }
        router.post("disposal/plan") { request, _ in try await app.makeDisposalPlan(request) }
        router.post("disposal/execute") { request, _ in try await app.executeDisposalPlan(request) }
        router.post("hold") { request, _ in try await app.placeHold(request) }
        router.post("hold/release") { request, _ in try await app.releaseHold(request) }
        router.get("innsyn") { request, _ in try await app.accessRequestPage(request) }
        router.post("innsyn") { request, _ in try await app.answerAccessRequest(request) }
        return router
    }

    /// The application, listening on `settings.listen:settings.port` (port 0 picks a free
    /// port); `onListening` is told the port once the socket is bound. Connections are
    /// bounded: at most `[web] max_connections` at once, a request head within
    /// `header_timeout`, and no longer than `idle_timeout` between requests.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some Service {
        let logger = self.logger
        let address = "\(settings.listen):\(settings.port)"
        let settings = self.settings
        let connections = ConnectionCounter(limit: settings.maxConnections)
        return Application(
            router: router(),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(responder: responder, headerTimeout: .seconds(Int64(settings.headerTimeoutSeconds)),
                                    idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)), connections: connections)
            },
            configuration: .init(address: .hostname(settings.listen, port: settings.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice("web page listening on http://\(address.hasSuffix(":0") ? "\(settings.listen):\(port)" : address)/")
                await onListening(port)
            },
            logger: logger)
    }
}

/// Hummingbird's basic context plus the client's address, which the login throttle and
/// the failed-login log line need.
public struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text ("unknown" when the socket has none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
