import Foundation

/// Reads the human durations of the configuration file: `30s`, `15m`, `2h`, `14d`.
enum DurationText {
    static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let value = Int(trimmed.dropLast()), value >= 0 else {
            return Int(trimmed)
        }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        default: return nil
        }
    }
}

