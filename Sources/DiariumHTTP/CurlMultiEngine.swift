import CCurl
import Foundation
import Synchronization

/// Runs every transfer of one client on a single dedicated thread through the curl
/// multi interface, so thousands of requests per cycle cost one thread and a shared
/// connection cache, and no blocking call ever lands on Swift's cooperative pool.
///
/// Other threads only append commands to a mailbox and call `curl_multi_wakeup`
/// (the one multi function documented as thread-safe); handles are created, added,
/// removed and freed on the engine thread alone.
final class CurlMultiEngine: Sendable {
    private let mailbox: Mailbox

    init(maxConcurrentTransfers: Int) {
        _ = curlGlobalInit
        let mailbox = Mailbox()
        self.mailbox = mailbox
        let limit = maxConcurrentTransfers
        let thread = Thread {
            EngineLoop(mailbox: mailbox, maxConcurrent: limit).run()
        }
        thread.name = "diarium.curl"
        thread.start()
    }

    deinit {
        mailbox.stop()
    }

    /// Performs one transfer. Cancelling the calling task removes the handle from the
    /// multi stack at once and returns `CurlFailure.cancelled`.
    func perform(_ request: HTTPRequest, options: TransferOptions) async -> Result<RawResponse, CurlFailure> {
        let id = mailbox.nextID()
        let gate = CancellationGate()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<RawResponse, CurlFailure>, Never>) in
                let job = TransferJob(id: id, request: request, options: options, continuation: continuation)
                if !gate.submit({ mailbox.send(.add(job)) }) {
                    continuation.resume(returning: .failure(.cancelled))
                }
            }
        } onCancel: {
            gate.cancel { mailbox.send(.cancel(id)) }
        }
    }
}

struct TransferJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let options: TransferOptions
    let continuation: CheckedContinuation<Result<RawResponse, CurlFailure>, Never>

    func complete(_ result: Result<RawResponse, CurlFailure>) {
        continuation.resume(returning: result)
    }
}

/// Orders submission and cancellation of one call: a cancel that comes first makes
/// the submit fail; a cancel that comes after is forwarded to the engine, which sees
/// it after the add because both go through the same FIFO mailbox.
private final class CancellationGate: Sendable {
    private let state = Mutex<(submitted: Bool, cancelled: Bool)>((false, false))

    func submit(_ enqueue: () -> Void) -> Bool {
        state.withLock { state in
            if state.cancelled { return false }
            state.submitted = true
            enqueue()
            return true
        }
    }

    func cancel(_ forward: () -> Void) {
        state.withLock { state in
            state.cancelled = true
            if state.submitted { forward() }
        }
    }
}

/// The multi handle pointer. `CURLM*` is not Sendable; sharing it is sound only
/// because other threads use it solely for `curl_multi_wakeup`, under the mailbox lock.
private struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The engine's inbox: commands in FIFO order plus the stop flag.
private final class Mailbox: Sendable {
    enum Command: Sendable {
        case add(TransferJob)
        case cancel(UInt64)
    }

    private struct State {
        var commands: [Command] = []
        var stopped = false
        var cleanedUp = false
        var lastID: UInt64 = 0
    }

    private let state = Mutex(State())
    let multi: MultiHandle

    init() {
        guard let raw = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        multi = MultiHandle(raw: raw)
    }

    func nextID() -> UInt64 {
        state.withLock { state in
            state.lastID += 1
            return state.lastID
        }
    }

    /// Queues a command and wakes the engine. After a stop, adds fail at once.
    func send(_ command: Command) {
        let rejected: TransferJob? = state.withLock { state in
            guard !state.stopped else {
                if case .add(let job) = command { return job }
                return nil
            }
            state.commands.append(command)
            _ = curl_multi_wakeup(multi.raw)
            return nil
        }
        rejected?.complete(.failure(.cancelled))
    }

    func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            _ = curl_multi_wakeup(multi.raw)
        }
    }

    /// Pending commands, and whether the engine should shut down.
    func take() -> (commands: [Command], stopped: Bool) {
        state.withLock { state in
            defer { state.commands.removeAll() }
            return (state.commands, state.stopped)
        }
    }

    /// Frees the multi handle; under the lock so no wakeup can race it.
    func cleanUp() {
        state.withLock { state in
            guard !state.cleanedUp else { return }
            state.cleanedUp = true
            _ = curl_multi_cleanup(multi.raw)
        }
    }
}

/// The engine thread's own state: nothing here is touched by another thread.
private final class EngineLoop {
    private let mailbox: Mailbox
    private let multi: UnsafeMutableRawPointer
    private let maxConcurrent: Int
    private var waiting: [TransferJob] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: (job: TransferJob, transfer: CurlEasyTransfer)] = [:]
    private var handleByID: [UInt64: UnsafeMutableRawPointer] = [:]

    init(mailbox: Mailbox, maxConcurrent: Int) {
        self.mailbox = mailbox
        self.multi = mailbox.multi.raw
        self.maxConcurrent = maxConcurrent
    }

    func run() {
        while true {
            let (commands, stopped) = mailbox.take()
            for command in commands {
                switch command {
                case .add(let job): waiting.append(job)
                case .cancel(let id): cancel(id)
                }
            }
            if stopped { break }
            startWaiting()
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            if hasStartableWork { continue }
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        shutDown()
    }

    private var pendingCount: Int { waiting.count - waitingHead }
    private var hasStartableWork: Bool { pendingCount > 0 && active.count < maxConcurrent }

    private func nextWaiting() -> TransferJob? {
        guard waitingHead < waiting.count else { return nil }
        let job = waiting[waitingHead]
        waitingHead += 1
        if waitingHead > 256 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        return job
    }

    private func startWaiting() {
        while active.count < maxConcurrent, let job = nextWaiting() {
            let transfer: CurlEasyTransfer
            do {
                transfer = try CurlEasyTransfer(request: job.request, options: job.options)
            } catch {
                job.complete(.failure(error))
                continue
            }
            let rc = curl_multi_add_handle(multi, transfer.handle)
            guard rc == CURLM_OK else {
                let text = String(cString: curl_multi_strerror(rc))
                job.complete(.failure(CurlFailure(code: .transport, detail: "curl_multi_add_handle: \(text)", retryable: true)))
                continue
            }
            active[transfer.handle] = (job, transfer)
            handleByID[job.id] = transfer.handle
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let rc = ccurl_msg_result(message)
            guard let entry = active.removeValue(forKey: handle) else { continue }
            handleByID[entry.job.id] = nil
            let result = entry.transfer.finish(rc)
            _ = curl_multi_remove_handle(multi, handle)
            entry.job.complete(result)
        }
    }

    private func cancel(_ id: UInt64) {
        if let handle = handleByID.removeValue(forKey: id), let entry = active.removeValue(forKey: handle) {
            _ = curl_multi_remove_handle(multi, handle)
            entry.job.complete(.failure(.cancelled))
            return
        }
        if let index = waiting[waitingHead...].firstIndex(where: { $0.id == id }) {
            let job = waiting.remove(at: index)
            job.complete(.failure(.cancelled))
        }
        // Otherwise it already finished: nothing to do.
    }

    /// Fails everything still queued or in flight, then frees curl's state.
    private func shutDown() {
        for (handle, entry) in active {
            _ = curl_multi_remove_handle(multi, handle)
            entry.job.complete(.failure(.cancelled))
        }
        active.removeAll()
        while let job = nextWaiting() { job.complete(.failure(.cancelled)) }
        for command in mailbox.take().commands {
            if case .add(let job) = command { job.complete(.failure(.cancelled)) }
        }
        mailbox.cleanUp()
    }
}
