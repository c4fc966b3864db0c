-- claimgraph schema, version 8: readable views, names instead of ids.
--
-- For people who open the database itself (datasette, sqlite3, psql, a BI tool):
-- each view joins a ledger table to its documents, actors and entities so that a
-- row reads on its own. The library never reads them; they cost nothing until
-- queried. Same rules as before: runs unchanged on SQLite and PostgreSQL (no JSON
-- functions, no string aggregation, both differ), no semicolons, question marks or
-- percent signs inside comments or literals (the loader splits on semicolons and
-- the PostgreSQL driver reads the other two as placeholders).
--
-- Names: an actor's entity name (the same actor across articles) when it has one,
-- else the name the article uses. Text spans come from documents.text with SUBSTR,
-- 1-based in both backends while offsets are 0-based Python indices, hence the + 1.
--
-- contested_readable has one row per statement of a contest, with the side it
-- stands on: for a polarity contest the claim's own side (affirm or deny), for a
-- time or quantity contest side A (the earlier bound, the smaller figure) or side
-- B, as claimgraph.threads puts them. A contest lists its claims in contests.sides
-- (JSON text), matched here without JSON functions: a claim belongs to the contest
-- when its quoted id occurs in that text (claim ids hold only hex digits, a colon
-- and a letter).

CREATE VIEW statements_readable AS
SELECT
    COALESCE(spe.name, sp.name) AS speaker,
    COALESCE(spe.type, sp.type) AS speaker_type,
    COALESCE(spe.country, sp.country) AS speaker_country,
    sp.role AS speaker_role,
    a.source_text AS source_text,
    a.cue_text AS cue,
    a.content_text AS content,
    a.stance AS stance,
    a.kind AS kind,
    a.section AS section,
    COALESCE(che.name, ch.name) AS channel,
    COALESCE(d.title, d.name) AS document,
    d.outlet AS outlet,
    d.url AS url,
    d.published AS published,
    a.content_start AS content_start,
    a.content_end AS content_end,
    a.id AS statement_id,
    d.id AS document_id,
    spe.id AS speaker_entity_id
FROM attributions a
JOIN documents d ON d.id = a.document_id
LEFT JOIN actors sp ON sp.id = a.speaker_actor_id
LEFT JOIN entities spe ON spe.id = sp.entity_id
LEFT JOIN actors ch ON ch.id = a.channel_actor_id
LEFT JOIN entities che ON che.id = ch.entity_id;

CREATE VIEW events_readable AS
SELECT
    COALESCE(ace.name, ac.name) AS actor,
    COALESCE(ace.type, ac.type) AS actor_type,
    COALESCE(ace.country, ac.country) AS actor_country,
    e.type AS event_type,
    e.mode AS event_mode,
    e.context AS event_context,
    e.cameo AS cameo_root,
    COALESCE(tge.name, tg.name) AS target,
    COALESCE(tge.type, tg.type) AS target_type,
    COALESCE(tge.country, tg.country) AS target_country,
    e.trigger_text AS trigger_text,
    e.object_text AS object_text,
    e.quantity AS quantity,
    e.time_text AS time_text,
    e.time_value AS time_value,
    e.polarity AS polarity,
    e.modality AS modality,
    CASE
        WHEN e.attribution_id IS NULL THEN 'publisher'
        ELSE COALESCE(spe.name, sp.name, att.source_text, 'unknown speaker')
    END AS voice,
    CASE
        WHEN e.sentence_start IS NULL THEN NULL
        ELSE SUBSTR(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)
    END AS sentence,
    e.section AS section,
    COALESCE(d.title, d.name) AS document,
    d.outlet AS outlet,
    d.url AS url,
    d.published AS published,
    e.id AS event_id,
    d.id AS document_id
FROM events e
JOIN documents d ON d.id = e.document_id
LEFT JOIN actors ac ON ac.id = e.actor_id
LEFT JOIN entities ace ON ace.id = ac.entity_id
LEFT JOIN actors tg ON tg.id = e.target_id
LEFT JOIN entities tge ON tge.id = tg.entity_id
LEFT JOIN attributions att ON att.id = e.attribution_id
LEFT JOIN actors sp ON sp.id = att.speaker_actor_id
LEFT JOIN entities spe ON spe.id = sp.entity_id;

CREATE VIEW claims_readable AS
SELECT
    COALESCE(ve.name, va.name, d.outlet, 'publisher') AS voice,
    COALESCE(ve.type, va.type, 'publisher') AS voice_type,
    c.stance AS stance,
    CASE WHEN c.side > 0 THEN 'affirm' WHEN c.side < 0 THEN 'deny' ELSE 'neutral' END AS side,
    c.proposition_text AS proposition,
    c.polarity AS polarity,
    c.modality AS modality,
    c.time_value AS time_value,
    c.quantity AS quantity,
    SUBSTR(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence,
    COALESCE(d.title, d.name) AS document,
    d.outlet AS outlet,
    d.url AS url,
    d.published AS published,
    tc.thread_id AS thread_id,
    c.id AS claim_id,
    d.id AS document_id
FROM claims c
JOIN documents d ON d.id = c.document_id
LEFT JOIN actors va ON va.id = c.voice_actor_id
LEFT JOIN entities ve ON ve.id = va.entity_id
LEFT JOIN thread_claims tc ON tc.claim_id = c.id;

CREATE VIEW contested_readable AS
SELECT
    t.proposition AS proposition,
    k.kind AS contest,
    k.score AS score,
    CASE
        WHEN k.kind = 'polarity' AND c.side > 0 THEN 'affirm'
        WHEN k.kind = 'polarity' THEN 'deny'
        WHEN k.kind = 'time' AND c.time_relation = 'before' THEN 'side A'
        WHEN k.kind = 'quantity' AND c.quantity_class = 'small' THEN 'side A'
        ELSE 'side B'
    END AS side,
    COALESCE(ve.name, va.name, d.outlet, 'publisher') AS voice,
    COALESCE(ve.type, va.type, 'publisher') AS voice_type,
    c.stance AS stance,
    c.time_value AS time_value,
    c.quantity AS quantity,
    SUBSTR(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence,
    COALESCE(d.title, d.name) AS document,
    d.outlet AS outlet,
    d.url AS url,
    d.published AS published,
    t.first_seen AS first_seen,
    t.last_seen AS last_seen,
    t.id AS thread_id,
    c.id AS claim_id,
    d.id AS document_id
FROM contests k
JOIN threads t ON t.id = k.thread_id
JOIN thread_claims tc ON tc.thread_id = k.thread_id
JOIN claims c ON c.id = tc.claim_id
JOIN documents d ON d.id = c.document_id
LEFT JOIN actors va ON va.id = c.voice_actor_id
LEFT JOIN entities ve ON ve.id = va.entity_id
WHERE REPLACE(k.sides, '"' || c.id || '"', '') <> k.sides
