-- +goose Up
-- Sources can now be Personio, Greenhouse and Lever job boards.
ALTER TABLE vacancy_sources DROP CONSTRAINT vacancy_sources_kind_check;
ALTER TABLE vacancy_sources ADD CONSTRAINT vacancy_sources_kind_check
    CHECK (kind IN ('push', 'indeed-xml', 'recruitee', 'jsonld', 'personio', 'greenhouse', 'lever'));

-- +goose Down
-- Fails, rather than losing sources, while one of the new kinds exists.
ALTER TABLE vacancy_sources DROP CONSTRAINT vacancy_sources_kind_check;
ALTER TABLE vacancy_sources ADD CONSTRAINT vacancy_sources_kind_check
    CHECK (kind IN ('push', 'indeed-xml', 'recruitee', 'jsonld'));
