import Foundation

/// The folder an export is written to. It must not exist or be empty, so an export
/// never mixes with or overwrites earlier files. Everything is written to a hidden
/// staging folder beside it and moved into place at the end, so a failure halfway
/// leaves nothing behind.
struct OutputFolder {
    let target: URL
    let staging: URL

    /// Refuses a target that exists and holds anything (or is not a folder), before
    /// anything is read or written.
    init(_ target: URL) throws {
        self.target = target.standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: self.target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ExportUsageError("The output \(self.target.path) exists and is not a folder; name a new or empty folder.")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: self.target.path)) ?? []
            guard contents.isEmpty else {
                throw ExportUsageError("The output folder \(self.target.path) is not empty; name a new or empty folder so no earlier file is mixed in or overwritten.")
            }
        }
        let parent = self.target.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.target.lastPathComponent).partial-\(UUID().uuidString.lowercased())")
    }

    /// Creates the staging folder (and the target's parents).
    func begin() throws {
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw ExportError("Cannot create the folder \(staging.deletingLastPathComponent().path): \(error.localizedDescription).")
        }
    }

    func file(_ relativePath: String) -> URL { staging.appendingPathComponent(relativePath) }

    func write(_ data: Data, to relativePath: String) throws {
        let url = file(relativePath)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        } catch {
            throw ExportError("Cannot write \(target.appendingPathComponent(relativePath).path): \(error.localizedDescription).")
        }
    }

    /// Moves the finished export into place (replacing the empty target folder).
    func commit() throws {
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.moveItem(at: staging, to: target)
        } catch {
            throw ExportError("Cannot move the finished export into \(target.path): \(error.localizedDescription).")
        }
    }

    /// Removes the staging folder after a failure.
    func abandon() {
        try? FileManager.default.removeItem(at: staging)
    }
}
