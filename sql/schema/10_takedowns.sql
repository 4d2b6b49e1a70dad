-- Requests to remove pages from the corpus (`python -m corpus_assets.cli forget`): from the moment one is recorded
-- every stage withholds the pages it covers (drop reason `takedown`), and no release includes them.
CREATE TABLE IF NOT EXISTS takedowns (
    takedown_id INTEGER NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    scope VARCHAR NOT NULL,             -- 'url': that normalised URL; 'domain': the host and every host below it
    target VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,            -- why, in the requester's or the data team's words
    requested_by VARCHAR                -- who asked, free text
);
