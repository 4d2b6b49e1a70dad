-- The robots.txt and TDMRep file of each host of one date that answered with one (the latest, if a WARC source
-- archived several), as extraction reads every page's rights against them.
SELECT host, kind, body, truncated
FROM main.host_files
WHERE crawl_date = $crawl_date AND body IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY host, kind ORDER BY fetched_at DESC NULLS LAST, url) = 1;
