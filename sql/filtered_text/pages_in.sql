-- The published deduped pages of one date, as the quality stage reads them (in stored order: each page is judged
-- on its own, and a sort would hold the date's texts at once).
SELECT page_id, crawl_date, url, title, text, language FROM main.deduped_text WHERE crawl_date = $crawl_date;
