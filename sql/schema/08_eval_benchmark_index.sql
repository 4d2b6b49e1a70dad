-- The fingerprint of the published benchmark index (one row): what eval_benchmark_items and eval_benchmark_ngrams
-- were computed from. While it equals the fingerprint of the configured files and settings, the asset reuses them.
CREATE TABLE IF NOT EXISTS eval_benchmark_index (
    fingerprint VARCHAR NOT NULL,       -- sha256 of the inputs below (corpus_assets.decontam.fingerprint)
    index_version INTEGER NOT NULL,     -- the indexing code's version, INDEX_VERSION
    inputs JSON NOT NULL,               -- the settings and every file's path and sha256
    items BIGINT NOT NULL,              -- rows of eval_benchmark_items and eval_benchmark_ngrams when published
    ngrams BIGINT NOT NULL,
    benchmarks JSON NOT NULL,           -- per-benchmark counts (eval_benchmarks/stats): costly to count again
    published_at TIMESTAMPTZ NOT NULL
);
