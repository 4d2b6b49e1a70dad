-- The n-gram lengths the published benchmark index holds (pages are cut into the same lengths).
SELECT DISTINCT ngram_size FROM main.eval_benchmark_ngrams ORDER BY ngram_size;
