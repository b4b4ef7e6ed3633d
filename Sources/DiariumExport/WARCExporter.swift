import DiariumCore
import DiariumStore
import Foundation

/// What a WARC export wrote.
public struct WARCExportSummary: Sendable, Hashable {
    public var file: String
    public var captures: Int
    public var records: Int
    public var bytes: Int
    /// The change log's head the file was made from (in its warcinfo record).
    public var head: ChainHead?
}

/// Writes one WARC 1.1 file, `diarium-<from>-<to>.warc`, holding every capture that
/// belongs to the selected journal days: the versions of items, the evidence of
/// deletions, downloaded media, and the quarantined payloads and account events of
/// those days. Any WARC tool (pywb, warcio, OpenWayback) can then replay or check the
/// exact bytes the platforms sent, as the registry holds them. A redirected capture is
/// filed under the URL its bytes came from, with a metadata record listing its hops
/// (see `WARCWriter` for why no hop gets a response record).
public struct WARCExporter: Sendable {
    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    public func export(to folder: URL, range: ExportRange, now: Date = Date()) throws -> WARCExportSummary {
        let output = try OutputFolder(folder)
        let (captures, head) = try registry.withHead { try registry.exportCaptures(from: range.lower, to: range.upper) }
        guard !captures.isEmpty else {
            throw ExportError("No capture belongs to a journal day \(range.description); nothing was exported.")
        }
        // Named by journal days, like the selection; a range of only quarantined
        // payloads falls back on their capture days.
        let itemDays = try registry.exportDays(from: range.lower, to: range.upper)
        let days = captures.compactMap(\.capturedAt).map { Timestamp.day($0, in: registry.timeZone) }.sorted()
        let first = range.from ?? itemDays?.first ?? days.first ?? Timestamp.day(now, in: registry.timeZone)
        let last = range.to ?? itemDays?.last ?? days.last ?? first
        let name = "diarium-\(first)-\(last).warc"
        try output.begin()
        do {
            let url = output.file(name)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ExportError("Cannot create \(output.target.appendingPathComponent(name).path).")
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var records = 0
            var bytes = 0
            func append(_ record: WARCWriter.Record) throws {
                do {
                    try handle.write(contentsOf: record.bytes)
                } catch {
                    throw ExportError("Cannot write \(output.target.appendingPathComponent(name).path): \(error.localizedDescription).")
                }
                records += 1
                bytes += record.bytes.count
            }
            let infoID = WARCWriter.recordID()
            try append(WARCWriter.warcinfo(id: infoID, filename: name, date: now,
                                           description: "Captures of journal days \(range.description), \(captures.count) HTTP responses",
                                           chainHead: head))
            for capture in captures {
                guard let body = try registry.body(sha256: capture.sha256) else {
                    throw ExportError("The captured body \(capture.sha256) is missing from the registry; run `diarium verify`. Nothing was exported.")
                }
                guard SHA256.hexDigest(body) == capture.sha256 else {
                    throw ExportError("The captured body \(capture.sha256) no longer matches its hash; run `diarium verify`. Nothing was exported.")
                }
                for record in WARCWriter.exchange(capture, body: body, warcinfoID: infoID) { try append(record) }
            }
            try handle.close()
            try output.commit()
            return WARCExportSummary(file: output.target.appendingPathComponent(name).path, captures: captures.count,
                                     records: records, bytes: bytes, head: head)
        } catch {
            output.abandon()
            throw error
        }
    }
}
