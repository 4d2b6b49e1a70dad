-- The files a host publishes about its whole site, as one crawl date archived them: robots.txt and the W3C TDMRep
-- file (/.well-known/tdmrep.json). Extraction reads every page's rights against its host's files
-- (corpus_assets/rights); a WARC source contributes the ones it archived. Published with raw_pages.
CREATE TABLE IF NOT EXISTS host_files (
    crawl_date DATE NOT NULL,
    host VARCHAR NOT NULL,              -- scheme://host[:port], as corpus_assets.crawl.urls.host_of gives it
    kind VARCHAR NOT NULL,              -- 'robots' or 'tdmrep'
    url VARCHAR NOT NULL,
    status SMALLINT NOT NULL,
    body BLOB,                          -- the payload of a 2xx response (robots.txt's first 500 KiB), else NULL
    truncated BOOLEAN NOT NULL,         -- the archived body is the first part of a longer one
    fetched_at TIMESTAMPTZ,
    source VARCHAR NOT NULL,            -- 'crawl' or 'warc'
    source_file VARCHAR NOT NULL,       -- the WARC file holding the response
    record_offset BIGINT NOT NULL,
    record_id VARCHAR NOT NULL
);
