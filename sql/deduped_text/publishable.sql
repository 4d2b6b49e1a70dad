-- The candidates left after every drop are the date's deduped_text, and their fingerprints and bands join the
-- history (published with the partition).
INSERT INTO staging.deduped_text
SELECT page_id, crawl_date, url, title, text, language, word_count, content_hash
FROM staging.dedup_candidates c ANTI JOIN staging.deduped_text_drops d USING (page_id);

INSERT INTO staging.page_fingerprints
SELECT crawl_date, page_id, url, content_hash, signature
FROM staging.dedup_candidates SEMI JOIN staging.deduped_text USING (page_id);

INSERT INTO staging.near_duplicate_index
SELECT $crawl_date, page_id, band_hash FROM staging.dedup_bands SEMI JOIN staging.deduped_text USING (page_id);
