-- Exact duplicates: the same normalised text kept on an earlier date (cross_date_duplicate), or on a smaller
-- page_id of this date (exact_duplicate). They are dropped naming the page they repeat, and leave the candidates.
CREATE OR REPLACE TEMP TABLE exact_duplicates AS
WITH earlier AS (
    SELECT content_hash, min_by(url, strftime(crawl_date, '%Y-%m-%d') || page_id) AS url,
           min_by(page_id, strftime(crawl_date, '%Y-%m-%d') || page_id) AS page_id,
           min_by(crawl_date, strftime(crawl_date, '%Y-%m-%d') || page_id) AS crawl_date
    FROM main.page_fingerprints WHERE crawl_date < $crawl_date
    GROUP BY content_hash
), same_day AS (
    SELECT page_id, url, content_hash, first_value(url) OVER same_text AS first_url,
           first_value(page_id) OVER same_text AS first_page_id, row_number() OVER same_text AS position
    FROM staging.dedup_candidates
    WINDOW same_text AS (PARTITION BY content_hash ORDER BY page_id)
)
SELECT s.page_id, s.url,
       CASE WHEN e.url IS NOT NULL THEN 'cross_date_duplicate' ELSE 'exact_duplicate' END AS reason,
       coalesce(e.url, s.first_url) AS related_url,
       coalesce(e.crawl_date, $crawl_date) AS kept_crawl_date, coalesce(e.page_id, s.first_page_id) AS kept_page_id
FROM same_day s LEFT JOIN earlier e USING (content_hash)
WHERE e.url IS NOT NULL OR s.position > 1;

INSERT INTO staging.deduped_text_drops (crawl_date, page_id, url, stage, reason, detail, related_url, similarity)
SELECT $crawl_date, page_id, url, 'deduped_text', reason, 'same normalised text as ' || related_url, related_url, 1.0
FROM exact_duplicates;

INSERT INTO staging.duplicate_links (crawl_date, page_id, kept_crawl_date, kept_page_id, reason)
SELECT $crawl_date, page_id, kept_crawl_date, kept_page_id, reason FROM exact_duplicates;

DELETE FROM staging.dedup_candidates WHERE page_id IN (SELECT page_id FROM exact_duplicates);
DELETE FROM staging.dedup_bands WHERE page_id IN (SELECT page_id FROM exact_duplicates);
DROP TABLE exact_duplicates;
