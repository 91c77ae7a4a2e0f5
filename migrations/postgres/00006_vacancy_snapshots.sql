-- +goose Up
-- A snapshot sent in several calls. token is this run's own id: vacancies
-- a snapshot call writes carry it in seen_snapshot, so a snapshot id the
-- client uses again later starts afresh. The rows are deleted when the
-- snapshot completes, or pruned a week after it started.
CREATE TABLE vacancy_snapshots (
    source_id   TEXT        NOT NULL REFERENCES vacancy_sources (id) ON DELETE CASCADE,
    snapshot_id TEXT        NOT NULL,
    token       TEXT        NOT NULL UNIQUE,
    started_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source_id, snapshot_id)
);
CREATE INDEX vacancy_snapshots_started_idx ON vacancy_snapshots (started_at);

-- One row per stored call of a snapshot run (a call that failed rolled
-- back and left none). chunk is the number the client gave the call (1,
-- 2, ...; NULL from the server's own importer): the call with complete:
-- true, numbered n, closes anything only when chunks 1 to n-1 are all
-- here. seen lists, as a JSON array, the ids of the vacancies the call
-- contained but did not write (unchanged ones, or stored ones whose copy
-- was rejected): one row per call instead of one write per vacancy keeps
-- an unchanged re-sync from writing vacancy rows at all. The snapshot's
-- close is one set difference over these and seen_snapshot.
CREATE TABLE vacancy_snapshot_calls (
    token       TEXT        NOT NULL,
    call_id     TEXT        NOT NULL,
    chunk       INTEGER     CHECK (chunk >= 1),
    seen        JSONB       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(seen) = 'array'),
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token, call_id)
);

-- input_hash identifies the item a vacancy was last written from, with
-- everything its checks depend on (the source's settings, the role its
-- slug names, the rules' version): an item sent again with the same input
-- is unchanged without being checked again. '' when unknown, or when the
-- item had warnings (so that they are reported again).
ALTER TABLE vacancies ADD COLUMN input_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE vacancies DROP COLUMN input_hash;
DROP TABLE vacancy_snapshot_calls;
DROP TABLE vacancy_snapshots;
