-- Candidate pairs of a page of this date and a kept page of an earlier date sharing an LSH band. The texts are
-- read only when verifying by true Jaccard ($verify): otherwise the signatures decide.
WITH pairs AS (
    SELECT DISTINCT b.page_id, i.page_id AS other_page_id, i.crawl_date AS other_date
    FROM staging.dedup_bands b
    JOIN main.near_duplicate_index i ON i.band_hash = b.band_hash AND i.crawl_date < $crawl_date
)
SELECT p.page_id, c.url, c.signature, CASE WHEN $verify THEN c.text END AS text,
       p.other_page_id, f.url AS other_url, p.other_date, f.signature AS other_signature, d.text AS other_text
FROM pairs p
JOIN staging.dedup_candidates c USING (page_id)
JOIN main.page_fingerprints f ON f.page_id = p.other_page_id AND f.crawl_date = p.other_date
LEFT JOIN main.deduped_text d ON $verify AND d.page_id = p.other_page_id AND d.crawl_date = p.other_date;
