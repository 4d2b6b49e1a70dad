-- Candidate pairs of pages of this date sharing an LSH band: each page with the smallest page_id of every band
-- bucket it is in. A bucket of k pages gives k - 1 pairs, not k(k-1)/2, and the clusters are the same (see
-- corpus_assets/dedup/clusters.py): a template copied on 10,000 pages costs 10^4 rows, not 5 * 10^7. No texts:
-- only verifying needs them (same_date_pairs_verified.sql).
WITH buckets AS (
    SELECT band_hash, min(page_id) AS first_page_id
    FROM staging.dedup_bands GROUP BY band_hash HAVING count(*) > 1
), pairs AS (
    SELECT DISTINCT k.first_page_id AS page_id, b.page_id AS other_page_id
    FROM staging.dedup_bands b JOIN buckets k USING (band_hash)
    WHERE b.page_id <> k.first_page_id
)
SELECT p.page_id, c.url, c.signature, NULL::VARCHAR AS text, p.other_page_id, o.url AS other_url,
       o.signature AS other_signature, NULL::VARCHAR AS other_text
FROM pairs p
JOIN staging.dedup_candidates c USING (page_id)
JOIN staging.dedup_candidates o ON o.page_id = p.other_page_id;
