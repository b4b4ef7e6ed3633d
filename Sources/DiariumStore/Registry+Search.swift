import DiariumCore
import Foundation
import GRDB

/// How search results are ordered.
public enum SearchOrder: String, Sendable, CaseIterable {
    /// Newest first, by the item's creation time.
    case newest
    /// Best match first (FTS5 bm25 over the item's best-matching version).
    case relevance
}

/// The filters of `search`. Nil means "any".
public struct SearchFilter: Sendable, Hashable {
    /// Journal days, inclusive (`YYYY-MM-DD`).
    public var from: String?
    public var to: String?
    public var platform: Platform?
    public var account: String?
    public var kind: ItemKind?
    public var journaled: Bool?
    public var status: JournalStatus?
    public var restricted: Bool?
    public var edited: Bool?
    public var deleted: Bool?
    public var order: SearchOrder = .newest
    public var limit: Int = 100

    public init() {}
}

extension Registry {
    /// Full-text search over every version ever captured (an item matches when any of
    /// its versions does: text, author name and handle), with filters; an empty query
    /// matches everything the filters allow. A query the search language cannot read is
    /// a `RegistryError` that explains the language, never an SQL error.
    public func search(_ query: String, filter: SearchFilter = SearchFilter()) throws -> [ItemRecord] {
        // The person's words match the text and author columns only; the journal filters
        // become facet tokens in the same expression, so FTS5 intersects the two inside
        // the index (a filter that excludes most matches used to cost a row lookup per
        // match: 1.5 s for a common word over a million items). The SQL conditions below
        // stay as the exact check.
        // Only standing entries wanted: the journal's own index holds exactly those rows, so
        // no facet is needed (see `v5-journal-text`).
        let table = SearchIndex.Table.reading(journaled: filter.journaled, status: filter.status)
        let facet = table.hasFacets ? SearchIndex.facetExpression(journaled: filter.journaled, status: filter.status) : nil
        // The words are kept to the text and author columns only where they could match a
        // facet token (one letter: M, J, U, N) in the main index: a column filter makes FTS5
        // read every match's positions, which doubled the cost of a word whose matches a
        // NOT rejects (`casino -bitcoin`, 20 ms over a million items).
        let columns = table.hasFacets && SearchQuery.mayMatchOneLetterTokens(query) ? "{text author} : " : ""
        let match = try SearchQuery.ftsExpression(query).map { words -> String in
            "\(columns)(\(words))" + (facet.map { " AND " + $0 } ?? "")
        }
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let from = filter.from { conditions.append("i.day >= ?"); arguments.append(from) }
        if let to = filter.to { conditions.append("i.day <= ?"); arguments.append(to) }
        if let platform = filter.platform { conditions.append("i.platform = ?"); arguments.append(platform.rawValue) }
        if let account = filter.account { conditions.append("i.account = ?"); arguments.append(account) }
        if let kind = filter.kind { conditions.append("i.kind = ?"); arguments.append(kind.rawValue) }
        if let journaled = filter.journaled { conditions.append(journaled ? "j.id IS NOT NULL AND j.status != 'U'" : "(j.id IS NULL OR j.status = 'U')") }
        if let status = filter.status { conditions.append("j.status = ?"); arguments.append(status.rawValue) }
        if let restricted = filter.restricted {
            conditions.append("(SELECT d.restricted FROM decision d WHERE d.itemId = i.id ORDER BY d.id DESC LIMIT 1) = ?")
            arguments.append(restricted)
        }
        if let edited = filter.edited { conditions.append(edited ? "i.currentVersion > 1" : "i.currentVersion = 1") }
        if let deleted = filter.deleted { conditions.append(deleted ? "i.deletedAt IS NOT NULL" : "i.deletedAt IS NULL") }

        if match == nil {
            // A day range bounds the newest-first index too (widened by the farthest time
            // zones, see `localDayStart`), so the listing walks that index from the range's
            // end and stops after a page, instead of sorting every item of the range
            // (70,000 in a week of a million). The day conditions above stay the exact check.
            // The lower bound is a second early: "…:00.500Z" sorts before "…:00Z" as text.
            if let from = filter.from, let day = Timestamp.parse(from) {
                conditions.append("COALESCE(i.createdAt, i.firstCapturedAt) >= ?")
                arguments.append(Timestamp.format(Self.earliestStart(ofDay: day).addingTimeInterval(-1)))
            }
            if let to = filter.to, let day = Timestamp.parse(to) {
                conditions.append("COALESCE(i.createdAt, i.firstCapturedAt) < ?")
                arguments.append(Timestamp.format(Self.latestEnd(ofDay: day)))
            }
        }
        // Without words, a journal filter still narrows the index (the journal's own, or a
        // facet of the main one): newest first, it reads the journaled (or not) rows in time
        // order instead of walking every item from the newest until a page passed (30,000
        // when the newest days hold none).
        if filter.order == .newest, match != nil || facet != nil || table == .journal {
            return try newestMatches(match ?? facet, in: table, conditions: conditions, arguments: arguments, filter: filter)
        }
        var sql: String
        if let match {
            sql = """
                WITH matches AS MATERIALIZED (
                    SELECT versionId, bm25(\(table.name), \(table.bm25Weights)) AS score
                    FROM \(table.name) WHERE \(table.name) MATCH ?),
                hits AS (
                    SELECT v2.itemId AS itemId, MIN(m.score) AS score
                    FROM matches m JOIN itemVersion v2 ON v2.id = m.versionId GROUP BY v2.itemId)
                """ + Self.recordSelect.replacingOccurrences(of: "FROM item i", with: "FROM hits h JOIN item i ON i.id = h.itemId")
            arguments.insert(match, at: 0)
        } else {
            sql = Self.recordSelect
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if match != nil {
            sql += " ORDER BY h.score, COALESCE(i.createdAt, i.firstCapturedAt) DESC, i.id DESC"
        } else {
            sql += " ORDER BY COALESCE(i.createdAt, i.firstCapturedAt) DESC, i.id DESC"
        }
        sql += " LIMIT ?"
        arguments.append(max(1, filter.limit))
        let statementArguments = StatementArguments(arguments.map(\.databaseValue))
        let query = sql
        return try runSearch { db in try Row.fetchAll(db, sql: query, arguments: statementArguments).map(Self.record) }
    }

    /// Newest first from a full-text index (`table`, with a query or all of its rows): the
    /// rows are read in index order (time order) and the reading stops once a page of
    /// distinct items passed the filters, so a common word costs no more than a rare one.
    private func newestMatches(_ match: String?, in table: SearchIndex.Table, conditions: [String], arguments: [any DatabaseValueConvertible],
                               filter: SearchFilter) throws -> [ItemRecord] {
        var sql = """
            SELECT v.itemId FROM \(table.name) t
            CROSS JOIN itemVersion v ON v.id = t.versionId
            CROSS JOIN item i ON i.id = v.itemId
            LEFT JOIN journalEntry j ON j.itemId = i.id
            WHERE 1
            """
        var all: [any DatabaseValueConvertible] = []
        if let match {
            sql += " AND \(table.name) MATCH ?"
            all.append(match)
        }
        // CROSS JOIN keeps the full-text index as the outer loop, read in time order:
        // left to itself SQLite may start from a filter's index (journal status) and
        // then sort every match.
        // A day range bounds the index keys too (widened by the farthest time zones).
        if let from = filter.from, let day = Timestamp.parse(from) {
            sql += " AND t.rowid >= ?"
            all.append(SearchIndex.lowerBound(Self.earliestStart(ofDay: day)))
        }
        if let to = filter.to, let day = Timestamp.parse(to) {
            sql += " AND t.rowid < ?"
            all.append(SearchIndex.lowerBound(Self.latestEnd(ofDay: day)))
        }
        for condition in conditions { sql += " AND " + condition }
        all += arguments
        sql += " ORDER BY t.rowid DESC"
        let statementArguments = StatementArguments(all.map(\.databaseValue))
        let limit = max(1, filter.limit)
        let query = sql
        return try runSearch { db in
            var order: [Int64] = []
            var seen = Set<Int64>()
            let cursor = try Int64.fetchCursor(db, sql: query, arguments: statementArguments)
            while let id = try cursor.next() {
                if seen.insert(id).inserted {
                    order.append(id)
                    if order.count == limit { break }
                }
            }
            guard !order.isEmpty else { return [] }
            let placeholders = Array(repeating: "?", count: order.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: Self.recordSelect + " WHERE i.id IN (\(placeholders))", arguments: StatementArguments(order))
            var byID: [Int64: ItemRecord] = [:]
            for row in rows { byID[row[0]] = Self.record(row) }
            return order.compactMap { byID[$0] }
        }
    }

    /// The earliest moment an agency-local day can begin (at UTC+14) and the latest it can
    /// end (at UTC−12), for a day given as midnight UTC. The stored day was made in the
    /// registry's zone at the time; a margin of a whole day either side put a day of
    /// non-matching rows into every range search.
    static func earliestStart(ofDay midnightUTC: Date) -> Date { midnightUTC.addingTimeInterval(-14 * 3600) }
    static func latestEnd(ofDay midnightUTC: Date) -> Date { midnightUTC.addingTimeInterval(36 * 3600) }

    private func runSearch(_ body: @Sendable (Database) throws -> [ItemRecord]) throws -> [ItemRecord] {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError where error.message?.contains("fts5") == true {
            throw RegistryError("The search could not be read (\(error.message ?? "syntax")). \(SearchQuery.syntax)")
        } catch {
            throw RegistryError("Searching \(path) failed: \(Self.describe(error)).")
        }
    }

    /// The plain search of earlier versions: newest first, at most `limit`.
    public func search(_ query: String, limit: Int) throws -> [ItemRecord] {
        var filter = SearchFilter()
        filter.limit = limit
        return try search(query, filter: filter)
    }
}
