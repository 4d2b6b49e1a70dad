-- The staged benchmark items as their suite audits them: an item has n-grams unless it is shorter than one.
SELECT i.benchmark, i.item_id, count(n.ngram_hash) > 0 OR i.word_count < $ngram_size AS indexed_or_short
FROM staging.eval_benchmark_items i
LEFT JOIN staging.eval_benchmark_ngrams n USING (benchmark, item_id)
GROUP BY i.benchmark, i.item_id, i.word_count;
