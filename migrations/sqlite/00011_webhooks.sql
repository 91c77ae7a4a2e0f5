-- +goose Up
-- Publish webhooks: the endpoints admins registered, the events that were
-- sent to them (written in the transaction of the change, so a rolled-back
-- change sends nothing), one delivery per webhook and event, and every
-- attempt of a delivery. River's own job tables are made by its migrator
-- (internal/database/river.go), not here.
CREATE TABLE webhooks (
    id                         TEXT        PRIMARY KEY,
    url                        TEXT        NOT NULL CHECK (url <> '' AND length(url) <= 2048),
    description                TEXT        NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    events                     TEXT        NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array' AND json_array_length(events) > 0),
    locales                    TEXT        NOT NULL DEFAULT '[]' CHECK (json_valid(locales) AND json_type(locales) = 'array'),
    -- The signing secret is needed in clear to sign, so it is stored so;
    -- during a rotation the previous one signs too until it expires.
    secret                     TEXT        NOT NULL,
    previous_secret            TEXT,
    previous_secret_expires_at DATETIME,
    created_at                 DATETIME    NOT NULL,
    created_by                 TEXT        REFERENCES users (id) ON DELETE SET NULL,
    updated_at                 DATETIME    NOT NULL,
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);

-- The body of an event is kept as the exact bytes that are signed and sent,
-- so every attempt and a redelivery send the same body.
CREATE TABLE webhook_events (
    id         TEXT        PRIMARY KEY,
    type       TEXT        NOT NULL CHECK (type IN ('ENTRY_PUBLISHED', 'ENTRY_UNPUBLISHED', 'ENTRY_DELETED', 'VACANCIES_SYNCED')),
    body       TEXT        NOT NULL,
    created_at DATETIME    NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               TEXT        PRIMARY KEY,
    webhook_id       TEXT        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT        NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       TEXT        NOT NULL DEFAULT '',
    created_at       DATETIME    NOT NULL,
    updated_at       DATETIME    NOT NULL,
    -- Once per webhook per event, whichever replica records or works it.
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (status) WHERE status = 'PENDING';

CREATE TABLE webhook_attempts (
    id               TEXT        PRIMARY KEY,
    delivery_id      TEXT        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number           INTEGER     NOT NULL,
    started_at       DATETIME    NOT NULL,
    duration_ms      INTEGER     NOT NULL,
    status_code      INTEGER,
    error            TEXT        NOT NULL DEFAULT '',
    response_excerpt TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhooks;
