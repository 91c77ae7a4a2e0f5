-- +goose Up
-- Editorial history. Saving a draft records a 'saved' revision per locale
-- it touched, publishing a 'published' one; restoring copies an old
-- revision into the draft and records which one it came from. History is
-- never rewritten.
ALTER TABLE revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'published' CHECK (kind IN ('saved', 'published'));
ALTER TABLE revisions ADD COLUMN restored_from TEXT REFERENCES revisions (id);
CREATE INDEX revisions_entry_idx ON revisions (entry_id, created_at);

-- When each field of a translation last changed, by path ("title",
-- "blocks.<id>.body"): a translation is outdated where the default
-- locale's field changed after its own.
ALTER TABLE translations ADD COLUMN field_changed_at JSONB NOT NULL DEFAULT '{}';

-- Slugs an entry was live under before, so old links keep resolving (and
-- the API can tell the frontend to redirect to the canonical slug).
CREATE TABLE slug_history (
    type        TEXT        NOT NULL,
    locale      TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    entry_id    TEXT        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    retired_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (type, locale, slug)
);
CREATE INDEX slug_history_lookup_idx ON slug_history (type, slug);

-- Every mutation: who did what to which entry and locale, and when.
CREATE TABLE audit_log (
    id          TEXT        PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    TEXT,
    action      TEXT        NOT NULL,
    entry_id    TEXT,
    entry_type  TEXT,
    locale      TEXT,
    details     JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entry_idx ON audit_log (entry_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE slug_history;
ALTER TABLE translations DROP COLUMN field_changed_at;
DROP INDEX revisions_entry_idx;
ALTER TABLE revisions DROP COLUMN restored_from;
ALTER TABLE revisions DROP COLUMN kind;
