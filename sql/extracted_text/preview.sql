-- A few published extracted_text rows of one date, text shortened, for the asset's metadata.
SELECT url, title, language, round(language_score, 3) AS language_score, word_count, left(text, 200) AS text
FROM main.extracted_text WHERE crawl_date = $crawl_date ORDER BY page_id LIMIT $limit;
