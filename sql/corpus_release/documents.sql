-- The documents of one released crawl date with their provenance, in the release's stable order (page id), without
-- the pages a takedown request covers. A page whose upstream rows are missing keeps its row with NULL provenance:
-- the release's gate counts those, rather than the release losing the page.
SELECT f.page_id AS id, f.text, f.title, f.url, f.crawl_date, r.fetched_at, r.source, r.source_file,
       r.record_offset, e.language, e.language_score, f.word_count
FROM main.final_set f
LEFT JOIN main.extracted_text e ON e.crawl_date = f.crawl_date AND e.page_id = f.page_id
LEFT JOIN main.raw_pages r ON r.crawl_date = f.crawl_date AND r.page_id = f.page_id
WHERE f.crawl_date = $crawl_date
  AND NOT EXISTS (SELECT 1 FROM takedown_matches m WHERE m.page_id = f.page_id AND m.crawl_date = f.crawl_date)
ORDER BY f.page_id;
