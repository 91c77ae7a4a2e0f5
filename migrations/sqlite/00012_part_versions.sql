-- +goose Up
-- A version per part of an entry, so a Dutch editor and an English
-- translator do not conflict. The numbers come from the entry's one
-- sequence (entries.version): a part's version is the entry version of its
-- last change, so "I saw the entry at version N" stays a valid base for
-- every part, and a change conflicts only when a part it touches moved past
-- its base. Existing rows start at the entry's current version: a client
-- that read the entry before this migration sees no false success.
-- SQLite cannot add a NOT NULL column without a constant default, so
-- structure_updated_at defaults to the epoch and is backfilled at once.
ALTER TABLE entries ADD COLUMN structure_version INTEGER NOT NULL DEFAULT 1 CHECK (structure_version > 0);
ALTER TABLE entries ADD COLUMN structure_updated_at DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE entries ADD COLUMN structure_updated_by TEXT;
UPDATE entries SET structure_version = version, structure_updated_at = updated_at, structure_updated_by = updated_by;

ALTER TABLE translations ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
UPDATE translations SET version = (SELECT e.version FROM entries AS e WHERE e.id = translations.entry_id);

-- +goose Down
ALTER TABLE translations DROP COLUMN version;
ALTER TABLE entries DROP COLUMN structure_updated_by;
ALTER TABLE entries DROP COLUMN structure_updated_at;
ALTER TABLE entries DROP COLUMN structure_version;
