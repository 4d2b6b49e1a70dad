-- Every page a stage removed, and why: the fate of any URL is one query over this table.
CREATE TABLE IF NOT EXISTS drop_log (
    crawl_date DATE NOT NULL,
    page_id VARCHAR,
    url VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    related_url VARCHAR,                -- for a duplicate: the kept page it repeats
    similarity DOUBLE,                  -- for a near duplicate: estimated Jaccard
    benchmark VARCHAR,                  -- for contamination: the benchmark, item and n-gram matched
    benchmark_item VARCHAR,
    matched_ngram VARCHAR
);
