-- The published raw pages of one date, as extraction reads them: in stored order, never sorted, because a sort
-- would hold every body of the date at once, and each page is extracted on its own. A body kept in its WARC file
-- (body IS NULL) is read from there by the worker that extracts the page (corpus_assets/crawl/load.py:body_of).
SELECT page_id, crawl_date, url, final_url, content_type, headers, body, body_sha256, source_file, record_offset,
       record_id
FROM main.raw_pages
WHERE crawl_date = $crawl_date;
