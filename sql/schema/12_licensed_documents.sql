-- A first-party or licensed document (sources.documents): already-extracted text that joins the chain at
-- deduped_text, with the licence and origin its source states and the file and row it was read from.
CREATE TABLE IF NOT EXISTS licensed_documents (
    page_id VARCHAR NOT NULL,           -- sha256(crawl_date, url), like a crawled page's
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,               -- the document's URL, or urn:document:<origin>:<id>
    title VARCHAR,
    text VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    language_score DOUBLE NOT NULL,
    word_count INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,       -- the id the source gives it
    licence VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    row_number BIGINT NOT NULL          -- the line of a JSONL or CSV file (where the row ends), the row of Parquet
);
