-- +goose Up
-- A snapshot sent in several calls (chunks). token is this run's own id:
-- vacancies a snapshot call writes carry it in seen_snapshot, so a
-- snapshot id the client uses again later starts afresh. Rows are deleted
-- when the snapshot completes, or pruned a week after it started.
CREATE TABLE vacancy_snapshots (
    source_id   TEXT        NOT NULL REFERENCES vacancy_sources (id) ON DELETE CASCADE,
    snapshot_id TEXT        NOT NULL,
    token       TEXT        NOT NULL UNIQUE,
    started_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source_id, snapshot_id)
);
CREATE INDEX vacancy_snapshots_started_idx ON vacancy_snapshots (started_at);

-- The chunks of a snapshot that were stored: the client numbers its calls
-- 1, 2, ... and the call with complete: true, numbered n, closes anything
-- only when chunks 1 to n-1 are all here. A call that failed (and rolled
-- back) left no row, so its chunk counts as missing.
CREATE TABLE vacancy_snapshot_chunks (
    token       TEXT        NOT NULL REFERENCES vacancy_snapshots (token) ON DELETE CASCADE,
    chunk       INTEGER     NOT NULL CHECK (chunk >= 1),
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token, chunk)
);

-- The vacancies a snapshot contained that it did not write (unchanged, or
-- kept because the copy sent was rejected): recording them here instead of
-- on the vacancy keeps an unchanged re-sync from writing vacancy rows. No
-- foreign keys, so the insert stays cheap; the rows go with the snapshot.
CREATE TABLE vacancy_snapshot_seen (
    token      TEXT NOT NULL,
    vacancy_id TEXT NOT NULL,
    PRIMARY KEY (token, vacancy_id)
);

-- +goose Down
DROP TABLE vacancy_snapshot_seen;
DROP TABLE vacancy_snapshot_chunks;
DROP TABLE vacancy_snapshots;
