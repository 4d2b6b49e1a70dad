-- The safety signals of every page the quality stage saw (kept or dropped): the blocklist entry that covers its URL
-- and the listed words of its text, so "what if the ratio were 0.01" or "what if this list were off" is one query.
-- Published with filtered_text (corpus_assets/safety).
CREATE TABLE IF NOT EXISTS safety_signals (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    blocklist_category VARCHAR,         -- NULL: on no list
    blocklist_entry VARCHAR,            -- the listed domain or URL that covers the page's URL
    blocklist_source VARCHAR,           -- the list it is on (shipped, with its version, or the team's file)
    obscene_flagged_words INTEGER NOT NULL,
    obscene_words INTEGER NOT NULL,
    obscene_ratio DOUBLE NOT NULL,
    obscene_examples VARCHAR[]          -- at most three distinct listed words found
);
