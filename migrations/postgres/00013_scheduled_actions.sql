-- +goose Up
-- Publications and unpublications editors scheduled for later, one row per
-- entry, locale and action. A scheduled publication names the revision
-- frozen when it was scheduled, so later edits do not slip in. The runner
-- claims a due row with a conditional UPDATE (pending -> done) in the same
-- transaction as the publication, so of any number of replicas exactly one
-- performs it; a refused one stays visible, with the reason, until an
-- editor cancels or re-schedules it.
CREATE TABLE scheduled_actions (
    id           TEXT        PRIMARY KEY,
    entry_id     TEXT        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale       TEXT        NOT NULL,
    action       TEXT        NOT NULL CHECK (action IN ('publish', 'unpublish')),
    revision_id  TEXT        REFERENCES revisions (id),
    due_at       TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT,
    state        TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'refused')),
    finished_at  TIMESTAMPTZ,
    refusal      TEXT,
    CHECK ((action = 'publish') = (revision_id IS NOT NULL))
);
-- One open (pending or refused) action per entry, locale and kind:
-- scheduling again replaces it.
CREATE UNIQUE INDEX scheduled_actions_open_idx ON scheduled_actions (entry_id, locale, action) WHERE state <> 'done';
-- What the runner looks for: the pending actions by due time.
CREATE INDEX scheduled_actions_due_idx ON scheduled_actions (due_at) WHERE state = 'pending';

-- +goose Down
DROP TABLE scheduled_actions;
