-- A few published documents of one date, for the UI.
SELECT url, title, licence, origin, word_count, left(text, 200) AS text
FROM main.licensed_documents WHERE crawl_date = $crawl_date ORDER BY page_id LIMIT $limit;
