import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// The HTTP/1 channel with a header read timeout in front of Hummingbird's own. A client
/// must send a whole request head (and its body, a small form) within `headerTimeout` of
/// opening the connection, and of the first byte of each later request; otherwise the
/// connection is closed. Between
/// requests a kept-alive connection is closed after Hummingbird's `idleTimeout`. So a
/// client that trickles one header line every few seconds, or connects and sends nothing,
/// no longer holds a connection (and one of the `[web] max_connections` slots) forever.
/// A connection beyond `max_connections` is closed as soon as it is accepted.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let headerTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let connections: ConnectionCounter

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Over the cap: closed at once, before any byte is read.
        guard connections.open() else {
            logger.debug("connection refused: [web] max_connections reached")
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        let connections = self.connections
        channel.closeFuture.whenComplete { _ in connections.close() }
        let clock = HeaderClock(timeout: headerTimeout)
        let inner = HTTP1Channel(responder: responder,
                                 configuration: .init(additionalChannelHandlers: [RequestHeadWatcher(clock: clock)], idleTimeout: idleTimeout))
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RawByteWatcher(clock: clock), position: .first)
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}

/// Open connections across every event loop, against `[web] max_connections`.
final class ConnectionCounter: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection, or returns false when the cap is reached.
    func open() -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func close() { lock.withLock { count -= 1 } }
}

/// The header deadline of one connection, shared by the two handlers that watch it.
/// Unchecked Sendable only so Hummingbird's `@Sendable` handler list can capture it: it is
/// made per connection and touched only on that connection's event loop.
final class HeaderClock: @unchecked Sendable {
    enum State { case awaitingFirstRequest, inRequest, betweenRequests }

    let timeout: TimeAmount
    var state: State = .awaitingFirstRequest
    var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func start(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }
}

/// First in the pipeline: sees raw bytes. Starts the header clock when the connection
/// opens and when the first byte of a later request arrives.
final class RawByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let clock: HeaderClock

    init(clock: HeaderClock) { self.clock = clock }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { clock.start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        clock.start(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if clock.state == .betweenRequests { clock.start(context) }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        clock.stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { clock.stop() }
}

/// After the HTTP decoder: sees request parts. The end of a request (its head, and its
/// body when it has one: the page's forms are small) stops the clock, and the next byte
/// starts it again. So a body sent a byte now and then is cut off too.
final class RequestHeadWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    let clock: HeaderClock

    init(clock: HeaderClock) { self.clock = clock }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head, .body:
            clock.state = .inRequest
        case .end:
            clock.stop()
            clock.state = .betweenRequests
        }
        context.fireChannelRead(data)
    }
}
