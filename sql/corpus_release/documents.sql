-- The documents of one released crawl date with their provenance, in the release's stable order (page id), without
-- the pages a takedown request covers. A crawled page's provenance is its raw page (WARC file and offset); a
-- first-party document's is its source file and row number (in record_offset). A page whose upstream rows are
-- missing keeps its row with NULL provenance: the release's gate counts those, rather than the release losing it.
SELECT f.page_id AS id, f.text, f.title, f.url, f.crawl_date, r.fetched_at,
       coalesce(r.source, CASE WHEN l.page_id IS NOT NULL THEN 'documents' END) AS source,
       coalesce(r.source_file, l.source_file) AS source_file, coalesce(r.record_offset, l.row_number) AS record_offset,
       coalesce(e.language, l.language) AS language, coalesce(e.language_score, l.language_score) AS language_score,
       f.word_count, f.licence, coalesce(s.cluster_size, 1) AS duplicate_cluster_size
FROM main.final_set f
LEFT JOIN main.extracted_text e ON e.crawl_date = f.crawl_date AND e.page_id = f.page_id
LEFT JOIN main.raw_pages r ON r.crawl_date = f.crawl_date AND r.page_id = f.page_id
LEFT JOIN main.licensed_documents l ON l.crawl_date = f.crawl_date AND l.page_id = f.page_id
LEFT JOIN main.duplicate_cluster_sizes s ON s.crawl_date = f.crawl_date AND s.page_id = f.page_id
WHERE f.crawl_date = $crawl_date
  AND NOT EXISTS (SELECT 1 FROM takedown_matches m WHERE m.page_id = f.page_id AND m.crawl_date = f.crawl_date)
ORDER BY f.page_id;
