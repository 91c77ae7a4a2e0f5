-- +goose Up
-- Sources can now be Personio, Greenhouse and Lever job boards.
--
-- SQLite cannot alter an unnamed CHECK, and rebuilding vacancy_sources
-- would need foreign keys off (its DROP would cascade to every vacancy),
-- which cannot be switched inside goose's transaction nor pinned to one
-- pooled connection outside it. A rebuild would also have to restate every
-- column, losing any that a later migration adds. So the CHECK's text is
-- edited in place, SQLite's documented procedure for loosening a
-- constraint (lang_altertable.html, "other kinds of table schema
-- changes"): every stored row already satisfies the wider list. RESET
-- reloads this connection's schema; the throwaway table bumps the schema
-- cookie so the pool's other connections reload theirs too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'kind IN (''push'', ''indeed-xml'', ''recruitee'', ''jsonld'')',
                          'kind IN (''push'', ''indeed-xml'', ''recruitee'', ''jsonld'', ''personio'', ''greenhouse'', ''lever'')')
 WHERE type = 'table' AND name = 'vacancy_sources';
PRAGMA writable_schema = RESET;
CREATE TABLE goose_schema_cookie_bump (x INTEGER);
DROP TABLE goose_schema_cookie_bump;

-- +goose Down
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'kind IN (''push'', ''indeed-xml'', ''recruitee'', ''jsonld'', ''personio'', ''greenhouse'', ''lever'')',
                          'kind IN (''push'', ''indeed-xml'', ''recruitee'', ''jsonld'')')
 WHERE type = 'table' AND name = 'vacancy_sources';
PRAGMA writable_schema = RESET;
CREATE TABLE goose_schema_cookie_bump (x INTEGER);
DROP TABLE goose_schema_cookie_bump;
-- The narrowed CHECK is not applied to stored rows by itself: touching the
-- rows of the new kinds re-checks them, so the rollback fails, rather than
-- leaving rows the schema forbids, while one of them exists.
UPDATE vacancy_sources SET kind = kind WHERE kind IN ('personio', 'greenhouse', 'lever');
