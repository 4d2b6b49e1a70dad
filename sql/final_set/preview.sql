-- A few published final_set rows of one date, text shortened, for the asset's metadata.
SELECT url, title, word_count, left(text, 200) AS text
FROM main.final_set WHERE crawl_date = $crawl_date ORDER BY page_id LIMIT $limit;
