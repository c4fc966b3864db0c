-- claimgraph schema, version 6: which ingest is extracting which document.
--
-- Before an ingest extracts a document it claims it here, in a short transaction
-- (INSERT ... ON CONFLICT DO NOTHING), and a second ingest of the same corpus
-- running at the same time leaves that document to the first instead of
-- extracting it again. The row goes away in the transaction that stores the
-- document, or when the ingest gives up on it. A lease whose owner died (its pid
-- is gone on the same host) or whose expires_at has passed (UTC, ISO 8601, renewed
-- while the owner runs) is taken over, so nothing is lost when an ingest is killed.
-- owner is a random token per ingest run: two ingests in one process differ.

CREATE TABLE ingest_leases (
    document_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires_at TEXT NOT NULL
)
