-- One fetched HTTP response (crawl archive or WARC source) with its provenance.
CREATE TABLE IF NOT EXISTS raw_pages (
    page_id VARCHAR NOT NULL,           -- sha256(crawl_date, url), stable across runs
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,               -- normalised URL that was requested
    final_url VARCHAR,                  -- after redirects
    status SMALLINT NOT NULL,
    content_type VARCHAR,
    headers JSON,                       -- response headers as archived, [[name, value], ...]
    body BLOB,                          -- a copy of the payload, or NULL: it is read from source_file at
                                        -- record_offset (sources.copy_bodies, corpus_assets/crawl/load.py)
    body_sha256 VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ,             -- the response time, or the record's WARC-Date
    source VARCHAR NOT NULL,            -- 'crawl' or 'warc'
    source_file VARCHAR NOT NULL,       -- the WARC file holding the response
    record_offset BIGINT NOT NULL,      -- byte offset of the response record in source_file
    record_id VARCHAR NOT NULL,         -- WARC-Record-ID
    robots_decision VARCHAR NOT NULL,   -- 'allowed' (crawl) or 'not_applicable' (WARC source)
    body_bytes BIGINT NOT NULL          -- length of the payload, copied or not
);
