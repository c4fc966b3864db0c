-- claimgraph schema, version 3: actors across articles.
--
-- An entity is what several articles' actors are the same one of: a state by its
-- ISO3 code, a person by first and last name, an organisation by name and country
-- (claimgraph.identity builds the key, which is the primary key here). Each
-- per-document actor points at its entity; counts are kept on the entity so that the
-- surname rule ("Trump" alone means the dominant Donald Trump) needs no scan.

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    role TEXT,
    affiliation TEXT,
    actor_count INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX entities_name_idx ON entities (name);

CREATE INDEX entities_type_idx ON entities (type);

ALTER TABLE actors ADD COLUMN entity_id TEXT;

ALTER TABLE actors ADD COLUMN sector TEXT;

ALTER TABLE actors ADD COLUMN affiliation TEXT;

CREATE INDEX actors_entity_idx ON actors (entity_id);

ALTER TABLE attributions ADD COLUMN co_speakers TEXT;
