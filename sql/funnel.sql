-- The per-stage funnel of one crawl date: pages in, pages out and drops by reason, from the published tables.
WITH stages(stage, stage_order) AS (
    VALUES ('raw_pages', 1), ('extracted_text', 2)
), kept AS (
    SELECT 'raw_pages' AS stage, count(*) AS pages FROM raw_pages WHERE crawl_date = $crawl_date
    UNION ALL
    SELECT 'extracted_text', count(*) FROM extracted_text WHERE crawl_date = $crawl_date
), drops AS (
    SELECT stage, reason, count(*) AS pages
    FROM drop_log WHERE crawl_date = $crawl_date
    GROUP BY stage, reason
)
SELECT
    s.stage,
    k.pages + coalesce(sum(d.pages), 0) AS pages_in,
    k.pages AS pages_out,
    coalesce(sum(d.pages), 0) AS dropped,
    coalesce(string_agg(d.reason || '=' || d.pages, ', ' ORDER BY d.pages DESC, d.reason), '') AS drops_by_reason
FROM stages s
JOIN kept k USING (stage)
LEFT JOIN drops d USING (stage)
GROUP BY s.stage, s.stage_order, k.pages
ORDER BY s.stage_order;
