-- Working tables of deduped_text for one date: every extracted page with its fingerprint, and its band hashes.
CREATE OR REPLACE TABLE staging.dedup_candidates (
    page_id VARCHAR NOT NULL, crawl_date DATE NOT NULL, url VARCHAR NOT NULL, title VARCHAR, text VARCHAR NOT NULL,
    language VARCHAR NOT NULL, word_count INTEGER NOT NULL, content_hash VARCHAR NOT NULL, signature BLOB NOT NULL
);
CREATE OR REPLACE TABLE staging.dedup_bands (page_id VARCHAR NOT NULL, band_hash BIGINT NOT NULL);
