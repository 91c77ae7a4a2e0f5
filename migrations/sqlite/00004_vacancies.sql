-- +goose Up
-- A vacancy source is one recruitment site or ATS. It signs in as an OAuth
-- 2.0 client (client id = id, secrets in vacancy_source_secrets) to push
-- vacancies, or Werkwijzer pulls its feed_url. allowed_hosts limits the
-- hosts its links may point to (empty: any public https host); role_rules
-- map its categories and titles to roles. The pull_* columns are the lease
-- that makes one replica, not all of them, run each scheduled pull; feed_*
-- are the validators of the last feed fetched whole (conditional GET).
CREATE TABLE vacancy_sources (
    id                  TEXT        PRIMARY KEY,
    name                TEXT        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 63 AND name NOT GLOB '*[^a-z0-9-]*' AND name NOT GLOB '-*'),
    kind                TEXT        NOT NULL CHECK (kind IN ('push', 'indeed-xml', 'recruitee', 'jsonld')),
    feed_url            TEXT        NOT NULL DEFAULT '',
    allowed_hosts       TEXT        NOT NULL DEFAULT '[]' CHECK (json_valid(allowed_hosts) AND json_type(allowed_hosts) = 'array'),
    role_rules          TEXT        NOT NULL DEFAULT '[]' CHECK (json_valid(role_rules) AND json_type(role_rules) = 'array'),
    language            TEXT        NOT NULL,
    time_zone           TEXT        NOT NULL,
    active              INTEGER     NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          DATETIME    NOT NULL,
    updated_at          DATETIME    NOT NULL,
    disabled_at         DATETIME,
    feed_etag           TEXT        NOT NULL DEFAULT '',
    feed_last_modified  TEXT        NOT NULL DEFAULT '',
    pull_lease_owner    TEXT,
    pull_lease_until    DATETIME,
    last_pull_at        DATETIME,
    last_sync_at        DATETIME,
    last_report         TEXT        CHECK (last_report IS NULL OR json_valid(last_report)),
    last_error          TEXT        NOT NULL DEFAULT '',
    last_error_at       DATETIME
);

-- Client secrets are stored only as their SHA-256 (hex): they are 256-bit
-- random strings, so a fast hash is as safe as a slow one and keeps the
-- token endpoint cheap. At most two are active at a time (rotation).
CREATE TABLE vacancy_source_secrets (
    id           TEXT        PRIMARY KEY,
    source_id    TEXT        NOT NULL REFERENCES vacancy_sources (id) ON DELETE CASCADE,
    secret_hash  TEXT        NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    hint         TEXT        NOT NULL,
    created_at   DATETIME    NOT NULL,
    revoked_at   DATETIME,
    last_used_at DATETIME
);
CREATE INDEX vacancy_source_secrets_source_idx ON vacancy_source_secrets (source_id);

-- A vacancy is keyed by (source, external id, language). Dates keep the
-- instant (for ordering and expiry) and the text the source sent, with its
-- own offset or as a plain date, so nothing is shifted silently.
-- employment_types is a bit set of Google's eight values; location_keys
-- holds "|locality|region|country|" in lower case for filtering. Money is
-- in cents. content_hash covers everything the source controls, so a
-- replayed item is recognised and changes nothing.
CREATE TABLE vacancies (
    id                 TEXT        PRIMARY KEY,
    source_id          TEXT        NOT NULL REFERENCES vacancy_sources (id) ON DELETE CASCADE,
    external_id        TEXT        NOT NULL CHECK (external_id <> ''),
    language           TEXT        NOT NULL CHECK (language <> ''),
    role_id            TEXT        REFERENCES entries (id) ON DELETE SET NULL,
    title              TEXT        NOT NULL,
    description        TEXT        NOT NULL,
    url                TEXT        NOT NULL,
    apply_url          TEXT        NOT NULL,
    org_name           TEXT        NOT NULL,
    org_url            TEXT        NOT NULL DEFAULT '',
    org_logo_url       TEXT        NOT NULL DEFAULT '',
    employment_types   INTEGER     NOT NULL DEFAULT 0,
    workplace_type     TEXT        NOT NULL DEFAULT '' CHECK (workplace_type IN ('', 'ONSITE', 'HYBRID', 'REMOTE')),
    locations          TEXT        NOT NULL DEFAULT '[]' CHECK (json_valid(locations) AND json_type(locations) = 'array'),
    location_keys      TEXT        NOT NULL DEFAULT '',
    hours_min          REAL,
    hours_max          REAL,
    salary_min         INTEGER,
    salary_max         INTEGER,
    salary_currency    TEXT        NOT NULL DEFAULT '',
    salary_unit        TEXT        NOT NULL DEFAULT '',
    date_posted        DATETIME    NOT NULL,
    date_posted_text   TEXT        NOT NULL,
    valid_through      DATETIME,
    valid_through_text TEXT        NOT NULL DEFAULT '',
    source_updated_at  DATETIME,
    status             TEXT        NOT NULL CHECK (status IN ('open', 'closed', 'expired')),
    closed_reason      TEXT        NOT NULL DEFAULT '',
    closed_at          DATETIME,
    first_seen_at      DATETIME    NOT NULL,
    last_seen_at       DATETIME    NOT NULL,
    seen_snapshot      TEXT        NOT NULL DEFAULT '',
    content_hash       TEXT        NOT NULL CHECK (length(content_hash) = 64),
    created_at         DATETIME    NOT NULL,
    updated_at         DATETIME    NOT NULL,
    UNIQUE (source_id, external_id, language),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX vacancies_open_idx ON vacancies (date_posted DESC, id DESC) WHERE status = 'open';
CREATE INDEX vacancies_role_open_idx ON vacancies (role_id, date_posted DESC, id DESC) WHERE status = 'open';
CREATE INDEX vacancies_expiry_idx ON vacancies (valid_through) WHERE status = 'open';
CREATE INDEX vacancies_source_status_idx ON vacancies (source_id, status);

-- The report of every sync call made with an idempotency key, so a replay
-- returns it instead of syncing again. request_hash tells a replay from a
-- different payload under a reused key. Pruned after a week.
CREATE TABLE vacancy_sync_requests (
    source_id       TEXT        NOT NULL REFERENCES vacancy_sources (id) ON DELETE CASCADE,
    idempotency_key TEXT        NOT NULL,
    request_hash    TEXT        NOT NULL CHECK (length(request_hash) = 64),
    report          TEXT        NOT NULL CHECK (json_valid(report)),
    created_at      DATETIME    NOT NULL,
    PRIMARY KEY (source_id, idempotency_key)
);
CREATE INDEX vacancy_sync_requests_created_idx ON vacancy_sync_requests (created_at);

-- +goose Down
DROP TABLE vacancy_sync_requests;
DROP TABLE vacancies;
DROP TABLE vacancy_source_secrets;
DROP TABLE vacancy_sources;
