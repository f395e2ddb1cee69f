-- The house: agencies, people, sessions, clients, contacts, engagements and the audit trail.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (they sort as text); dates are 'YYYY-MM-DD';
-- money is integer minor units beside a currency code; flags are 0/1 integers. The PostgreSQL migration of the
-- same name creates the same tables with the same column names and constraint names.

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CONSTRAINT agencies_name_key UNIQUE,
    created_at  TEXT NOT NULL
) STRICT;

-- One row per audit chain (an agency's id, or 0 for sign-ins of unknown accounts): its head, and the row that
-- writers lock first so that the events of one chain are appended one at a time.
CREATE TABLE audit_chains (
    chain       INTEGER PRIMARY KEY,
    head_seq    INTEGER NOT NULL,
    head_hash   TEXT NOT NULL
) STRICT;

INSERT INTO audit_chains (chain, head_seq, head_hash)
VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: each event carries the hash of the one before it and of its own content (see core::audit).
CREATE TABLE audit_events (
    chain        INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    actor_label  TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    INTEGER,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    CONSTRAINT audit_events_pkey PRIMARY KEY (chain, seq)
) STRICT;

CREATE INDEX audit_events_entity ON audit_events (chain, entity, entity_id, seq);

-- No use case updates or deletes an event; a person with database access must first drop these guards,
-- and the hash chain still shows what they changed.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE clients (
    id                     INTEGER PRIMARY KEY,
    agency_id              INTEGER NOT NULL REFERENCES agencies (id),
    name                   TEXT NOT NULL,
    -- the name lower-cased by the application (Unicode-aware, unlike SQL lower()), for uniqueness and order;
    -- byte order on both databases (SQLite BINARY, PostgreSQL "C"), so both list clients alike
    name_key               TEXT NOT NULL,
    -- name, VAT number and address lower-cased by the application, for search
    search_text            TEXT NOT NULL,
    business_model         TEXT NOT NULL,
    time_zone              TEXT NOT NULL,
    language               TEXT NOT NULL,
    currency               TEXT NOT NULL,
    address                TEXT NOT NULL,
    vat_number             TEXT NOT NULL,
    -- 1 = Monday … 7 = Sunday, and minutes after midnight, in the client's time zone
    weekly_report_weekday  INTEGER NOT NULL,
    weekly_report_minute   INTEGER NOT NULL,
    archived_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CONSTRAINT clients_agency_name_key UNIQUE (agency_id, name_key)
) STRICT;

CREATE INDEX clients_list ON clients (agency_id, archived_at, name_key);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    -- unique across agencies: one address signs in to one account
    email          TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    -- set for client contacts only: the one client they may see
    client_id      INTEGER REFERENCES clients (id),
    language       TEXT NOT NULL,
    active         INTEGER NOT NULL,
    -- argon2id PHC string; NULL until a password is set
    password_hash  TEXT,
    created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX users_agency ON users (agency_id, name);

CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    client_id    INTEGER REFERENCES clients (id),
    invited_by   INTEGER REFERENCES users (id),
    -- SHA-256 of the link's token; the token itself is shown once and never stored
    token_hash   TEXT NOT NULL CONSTRAINT invitations_token_hash_key UNIQUE,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);

-- Kept for the sign-in rate limit (per account and per network address).
CREATE TABLE sign_in_attempts (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    address    TEXT NOT NULL,
    at         TEXT NOT NULL,
    succeeded  INTEGER NOT NULL
) STRICT;

CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    job_title   TEXT NOT NULL,
    is_primary  INTEGER NOT NULL,
    -- the person who signs in to the client portal for this contact
    user_id     INTEGER REFERENCES users (id),
    CONSTRAINT contacts_client_email_key UNIQUE (client_id, email)
) STRICT;

CREATE TABLE engagements (
    id                    INTEGER PRIMARY KEY,
    agency_id             INTEGER NOT NULL REFERENCES agencies (id),
    client_id             INTEGER NOT NULL REFERENCES clients (id),
    title                 TEXT NOT NULL,
    starts_on             TEXT NOT NULL,
    ends_on               TEXT NOT NULL,
    scope                 TEXT NOT NULL,
    budget_minor          INTEGER NOT NULL,
    currency              TEXT NOT NULL,
    account_executive_id  INTEGER NOT NULL REFERENCES users (id),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;

CREATE INDEX engagements_client ON engagements (agency_id, client_id);
