-- claimgraph schema, version 2: events, who did what to whom and when.
--
-- Same rules as 0001: runs unchanged on SQLite and PostgreSQL, TEXT/INTEGER only,
-- offsets are start_char-style Python indices into documents.text (end exclusive),
-- ids are "<document id>:<local id>". No semicolons inside comments or literals.
--
-- actor_id and target_id name actors of the same document, attribution_id the
-- statement whose content holds the event (NULL: the publisher's own voice).
-- They are foreign keys, so an event naming an actor that was not stored makes
-- the whole document rejected, exactly like an attribution would.
--
-- time_value keeps the normalised value as extracted ("2022-10-28", "2022-10",
-- an interval "2022-10-01/2022-10-31", ...). time_start and time_end are the
-- first and last calendar day it covers (YYYY-MM-DD, filled by the store), so
-- date filters compare plain ISO dates on both backends whatever the collation.

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT,
    cameo TEXT,
    actor_id TEXT REFERENCES actors (id),
    target_id TEXT REFERENCES actors (id),
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger_text TEXT NOT NULL,
    object_start INTEGER,
    object_end INTEGER,
    object_text TEXT,
    quantity TEXT,
    time_text TEXT,
    time_value TEXT,
    time_relation TEXT,
    time_start TEXT,
    time_end TEXT,
    polarity TEXT NOT NULL,
    modality TEXT NOT NULL,
    attribution_id TEXT REFERENCES attributions (id),
    section TEXT NOT NULL,
    -- the sentence the events stage read the event from, when it says
    sentence_start INTEGER,
    sentence_end INTEGER
);

CREATE INDEX events_document_idx ON events (document_id, trigger_start);

CREATE INDEX events_type_idx ON events (type);

CREATE INDEX events_actor_idx ON events (actor_id);

CREATE INDEX events_target_idx ON events (target_id);

CREATE INDEX events_time_value_idx ON events (time_value);

CREATE INDEX events_time_range_idx ON events (time_start, time_end);

CREATE INDEX events_attribution_idx ON events (attribution_id);
