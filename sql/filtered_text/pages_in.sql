-- The published deduped pages of one date, as the quality filters read them.
SELECT page_id, crawl_date, url, title, text FROM main.deduped_text WHERE crawl_date = $crawl_date ORDER BY page_id;
