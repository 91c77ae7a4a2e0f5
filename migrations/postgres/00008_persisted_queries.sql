-- +goose Up
-- Automatic persisted queries registered by any replica: a hash a client
-- registered on one replica is known to all. The hash is the SHA-256 of the
-- query text, checked before a row is written, so rows never change.
CREATE TABLE persisted_queries (
    hash       TEXT        PRIMARY KEY CHECK (length(hash) = 64),
    query      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE persisted_queries;
