-- Every candidate pair of pages of this date sharing an LSH band (each pair once, smaller page_id first), with
-- both texts: what verifying by true Jaccard needs (`dedup.verify_with_jaccard`). A bucket of k pages gives
-- k(k-1)/2 pairs: without verification, same_date_pairs.sql gives the same clusters from k - 1.
WITH pairs AS (
    SELECT DISTINCT a.page_id, b.page_id AS other_page_id
    FROM staging.dedup_bands a JOIN staging.dedup_bands b ON a.band_hash = b.band_hash AND a.page_id < b.page_id
)
SELECT p.page_id, c.url, c.signature, c.text, p.other_page_id, o.url AS other_url, o.signature AS other_signature,
       o.text AS other_text
FROM pairs p
JOIN staging.dedup_candidates c USING (page_id)
JOIN staging.dedup_candidates o ON o.page_id = p.other_page_id;
