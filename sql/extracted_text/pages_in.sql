-- The published raw pages of one date, in a stable order, as extraction reads them.
SELECT page_id, crawl_date, url, content_type, body
FROM main.raw_pages
WHERE crawl_date = $crawl_date
ORDER BY page_id;
