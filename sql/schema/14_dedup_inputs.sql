-- What deduplication reads for a date: the extracted crawl and the first-party documents (licensed_documents),
-- which have no HTML and join the chain here.
CREATE VIEW IF NOT EXISTS dedup_inputs AS
SELECT page_id, crawl_date, url, title, text, language, word_count FROM extracted_text
UNION ALL
SELECT page_id, crawl_date, url, title, text, language, word_count FROM licensed_documents;
