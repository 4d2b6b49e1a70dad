-- The staged final_set rows the gate audits. Independently of the in-memory matcher that chose them, a SQL join
-- of their n-grams against the benchmark index must find nothing.
SELECT t.page_id, t.url, t.crawl_date, length(t.text) AS text_chars,
       EXISTS (SELECT 1 FROM staging.final_set_ngrams g
               JOIN main.eval_benchmark_ngrams b ON b.ngram_hash = g.ngram_hash AND b.ngram_size = g.ngram_size
               WHERE g.doc_id = t.page_id) AS shares_benchmark_ngram
FROM staging.final_set t;
