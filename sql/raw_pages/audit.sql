-- The staged raw_pages columns the gate audits (lengths, not bodies: the suite never needs the bytes).
SELECT page_id, url, crawl_date, status, content_type, source, octet_length(body) AS body_bytes
FROM staging.raw_pages;
