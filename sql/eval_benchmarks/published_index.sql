-- The recorded fingerprint of the published benchmark tables, with their row counts then and now: rows deleted or
-- added by hand since make the record stale.
SELECT fingerprint, published_at, items = (SELECT count(*) FROM main.eval_benchmark_items)
                                  AND ngrams = (SELECT count(*) FROM main.eval_benchmark_ngrams) AS intact,
       items, ngrams, benchmarks
FROM main.eval_benchmark_index;
