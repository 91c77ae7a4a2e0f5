-- +goose Up
-- Full-text search over vacancies. Each vacancy has one document: its
-- title (weight A), organisation and localities (B) and description (D),
-- parsed with the text search configuration of its language: dutch for
-- nl and nl-*, english for en and en-*, simple (no stemming, no stop
-- words) for any other. The description is sanitized HTML; the parser
-- skips its tags. Triggers keep the documents current, so whatever writes
-- vacancies (sync, import, pull) needs to know nothing about search. The
-- documents live in their own table so that reading vacancies (SELECT *)
-- does not carry them.
CREATE TABLE vacancy_search (
    vacancy_id TEXT     PRIMARY KEY REFERENCES vacancies (id) ON DELETE CASCADE,
    config     TEXT     NOT NULL CHECK (config IN ('dutch', 'english', 'simple')),
    document   TSVECTOR NOT NULL
);
CREATE INDEX vacancy_search_document_idx ON vacancy_search USING GIN (document);

-- +goose StatementBegin
CREATE FUNCTION vacancy_search_config(language TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN language = 'nl' OR language LIKE 'nl-%' THEN 'dutch'
        WHEN language = 'en' OR language LIKE 'en-%' THEN 'english'
        ELSE 'simple'
    END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION vacancy_search_document(config TEXT, title TEXT, org_name TEXT, locations JSONB, description TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(config::regconfig, title), 'A')
        || setweight(to_tsvector(config::regconfig, org_name), 'B')
        || setweight(to_tsvector(config::regconfig, coalesce(
               (SELECT string_agg(l ->> 'locality', ' ') FROM jsonb_array_elements(locations) AS l), '')), 'B')
        || setweight(to_tsvector(config::regconfig, description), 'D')
$$;
-- +goose StatementEnd

-- Statement-level triggers over transition tables: one INSERT ... SELECT
-- per statement instead of a PL/pgSQL call and an insert per row, which
-- made a sync's 250-row insert several times slower.
-- +goose StatementBegin
CREATE FUNCTION vacancy_search_index_inserted() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO vacancy_search (vacancy_id, config, document)
    SELECT n.id, c.cfg, vacancy_search_document(c.cfg, n.title, n.org_name, n.locations, n.description)
    FROM inserted_rows AS n CROSS JOIN LATERAL (SELECT vacancy_search_config(n.language) AS cfg) AS c
    ON CONFLICT (vacancy_id) DO UPDATE SET config = EXCLUDED.config, document = EXCLUDED.document;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A sync's upsert rewrites every column of a changed vacancy, and closing
-- one changes none of the text: only a real change of the text reindexes.
-- (A trigger with transition tables cannot name columns, so the function
-- compares them.)
-- +goose StatementBegin
CREATE FUNCTION vacancy_search_index_updated() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO vacancy_search (vacancy_id, config, document)
    SELECT n.id, c.cfg, vacancy_search_document(c.cfg, n.title, n.org_name, n.locations, n.description)
    FROM updated_rows AS n
    JOIN replaced_rows AS o ON o.id = n.id
    CROSS JOIN LATERAL (SELECT vacancy_search_config(n.language) AS cfg) AS c
    WHERE (o.language, o.title, o.org_name, o.locations, o.description)
          IS DISTINCT FROM (n.language, n.title, n.org_name, n.locations, n.description)
    ON CONFLICT (vacancy_id) DO UPDATE SET config = EXCLUDED.config, document = EXCLUDED.document;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER vacancy_search_insert AFTER INSERT ON vacancies
    REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vacancy_search_index_inserted();
CREATE TRIGGER vacancy_search_update AFTER UPDATE ON vacancies
    REFERENCING OLD TABLE AS replaced_rows NEW TABLE AS updated_rows
    FOR EACH STATEMENT EXECUTE FUNCTION vacancy_search_index_updated();

INSERT INTO vacancy_search (vacancy_id, config, document)
SELECT id, vacancy_search_config(language),
       vacancy_search_document(vacancy_search_config(language), title, org_name, locations, description)
FROM vacancies;

-- +goose Down
DROP TRIGGER vacancy_search_update ON vacancies;
DROP TRIGGER vacancy_search_insert ON vacancies;
DROP FUNCTION vacancy_search_index_updated();
DROP FUNCTION vacancy_search_index_inserted();
DROP FUNCTION vacancy_search_document(TEXT, TEXT, TEXT, JSONB, TEXT);
DROP FUNCTION vacancy_search_config(TEXT);
DROP TABLE vacancy_search;
