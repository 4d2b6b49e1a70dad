-- Staged drops of one stage and date by reason, for materialization metadata.
SELECT reason, count(*) AS pages
FROM staging.{table}_drops
WHERE crawl_date = $crawl_date AND stage = $stage
GROUP BY reason
ORDER BY pages DESC, reason;
