import Foundation

/// When a harvested state of an item is a new version. The record must say what the
/// platform shows now, so the test is against the current version, not against every
/// version ever kept: a post edited from A to B and back to A is three versions, and
/// `show` and the journal give A, as the platform does.
///
/// One case is held back: content equal to an *earlier* version that the platform does
/// not date after the current one. Two answers that describe the same state a little
/// differently (a timeline and a thread's context, a list and a detail call) would
/// otherwise alternate as versions at every poll; a real return to earlier text is an
/// edit, and every platform that edits dates it (`edited_at`, `updated_time`, a newer
/// entry in the edit history), so it is still recorded.
enum VersionRule {
    static func isNewVersion(hash: String, editedAt: Date?, current: (hash: String?, editedAt: Date?), seenBefore: Bool) -> Bool {
        if hash == current.hash { return false }
        if !seenBefore { return true }
        guard let editedAt else { return false }
        guard let currentEdit = current.editedAt else { return true }
        return editedAt > currentEdit
    }
}
