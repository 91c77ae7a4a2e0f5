-- +goose Up
-- Editors' accounts. Emails are stored normalised (trimmed, lower case) by
-- the account service, so the unique constraint is case-insensitive in
-- effect. password_hash is argon2id in PHC string format, parameters
-- included, so they can be raised later. A TRANSLATOR edits only the
-- locales listed in locales; every other role has none.
CREATE TABLE users (
    id                  TEXT        PRIMARY KEY,
    email               TEXT        NOT NULL UNIQUE CHECK (email <> '' AND length(email) <= 254),
    password_hash       TEXT        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role                TEXT        NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'TRANSLATOR')),
    locales             TEXT        NOT NULL DEFAULT '[]' CHECK (json_valid(locales) AND json_type(locales) = 'array'),
    active              INTEGER     NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          DATETIME    NOT NULL,
    updated_at          DATETIME    NOT NULL,
    password_changed_at DATETIME    NOT NULL,
    last_login_at       DATETIME,
    CHECK ((role = 'TRANSLATOR') = (json_array_length(locales) > 0))
);
CREATE INDEX users_active_role_idx ON users (role) WHERE active = 1;

-- Refresh tokens are stored only as the SHA-256 (hex) of the token. Each
-- works once: rotating sets used_at and issues the next token of the same
-- family; presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id              TEXT        PRIMARY KEY,
    user_id         TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id       TEXT        NOT NULL,
    token_hash      TEXT        NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at      DATETIME    NOT NULL,
    expires_at      DATETIME    NOT NULL CHECK (expires_at > created_at),
    used_at         DATETIME,
    revoked_at      DATETIME,
    created_by_addr TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id, expires_at);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Failed sign-ins, shared by every replica, counted per account and per
-- client address in a sliding window. email_hash is the SHA-256 (hex) of
-- the normalised email, so mistyped addresses (or passwords typed into the
-- email field) are not kept in clear; a successful sign-in sets it to NULL,
-- which stops the row counting against the account but not the address.
CREATE TABLE login_failures (
    id          TEXT        PRIMARY KEY,
    email_hash  TEXT        CHECK (length(email_hash) = 64),
    client_addr TEXT        NOT NULL,
    failed_at   DATETIME    NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email_hash, failed_at) WHERE email_hash IS NOT NULL;
CREATE INDEX login_failures_addr_idx ON login_failures (client_addr, failed_at);
CREATE INDEX login_failures_failed_at_idx ON login_failures (failed_at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE refresh_tokens;
DROP TABLE users;
