-- claimgraph schema, version 1: documents and who said what in them.
--
-- This file runs unchanged on SQLite and PostgreSQL, so it sticks to TEXT,
-- INTEGER and REAL, text primary keys and no AUTOINCREMENT/SERIAL. Offsets are
-- Python string indices into documents.text, end exclusive; they are named
-- start_char/end_char because START and END are reserved words in some dialects.
-- Ids of per-document records are "<document id>:<local id>" so that they are
-- unique across the whole store without a sequence.
-- The loader drops "--" comments and splits statements at semicolons, so keep
-- both out of string literals.

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT,
    url TEXT,
    outlet TEXT,
    published TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE INDEX documents_published_idx ON documents (published);

CREATE INDEX documents_name_idx ON documents (name);

CREATE TABLE sections (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    role TEXT
);

CREATE INDEX actors_document_idx ON actors (document_id);

CREATE INDEX actors_name_idx ON actors (name);

CREATE INDEX actors_country_idx ON actors (country);

CREATE TABLE mentions (
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (actor_id, seq)
);

CREATE INDEX mentions_document_idx ON mentions (document_id);

CREATE TABLE attributions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    section TEXT NOT NULL,
    kind TEXT NOT NULL,
    stance TEXT NOT NULL,
    source_start INTEGER,
    source_end INTEGER,
    source_text TEXT,
    cue_start INTEGER NOT NULL,
    cue_end INTEGER NOT NULL,
    cue_text TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content_text TEXT NOT NULL,
    -- JSON list of [start, end] pairs when the content is discontinuous, else NULL.
    content_fragments TEXT,
    speaker_actor_id TEXT REFERENCES actors (id),
    channel_actor_id TEXT REFERENCES actors (id)
);

CREATE INDEX attributions_document_idx ON attributions (document_id, content_start);

CREATE INDEX attributions_speaker_idx ON attributions (speaker_actor_id);

CREATE INDEX attributions_channel_idx ON attributions (channel_actor_id);
