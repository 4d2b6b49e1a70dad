-- The n-grams of the staged final_set rows, for the gate's join against the benchmark index.
CREATE OR REPLACE TABLE staging.final_set_ngrams (
    doc_id VARCHAR NOT NULL, ngram_size SMALLINT NOT NULL, word_offset INTEGER NOT NULL, ngram_hash BIGINT NOT NULL
);
