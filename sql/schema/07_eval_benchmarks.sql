-- The evaluation items decontamination protects, and their n-grams (unpartitioned).
CREATE TABLE IF NOT EXISTS eval_benchmark_items (
    benchmark VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    field_names VARCHAR[] NOT NULL,
    field_texts VARCHAR[] NOT NULL,
    word_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS eval_benchmark_ngrams (
    benchmark VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    ngram_size SMALLINT NOT NULL,
    ngram_hash BIGINT NOT NULL,
    ngram VARCHAR NOT NULL
);
