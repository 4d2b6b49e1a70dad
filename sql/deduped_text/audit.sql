-- The staged deduped_text columns the gate audits, with an independent recount of exact dedup: no kept text may
-- repeat a text kept on an earlier date.
SELECT t.page_id, t.url, t.crawl_date, t.content_hash,
       EXISTS (SELECT 1 FROM main.page_fingerprints f
               WHERE f.content_hash = t.content_hash AND f.crawl_date < t.crawl_date) AS repeats_earlier_date
FROM staging.deduped_text t;
