-- +goose Up
-- A reload while a refresh is in flight presents a refresh token that was
-- just rotated. For a short grace window such a token is answered with the
-- pair its rotation issued, instead of being taken as theft. The pair is
-- kept sealed (AES-GCM) under a key derived from the rotated token itself,
-- which is never stored, so this column alone yields no usable token.
-- NULL: rotated before this migration, or not rotated.
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed BLOB;

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN successor_sealed;
