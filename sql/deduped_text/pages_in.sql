-- The published extracted pages of one date, in page_id order (the "earlier wins" order within a date).
SELECT page_id, crawl_date, url, title, text, language, word_count
FROM main.extracted_text WHERE crawl_date = $crawl_date ORDER BY page_id;
