-- Replace the whole benchmark index by the audited staged one (inside one transaction).
DELETE FROM main.eval_benchmark_items;
INSERT INTO main.eval_benchmark_items SELECT * FROM staging.eval_benchmark_items;
DELETE FROM main.eval_benchmark_ngrams;
INSERT INTO main.eval_benchmark_ngrams SELECT * FROM staging.eval_benchmark_ngrams;
