-- claimgraph schema, version 10: how sure the extractor is of each event.
--
-- confidence is the calibrated probability (claimgraph.event_confidence) that
-- the event's type is right, NULL for rows stored before this version or by an
-- extractor without an event confidence model; the events listing keeps rows at
-- or above --min-confidence (default 0: all), and the unscored NULL rows always.

ALTER TABLE events ADD COLUMN confidence REAL
