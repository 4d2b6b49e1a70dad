-- The published filtered pages of one date, as decontamination reads them.
SELECT page_id, crawl_date, url, title, text, word_count
FROM main.filtered_text WHERE crawl_date = $crawl_date ORDER BY page_id;
