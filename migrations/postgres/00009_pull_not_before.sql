-- +goose Up
-- pull_not_before is when a feed host that answered 429 or 503 with
-- Retry-After may be pulled again; the scheduled pull does not claim the
-- source before then. NULL: no wait asked for.
ALTER TABLE vacancy_sources ADD COLUMN pull_not_before TIMESTAMPTZ;

-- +goose Down
ALTER TABLE vacancy_sources DROP COLUMN pull_not_before;
