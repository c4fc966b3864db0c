-- claimgraph schema, version 9: how sure the extractor is of each statement.
--
-- confidence is the calibrated probability (claimgraph.confidence) that the
-- attribution is right, NULL for rows stored before this version or by an
-- extractor without a confidence model; listings keep rows at or above
-- --min-confidence, and the unscored NULL rows always. mode says whether
-- the cue reports speech ("said") or a thought ("believes"), NULL for older rows.

ALTER TABLE attributions ADD COLUMN confidence REAL;

ALTER TABLE attributions ADD COLUMN mode TEXT
