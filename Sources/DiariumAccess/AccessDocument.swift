import DiariumOutputs
import DiariumStore

/// The answer as a sequence of styled paragraphs, in reading order: the PDF and the HTML
/// are laid out from the same list, so they say the same things in the same order.
struct AccessDocument {
    enum Style: Equatable {
        /// The document's title.
        case title
        /// The header's facts (agency, date, reference).
        case meta
        /// One released item's heading.
        case heading
        /// A version's heading within an item.
        case subheading
        /// An item's facts (author, time, thread).
        case fact
        /// Released text, as written.
        case text
        /// A withheld part, with its legal basis.
        case withheld
        /// An attachment's line.
        case attachment
        /// Running prose of the answer (introduction, appeal).
        case prose
        /// The foot: the change-log head.
        case small
    }

    struct Block {
        var style: Style
        var text: String
    }

    var title: String
    var blocks: [Block]

    init(_ answer: AccessAnswer) {
        let language = answer.language
        func t(_ key: MessageKey, _ arguments: String...) -> String { Messages.text(key, language, arguments: arguments) }
        title = t(.accessTitle)
        var b: [Block] = [Block(style: .title, text: title)]
        b.append(Block(style: .meta, text: "\(t(.accessAgency)): \(answer.agencyName)"))
        b.append(Block(style: .meta, text: "\(t(.accessDate)): \(answer.date)"))
        b.append(Block(style: .meta, text: "\(t(.accessReference)): \(answer.reference)"))
        b.append(Block(style: .prose, text: t(.accessIntro)))
        b.append(Block(style: .prose, text: t(.accessItemsCount, String(answer.items.count))))
        for (index, item) in answer.items.enumerated() {
            let outcome = t(item.outcome.messageKey)
            b.append(Block(style: .heading, text: "\(t(.accessItem, String(index + 1))) (\(outcome))"))
            b.append(Block(style: .fact, text: "\(t(.accessAccount)): \(item.account) (\(item.platform)), \(item.reference.id)"))
            if let number = item.journalNumber { b.append(Block(style: .fact, text: "\(t(.accessJournalNumber)): \(number)")) }
            if let number = item.caseNumber { b.append(Block(style: .fact, text: "\(t(.accessCase)): \(number)")) }
            b.append(Block(style: .fact, text: "\(t(.accessAuthor)): \(item.author ?? t(.accessScreened))"))
            b.append(Block(style: .fact, text: "\(t(.accessTime)): \(item.time)"))
            if let root = item.threadRoot { b.append(Block(style: .fact, text: "\(t(.accessThreadRoot)): \(root)")) }
            if let parent = item.inReplyTo { b.append(Block(style: .fact, text: "\(t(.accessInReplyTo)): \(parent)")) }
            for version in item.versions {
                if item.versions.count > 1 {
                    let edited = version.edited.map { $0.isEmpty ? "" : ", " + t(.accessEdited, $0) } ?? ""
                    b.append(Block(style: .subheading, text: t(.accessVersion, String(version.number), String(item.versions.count)) + edited))
                }
                if let text = version.text {
                    b.append(Block(style: .text, text: text.isEmpty ? t(.accessNoText) : text))
                } else {
                    b.append(Block(style: .withheld, text: t(.accessScreened)))
                }
                if let attachments = version.attachments, !attachments.isEmpty {
                    b.append(Block(style: .fact, text: "\(t(.accessAttachments)):"))
                    for line in attachments { b.append(Block(style: .attachment, text: "• " + line)) }
                }
            }
            if let deleted = item.deletedOnPlatform { b.append(Block(style: .fact, text: t(.accessDeleted, deleted))) }
            for part in item.withheld {
                b.append(Block(style: .withheld, text: "\(part.what) (\(t(.accessBasis, part.basis)))."))
            }
        }
        b.append(Block(style: .heading, text: t(.accessWithheldHeading)))
        // Each withheld part again, by document number, so the requester sees every basis
        // the answer rests on in one place (what an appeal refers to).
        if answer.withheld.isEmpty {
            b.append(Block(style: .prose, text: t(.accessNothingWithheld)))
        } else {
            for (index, item) in answer.items.enumerated() {
                for part in item.withheld {
                    b.append(Block(style: .withheld, text: "\(t(.accessItem, String(index + 1))): \(part.what): \(part.basis)"))
                }
            }
            b.append(Block(style: .prose, text: t(.accessAppeal)))
        }
        if let head = answer.head { b.append(Block(style: .small, text: t(.accessHead, head.description))) }
        blocks = b
    }
}
