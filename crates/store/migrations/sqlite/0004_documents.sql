-- Documents frozen when issued (core::document): the exact bytes of what was sent or signed, with their SHA-256.
-- Append-only: no use case updates or deletes a document, and triggers refuse it.
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies (id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    -- SQLite keeps the bytes as a file in the documents folder beside the database, named by its SHA-256;
    -- PostgreSQL keeps them in `content`. `audit verify` reads them back either way.
    file_name     TEXT,
    content       BLOB,
    entity        TEXT,
    entity_id     INTEGER,
    issued_by     TEXT NOT NULL,
    issued_at     TEXT NOT NULL
) STRICT;

CREATE INDEX documents_entity ON documents (agency_id, entity, entity_id, id);

CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are append-only'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are append-only'); END;
