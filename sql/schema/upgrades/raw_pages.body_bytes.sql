-- A warehouse made before bodies could stay in their WARC files: body may now be NULL, and every row states the
-- length of its body. Applied once, when raw_pages has no body_bytes column.
ALTER TABLE raw_pages ALTER COLUMN body DROP NOT NULL;
ALTER TABLE raw_pages ADD COLUMN body_bytes BIGINT;
UPDATE raw_pages SET body_bytes = octet_length(body);
