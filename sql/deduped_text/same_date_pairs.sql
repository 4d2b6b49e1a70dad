-- Candidate pairs of pages of this date sharing an LSH band (each pair once, smaller page_id first).
WITH pairs AS (
    SELECT DISTINCT a.page_id, b.page_id AS other_page_id
    FROM staging.dedup_bands a JOIN staging.dedup_bands b ON a.band_hash = b.band_hash AND a.page_id < b.page_id
)
SELECT p.page_id, c.url, c.signature, c.text, p.other_page_id, o.url AS other_url, o.signature AS other_signature,
       o.text AS other_text
FROM pairs p
JOIN staging.dedup_candidates c USING (page_id)
JOIN staging.dedup_candidates o ON o.page_id = p.other_page_id;
