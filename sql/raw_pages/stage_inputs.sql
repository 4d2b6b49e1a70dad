-- Every record raw_pages was given for a date (crawl outcomes and WARC responses): its pages in.
CREATE OR REPLACE TABLE staging.raw_pages_inputs (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    source VARCHAR NOT NULL
);
