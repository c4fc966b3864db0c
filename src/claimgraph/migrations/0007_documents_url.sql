-- claimgraph schema, version 7: find a document by its URL.
--
-- A feed ingest asks, for every item, whether its link is already stored
-- (Store.has_url) and fetches only the new ones; without an index each such
-- question would read the whole documents table.

CREATE INDEX documents_url_idx ON documents (url)
