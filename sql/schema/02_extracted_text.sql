-- The main text of one HTML page.
CREATE TABLE IF NOT EXISTS extracted_text (
    page_id VARCHAR NOT NULL,
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    language_score DOUBLE NOT NULL,
    declared_language VARCHAR,
    canonical_url VARCHAR,
    char_count INTEGER NOT NULL,
    word_count INTEGER NOT NULL,
    extractor VARCHAR NOT NULL,
    encoding VARCHAR
);
