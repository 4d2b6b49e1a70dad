-- The published filtered pages of one date, as decontamination reads them (in stored order: each page is
-- matched on its own, and a sort would hold the date's texts at once).
SELECT page_id, crawl_date, url, title, text, word_count
FROM main.filtered_text WHERE crawl_date = $crawl_date;
