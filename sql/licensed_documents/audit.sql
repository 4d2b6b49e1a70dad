-- The staged licensed_documents columns the gate audits: ids unique within a source file, text and licence present.
SELECT page_id, url, crawl_date, length(text) AS text_chars, licence, origin,
       count(*) OVER (PARTITION BY source_file, document_id) AS rows_with_this_id
FROM staging.licensed_documents;
