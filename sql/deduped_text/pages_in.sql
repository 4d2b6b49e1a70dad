-- The published extracted pages and first-party documents of one date (the dedup_inputs view), in stored order:
-- fingerprints are per page, and which of two duplicates is kept ("earlier wins": the smaller page_id) is decided
-- by the SQL that pairs them.
SELECT page_id, crawl_date, url, title, text, language, word_count
FROM main.dedup_inputs WHERE crawl_date = $crawl_date;
