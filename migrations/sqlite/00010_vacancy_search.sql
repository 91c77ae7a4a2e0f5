-- +goose Up
-- Full-text search over vacancies with FTS5. SQLite has no Dutch
-- stemmer (FTS5's porter is English only), so the index holds the words
-- as written (lower case, accents kept), and a search expands each word
-- of the query to the indexed words with the same Snowball stem in the
-- vacancy's language, found through vacancy_fts_vocab
-- (internal/store/vacancy_search.go). That gives the same matches as
-- PostgreSQL's dutch and english configurations without storing anything
-- computed in Go, so triggers alone keep the index current.
--
-- vacancy_search_source is what is indexed: the configuration of the
-- vacancy's language (as in PostgreSQL: dutch for nl and nl-*, english
-- for en and en-*, simple for any other), the title, the organisation,
-- the localities and the description without its tags (the sanitizer
-- allows only these) and with its entities decoded. The FTS table takes
-- its rows from the view (external content), so 'rebuild' reindexes
-- correctly.
CREATE VIEW vacancy_search_source AS
SELECT v.rowid AS vacancy_rowid,
       CASE
           WHEN v.language = 'nl' OR v.language LIKE 'nl-%' THEN 'dutch'
           WHEN v.language = 'en' OR v.language LIKE 'en-%' THEN 'english'
           ELSE 'simple'
       END AS config,
       v.title AS title,
       v.org_name AS org_name,
       -- A vacancy has at most 20 locations. json_each cannot be used
       -- here: FTS5 reads the view as 'main'.vacancy_search_source, and
       -- SQLite then looks for a table main.json_each.
       ltrim(coalesce(' ' || json_extract(v.locations, '$[0].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[1].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[2].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[3].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[4].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[5].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[6].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[7].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[8].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[9].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[10].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[11].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[12].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[13].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[14].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[15].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[16].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[17].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[18].locality'), '') ||
           coalesce(' ' || json_extract(v.locations, '$[19].locality'), '')) AS locality,
       replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
       replace(replace(replace(replace(replace(replace(replace(v.description,
           '<p>', ' '), '</p>', ' '), '<ul>', ' '), '</ul>', ' '), '<ol>', ' '), '</ol>', ' '), '<li>', ' '), '</li>', ' '),
           '<strong>', ' '), '</strong>', ' '), '<em>', ' '), '</em>', ' '), '<br>', ' '), '<br/>', ' '), '<br />', ' '),
           '&lt;', '<'), '&gt;', '>'), '&#39;', ''''), '&#34;', '"'), '&quot;', '"'), '&amp;', '&') AS description
FROM vacancies AS v;

CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    config, title, org_name, locality, description,
    content = 'vacancy_search_source', content_rowid = 'vacancy_rowid',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE vacancy_fts_vocab USING fts5vocab(vacancy_fts, 'row');

-- The old text leaves the index before the row changes (BEFORE, while
-- the view still shows it) and the new text enters after.
-- +goose StatementBegin
CREATE TRIGGER vacancy_fts_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancy_fts (rowid, config, title, org_name, locality, description)
    SELECT vacancy_rowid, config, title, org_name, locality, description FROM vacancy_search_source WHERE vacancy_rowid = new.rowid;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vacancy_fts_delete BEFORE DELETE ON vacancies BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, config, title, org_name, locality, description)
    SELECT 'delete', vacancy_rowid, config, title, org_name, locality, description FROM vacancy_search_source WHERE vacancy_rowid = old.rowid;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vacancy_fts_update_old BEFORE UPDATE OF language, title, org_name, locations, description ON vacancies BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, config, title, org_name, locality, description)
    SELECT 'delete', vacancy_rowid, config, title, org_name, locality, description FROM vacancy_search_source WHERE vacancy_rowid = old.rowid;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vacancy_fts_update_new AFTER UPDATE OF language, title, org_name, locations, description ON vacancies BEGIN
    INSERT INTO vacancy_fts (rowid, config, title, org_name, locality, description)
    SELECT vacancy_rowid, config, title, org_name, locality, description FROM vacancy_search_source WHERE vacancy_rowid = new.rowid;
END;
-- +goose StatementEnd

INSERT INTO vacancy_fts (vacancy_fts) VALUES ('rebuild');

-- +goose Down
DROP TRIGGER vacancy_fts_update_new;
DROP TRIGGER vacancy_fts_update_old;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_insert;
DROP TABLE vacancy_fts_vocab;
DROP TABLE vacancy_fts;
DROP VIEW vacancy_search_source;
