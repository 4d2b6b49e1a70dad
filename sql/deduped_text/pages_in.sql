-- The published extracted pages of one date, in stored order: fingerprints are per page, and which of two
-- duplicates is kept ("earlier wins": the smaller page_id) is decided by the SQL that pairs them.
SELECT page_id, crawl_date, url, title, text, language, word_count
FROM main.extracted_text WHERE crawl_date = $crawl_date;
