-- A URL given twice for one date (crawl and WARC, or two WARC files) is one page: the first source in
-- (crawl before WARC, file path, record offset) order is kept, the others become drops naming it; a copy
-- has no page id of its own (the page id belongs to the kept page).
CREATE OR REPLACE TEMP TABLE duplicate_urls AS
SELECT page_id, url, source, source_file, record_offset, first_value(source_file) OVER same_url AS kept_file,
       row_number() OVER same_url AS position
FROM staging.raw_pages
WINDOW same_url AS (PARTITION BY url ORDER BY source = 'warc', source_file, record_offset);

INSERT INTO staging.raw_pages_drops (crawl_date, page_id, url, stage, reason, detail, related_url)
SELECT $crawl_date, NULL, url, 'raw_pages', 'duplicate_url',
       'same URL already loaded from ' || kept_file || '; this copy is in ' || source_file || ' at ' || record_offset,
       url
FROM duplicate_urls WHERE position > 1;

DELETE FROM staging.raw_pages r USING duplicate_urls d
WHERE d.position > 1 AND r.source_file = d.source_file AND r.record_offset = d.record_offset;

DROP TABLE duplicate_urls;
