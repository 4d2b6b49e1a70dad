-- Per benchmark of the published index, as benchmark_stats counts them: items, distinct n-grams, items shorter than
-- an n-gram, items without any n-gram (which no page can match).
WITH per_item AS (
    SELECT i.benchmark, i.item_id, i.word_count, count(n.ngram_hash) AS ngrams
    FROM main.eval_benchmark_items i
    LEFT JOIN main.eval_benchmark_ngrams n USING (benchmark, item_id)
    GROUP BY i.benchmark, i.item_id, i.word_count
), distinct_ngrams AS (
    SELECT benchmark, count(DISTINCT ngram_hash) AS ngrams FROM main.eval_benchmark_ngrams GROUP BY benchmark
)
SELECT p.benchmark, count(*)::BIGINT AS items, coalesce(any_value(d.ngrams), 0)::BIGINT AS ngrams,
       count_if(p.word_count < $ngram_size)::BIGINT AS short_items, count_if(p.ngrams = 0)::BIGINT AS unindexed_items
FROM per_item p
LEFT JOIN distinct_ngrams d USING (benchmark)
GROUP BY p.benchmark
ORDER BY p.benchmark;
