-- The staged pages a takedown request covers (takedown_matches, sql/takedowns/matches.sql) become drops with reason
-- `takedown`, naming the request; the stage's balance stays whole (pages in = out + dropped).
INSERT INTO staging.{table}_drops (crawl_date, page_id, url, stage, reason, detail)
SELECT m.crawl_date, m.page_id, m.url, $stage, 'takedown',
       'takedown ' || t.takedown_id || ' of ' || strftime(t.requested_at, '%Y-%m-%d') || ' (' || t.scope || ' '
       || t.target || '): ' || t.reason
FROM takedown_matches m
JOIN main.takedowns t USING (takedown_id);
DELETE FROM staging.{table} s
WHERE EXISTS (SELECT 1 FROM takedown_matches m WHERE m.page_id = s.page_id AND m.crawl_date = s.crawl_date);
