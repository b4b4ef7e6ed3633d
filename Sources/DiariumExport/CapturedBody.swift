import DiariumCore
import DiariumStore
import Foundation

/// A captured body as an export writes it: read from the registry and checked against
/// its hash and size first, since a mismatch means the registry was altered behind its
/// back and an archive package must not certify it. Any export that copies captured
/// bytes can use this (the FGS export does; the Noark 5 export has the same check inline).
enum CapturedBody {
    static func verified(_ registry: Registry, sha256: String, size: Int) throws -> Data {
        guard let body = try registry.body(sha256: sha256) else {
            throw ExportError("The captured body \(sha256) is missing from the registry; run `diarium verify`. Nothing was exported.")
        }
        guard SHA256.hexDigest(body) == sha256, body.count == size else {
            throw ExportError("The captured body \(sha256) no longer matches its hash; run `diarium verify`. Nothing was exported.")
        }
        return body
    }
}
