-- The published crawl dates of final_set a release takes, from $first_date to $last_date, with their documents:
-- those no takedown request covers (takedown_matches, made over the same range just before).
SELECT f.crawl_date, count(*) AS documents
FROM main.final_set f
WHERE f.crawl_date BETWEEN $first_date AND $last_date
  AND NOT EXISTS (SELECT 1 FROM takedown_matches m WHERE m.page_id = f.page_id AND m.crawl_date = f.crawl_date)
GROUP BY f.crawl_date
ORDER BY f.crawl_date;
