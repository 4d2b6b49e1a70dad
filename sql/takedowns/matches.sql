-- The pages of {pages} (a published or a staged table with page_id, crawl_date and url) that a takedown request
-- covers, with the earliest such request: the one place that says what a request covers. Returns how many.
CREATE OR REPLACE TEMP TABLE takedown_matches AS
WITH pages AS (
    SELECT page_id, crawl_date, url,
           regexp_extract(lower(url), '^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)', 1) AS host
    FROM {pages}
    WHERE crawl_date BETWEEN $first_date AND $last_date
)
SELECT p.page_id, p.crawl_date, p.url, min(t.takedown_id) AS takedown_id
FROM pages p
JOIN main.takedowns t
  ON (t.scope = 'url' AND p.url = t.target)
  OR (t.scope = 'domain' AND (p.host = t.target OR ends_with(p.host, '.' || t.target)))
GROUP BY p.page_id, p.crawl_date, p.url;
SELECT count(*) AS pages FROM takedown_matches;
