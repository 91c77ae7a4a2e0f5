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

-- +goose StatementBegin
CREATE FUNCTION vacancy_search_index() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    cfg TEXT := vacancy_search_config(NEW.language);
BEGIN
    INSERT INTO vacancy_search (vacancy_id, config, document)
    VALUES (NEW.id, cfg, vacancy_search_document(cfg, NEW.title, NEW.org_name, NEW.locations, NEW.description))
    ON CONFLICT (vacancy_id) DO UPDATE SET config = EXCLUDED.config, document = EXCLUDED.document;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER vacancy_search_insert AFTER INSERT ON vacancies
    FOR EACH ROW EXECUTE FUNCTION vacancy_search_index();
-- A sync's upsert rewrites every column of a changed vacancy, and closing
-- one changes none of the text: only a real change of the text reindexes.
CREATE TRIGGER vacancy_search_update AFTER UPDATE OF language, title, org_name, locations, description ON vacancies
    FOR EACH ROW
    WHEN ((OLD.language, OLD.title, OLD.org_name, OLD.locations, OLD.description)
          IS DISTINCT FROM (NEW.language, NEW.title, NEW.org_name, NEW.locations, NEW.description))
    EXECUTE FUNCTION vacancy_search_index();

INSERT INTO vacancy_search (vacancy_id, config, document)
SELECT id, vacancy_search_config(language),
       vacancy_search_document(vacancy_search_config(language), title, org_name, locations, description)
FROM vacancies;

-- +goose Down
DROP TRIGGER vacancy_search_update ON vacancies;
DROP TRIGGER vacancy_search_insert ON vacancies;
DROP FUNCTION vacancy_search_index();
DROP FUNCTION vacancy_search_document(TEXT, TEXT, TEXT, JSONB, TEXT);
DROP FUNCTION vacancy_search_config(TEXT);
DROP TABLE vacancy_search;
