-- The dedup state of every kept page, published with its deduped_text partition: a later date is matched
-- against it by joins, so memory never grows with history.
CREATE TABLE IF NOT EXISTS page_fingerprints (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    signature BLOB NOT NULL                 -- MinHash signature, 112 x uint64 little-endian
);
CREATE TABLE IF NOT EXISTS near_duplicate_index (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    band_hash BIGINT NOT NULL               -- one row per LSH band; the band index is folded into the hash
);
