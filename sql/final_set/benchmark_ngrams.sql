-- The published benchmark n-grams the in-memory matcher is built from (their text is not needed: matches quote
-- the page's own window).
SELECT benchmark, item_id, ngram_size, ngram_hash FROM main.eval_benchmark_ngrams;
