-- The staged filtered_text columns the gate audits, with a recount: every page the filters saw has its signals.
SELECT t.page_id, t.url, t.crawl_date, t.word_count, length(t.text) AS text_chars,
       (SELECT count(*) FROM main.deduped_text d WHERE d.crawl_date = t.crawl_date)
         = (SELECT count(*) FROM staging.quality_signals) AS signals_complete
FROM staging.filtered_text t;
