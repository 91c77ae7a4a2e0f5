-- +goose Up
-- An entry is one role, article, comparison or FAQ. Its locale-independent
-- part (block order, referenced entries, numeric salary range) is the draft
-- "structure"; each locale's text is a draft row in translations. What the
-- public sees is never a draft: publishing a locale freezes structure and
-- text into an immutable revision, and publications points at the live one.
CREATE TABLE entries (
    id          TEXT        PRIMARY KEY,
    type        TEXT        NOT NULL CHECK (type IN ('role', 'article', 'comparison', 'faq')),
    version     BIGINT      NOT NULL DEFAULT 1 CHECK (version > 0),
    structure   JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT,
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX entries_type_idx ON entries (type, id) WHERE deleted_at IS NULL;

CREATE TABLE translations (
    entry_id    TEXT        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale      TEXT        NOT NULL,
    slug        TEXT        NOT NULL CHECK (slug <> ''),
    fields      JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT,
    PRIMARY KEY (entry_id, locale)
);

CREATE TABLE revisions (
    id          TEXT        PRIMARY KEY,
    entry_id    TEXT        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale      TEXT        NOT NULL,
    number      INTEGER     NOT NULL CHECK (number > 0),
    slug        TEXT        NOT NULL,
    document    JSONB       NOT NULL,
    -- when the frozen text was last edited, as opposed to created_at: when
    -- it was frozen
    updated_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    UNIQUE (entry_id, locale, number)
);

CREATE TABLE publications (
    entry_id           TEXT        NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    locale             TEXT        NOT NULL,
    type               TEXT        NOT NULL,
    slug               TEXT        NOT NULL,
    revision_id        TEXT        NOT NULL REFERENCES revisions (id),
    first_published_at TIMESTAMPTZ NOT NULL,
    published_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, locale),
    -- a live slug names one entry per type and locale
    UNIQUE (type, locale, slug)
);
CREATE INDEX publications_listing_idx ON publications (type, locale, entry_id);
CREATE INDEX publications_slug_idx ON publications (type, slug);

-- +goose Down
DROP TABLE publications;
DROP TABLE revisions;
DROP TABLE translations;
DROP TABLE entries;
