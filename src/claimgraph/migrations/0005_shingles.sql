-- claimgraph schema, version 5: each document's sample of word 5-gram hashes.
--
-- claimgraph.threads finds near-duplicate articles (a wire story and its copies) by
-- the share of sampled 5-grams two texts have in common. The sample is a function of
-- the text alone, so it is computed once, when the document is saved, instead of at
-- every thread build. sample is a header saying how it was taken (n-gram size and
-- rate, e.g. n5/s4), then the hashes as decimal integers, separated by spaces.
-- Documents stored before this version, or sampled another way, get theirs at the
-- next build.

CREATE TABLE document_shingles (
    document_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    sample TEXT NOT NULL
);
