-- Empty staging copies of the benchmark tables.
CREATE OR REPLACE TABLE staging.eval_benchmark_items AS SELECT * FROM main.eval_benchmark_items LIMIT 0;
CREATE OR REPLACE TABLE staging.eval_benchmark_ngrams AS SELECT * FROM main.eval_benchmark_ngrams LIMIT 0;
