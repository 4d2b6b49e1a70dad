-- A page that is neither an exact nor a near duplicate of an earlier page (earlier date, or smaller page_id
-- on the same date).
CREATE TABLE IF NOT EXISTS deduped_text (
    page_id VARCHAR NOT NULL,
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    word_count INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL           -- md5 of the normalised text
);
