-- claimgraph schema, version 4: claims, claim threads and near-duplicate articles.
--
-- Same rules as before: runs unchanged on SQLite and PostgreSQL, TEXT/INTEGER/REAL
-- only, offsets are Python string indices into documents.text (end exclusive), ids
-- are "<document id>:<local id>". No semicolons inside comments or literals.
--
-- A claim is one voice's stance towards a proposition in one sentence. side is +1
-- (affirms the proposition as keyed), -1 (denies it) or 0 (reports, hedges). The
-- proposition parts name actors of the same document (actor_id, target_id) or are
-- plain words (predicate, object_class): claimgraph.threads turns them into a key
-- over entities when it builds threads, because entities can still merge after a
-- document is stored (the surname rule). voice_actor_id NULL is the publisher.
--
-- threads, thread_claims, contests and document_groups are derived data: claimgraph.threads
-- rebuilds them from claims whenever the set of documents has changed.

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    voice_actor_id TEXT REFERENCES actors (id),
    channel_actor_id TEXT REFERENCES actors (id),
    -- the voice whose claim this one answers ("Iran rejected the accusation")
    responds_to_actor_id TEXT REFERENCES actors (id),
    stance TEXT NOT NULL,
    side INTEGER NOT NULL,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    predicate TEXT,
    actor_id TEXT REFERENCES actors (id),
    target_id TEXT REFERENCES actors (id),
    object_class TEXT,
    proposition_text TEXT NOT NULL,
    polarity TEXT NOT NULL,
    modality TEXT NOT NULL,
    time_text TEXT,
    time_value TEXT,
    time_relation TEXT,
    time_start TEXT,
    time_end TEXT,
    quantity TEXT,
    quantity_class TEXT,
    attribution_id TEXT REFERENCES attributions (id),
    event_id TEXT REFERENCES events (id),
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL
);

CREATE INDEX claims_document_idx ON claims (document_id, evidence_start);

CREATE INDEX claims_voice_idx ON claims (voice_actor_id);

CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    proposition TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    claim_count INTEGER NOT NULL,
    document_count INTEGER NOT NULL,
    source_count INTEGER NOT NULL,
    contested INTEGER NOT NULL
);

CREATE INDEX threads_sources_idx ON threads (source_count, claim_count);

-- One row per way a thread is contested (polarity, time, quantity).
CREATE TABLE contests (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    -- JSON: {"affirm": [voice key, ...], "deny": [voice key, ...], "claims": [claim id, ...]}
    sides TEXT NOT NULL
);

CREATE INDEX contests_score_idx ON contests (score);

CREATE TABLE thread_claims (
    claim_id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL
);

CREATE INDEX thread_claims_thread_idx ON thread_claims (thread_id);

CREATE TABLE document_groups (
    document_id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL
);

-- generation counts every save and delete of a document (bumped in the same
-- transaction), so a thread build knows exactly which state of the store it saw.
CREATE TABLE ledger_state (
    id INTEGER PRIMARY KEY,
    generation INTEGER NOT NULL
);

INSERT INTO ledger_state (id, generation) VALUES (1, 0);

CREATE TABLE thread_builds (
    id INTEGER PRIMARY KEY,
    generation INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    claims INTEGER NOT NULL,
    built_at TEXT NOT NULL
)
