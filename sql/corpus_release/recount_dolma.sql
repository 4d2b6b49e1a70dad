-- The Dolma JSONL documents read back, counted per crawl date (`added` is the crawl date). Only the two fields
-- counted are parsed ({{ }} is a brace: statements pass through str.format for table names).
SELECT added AS crawl_date, count(*) AS dolma_rows
FROM read_json($files, format = 'newline_delimited', columns = {{id: 'VARCHAR', added: 'VARCHAR'}})
GROUP BY added
ORDER BY added;
