-- API tokens (core::token): shown once, stored only as the SHA-256 of the secret; a token acts as its person.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    -- read or read-write
    scope       TEXT NOT NULL,
    token_hash  TEXT NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (agency_id, user_id, id);
