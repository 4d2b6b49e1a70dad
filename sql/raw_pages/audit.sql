-- The staged raw_pages columns the gate audits (lengths, not bodies: the suite never needs the bytes; a copied
-- body is measured here, one kept in its WARC file was measured as it was read).
SELECT page_id, url, crawl_date, status, content_type, source, coalesce(octet_length(body), body_bytes) AS body_bytes
FROM staging.raw_pages;
