-- Record what the just-published tables were computed from (inside the publishing transaction).
DELETE FROM main.eval_benchmark_index;
INSERT INTO main.eval_benchmark_index
SELECT $fingerprint, $index_version, $inputs, (SELECT count(*) FROM main.eval_benchmark_items),
       (SELECT count(*) FROM main.eval_benchmark_ngrams), $benchmarks, now();
