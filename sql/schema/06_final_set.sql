-- A page not contaminated by any registered evaluation benchmark item (the overlap rule, decontam/rule.py): the corpus.
CREATE TABLE IF NOT EXISTS final_set (
    page_id VARCHAR NOT NULL,
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    word_count INTEGER NOT NULL,
    licence VARCHAR                     -- SPDX id the page declares (page_rights) or its document source's licence
);
