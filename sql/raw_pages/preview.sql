-- A few published raw_pages rows of one date, without the bodies, for the asset's metadata.
SELECT url, status, content_type, body_bytes, source, fetched_at
FROM main.raw_pages WHERE crawl_date = $crawl_date ORDER BY page_id LIMIT $limit;
