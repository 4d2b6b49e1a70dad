-- The published raw pages of one date, as extraction reads them: in stored order, never sorted, because a sort
-- would hold every body of the date at once, and each page is extracted on its own.
SELECT page_id, crawl_date, url, content_type, body
FROM main.raw_pages
WHERE crawl_date = $crawl_date;
