-- Each form a page renders carries a fresh nonce beside the session's CSRF token; the first sending of a form
-- claims its nonce here, and a second sending of the same form (a reload after a POST, a double click) finds it
-- taken and changes nothing (issue 11, "reloading does not submit twice"). Kept a day, then removed by the
-- daily upkeep.
CREATE TABLE form_nonces (
    -- SHA-256 of the session's token, as in sessions.token_hash
    session_hash  TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    claimed_at    TEXT NOT NULL,
    -- where the first sending led (its redirect), so a second one leads there too; NULL until it has answered
    result        TEXT,
    CONSTRAINT form_nonces_pkey PRIMARY KEY (session_hash, nonce)
) STRICT;

CREATE INDEX form_nonces_claimed ON form_nonces (claimed_at);
