-- The staged final_set rows the gate audits. Independently of the in-memory matcher that chose them, SQL recounts
-- the overlap rule (corpus_assets/decontam/rule.py) over the kept pages' n-grams and the published benchmark
-- n-grams: no kept page may share enough of any item's specific (non-template) n-grams.
WITH ngram_items AS (
    -- How many distinct items have each n-gram: $template_min_items or more make it a template (null: none is).
    SELECT ngram_size, ngram_hash, count(DISTINCT (benchmark, item_id)) AS items
    FROM main.eval_benchmark_ngrams
    GROUP BY ngram_size, ngram_hash
), specific_ngrams AS (
    SELECT b.benchmark, b.item_id, b.ngram_size, b.ngram_hash
    FROM main.eval_benchmark_ngrams b
    JOIN ngram_items n USING (ngram_size, ngram_hash)
    WHERE $template_min_items IS NULL OR n.items < $template_min_items
), needed AS (
    -- needed(t) = min(t, max(min_shared_ngrams, min_shared_fraction * t)), in floating point as in Python.
    SELECT benchmark, item_id,
           least(count(*)::DOUBLE, greatest($min_shared_ngrams::DOUBLE, $min_shared_fraction::DOUBLE * count(*)))
               AS needed
    FROM specific_ngrams
    GROUP BY benchmark, item_id
), shared AS (
    SELECT g.doc_id, s.benchmark, s.item_id, count(DISTINCT g.ngram_hash) AS shared
    FROM staging.final_set_ngrams g
    JOIN specific_ngrams s ON s.ngram_hash = g.ngram_hash AND s.ngram_size = g.ngram_size
    GROUP BY g.doc_id, s.benchmark, s.item_id
), contaminated AS (
    SELECT DISTINCT s.doc_id
    FROM shared s
    JOIN needed n USING (benchmark, item_id)
    WHERE s.shared >= n.needed
)
SELECT t.page_id, t.url, t.crawl_date, length(t.text) AS text_chars,
       t.page_id IN (SELECT doc_id FROM contaminated) AS overlaps_benchmark_item
FROM staging.final_set t;
