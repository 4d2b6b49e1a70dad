-- The staged extracted_text columns the gate audits (lengths, not texts).
SELECT page_id, url, crawl_date, language, language_score, word_count, length(text) AS text_chars
FROM staging.extracted_text;
