-- Mail through an outbox (core::mail): a message is written in the same transaction as the change that causes
-- it; a `send-mail` job delivers it. A sent message is never sent again.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER REFERENCES agencies (id),
    -- the Message-ID header, fixed when the message is written, the same on every attempt
    message_id    TEXT NOT NULL CONSTRAINT outbox_message_id_key UNIQUE,
    -- JSON arrays of addresses
    to_addresses  TEXT NOT NULL,
    cc_addresses  TEXT NOT NULL,
    reply_to      TEXT,
    subject       TEXT NOT NULL,
    text_body     TEXT NOT NULL,
    html_body     TEXT,
    -- pending, sent or failed
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT,
    sent_at       TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_agency ON outbox (agency_id, id);
CREATE INDEX outbox_state ON outbox (state);

CREATE TABLE outbox_attachments (
    id            INTEGER PRIMARY KEY,
    outbox_id     INTEGER NOT NULL REFERENCES outbox (id),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    content       BLOB NOT NULL
) STRICT;

CREATE INDEX outbox_attachments_message ON outbox_attachments (outbox_id, id);
