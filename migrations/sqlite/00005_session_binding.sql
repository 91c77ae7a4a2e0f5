-- +goose Up
-- Access tokens carry the id of their session (the refresh-token family)
-- and every authenticated request checks that the family still has an
-- unrevoked token: this index keeps that one lookup small whatever the
-- number of rotated or revoked tokens.
CREATE INDEX refresh_tokens_live_family_idx ON refresh_tokens (family_id) WHERE revoked_at IS NULL;

-- Failed sign-ins (and vacancy sources' failed token requests) are now
-- counted per subject and client address together, which this index
-- serves; it also serves clearing a subject's failures, so the index on
-- the subject alone goes.
DROP INDEX login_failures_email_idx;
CREATE INDEX login_failures_subject_addr_idx ON login_failures (email_hash, client_addr, failed_at) WHERE email_hash IS NOT NULL;

-- +goose Down
DROP INDEX login_failures_subject_addr_idx;
CREATE INDEX login_failures_email_idx ON login_failures (email_hash, failed_at) WHERE email_hash IS NOT NULL;
DROP INDEX refresh_tokens_live_family_idx;
