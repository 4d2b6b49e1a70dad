-- A few published deduped_text rows of one date, text shortened, for the asset's metadata.
SELECT url, title, word_count, content_hash, left(text, 200) AS text
FROM main.deduped_text WHERE crawl_date = $crawl_date ORDER BY page_id LIMIT $limit;
